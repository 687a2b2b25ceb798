import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { openCatalogueStore } from './catalogue/sqlite-catalogue-store.js';
import type { CatalogueStore } from './catalogue/catalogue-store.js';
import { runCallCommand } from './commands/call-command.js';
import { runDiffCommand } from './commands/diff-command.js';
import { runPrivacyCommand } from './commands/privacy-command.js';
import { REVIEW_USAGE, runReviewCommand } from './review/review-command.js';
import { runIngestRunsCommand } from './commands/ingest-runs-command.js';
import { runOnlineOnlyCommand } from './commands/online-only-command.js';
import { runStaffCommand } from './commands/staff-command.js';
import { runStatusDemoCommand } from './commands/status-demo-command.js';
import { loadConfig, type Config } from './config.js';
import { catalogueDir, createDeps, type Deps } from './deps.js';
import { PROCEDURE_CODE, type Procedure } from './domain/procedure.js';
import { createLogger } from './http/logger.js';
import type { ChatTurnOutput } from './pipeline/answer-service.js';
import { detectAspect } from './text/aspects.js';

const USAGE = `Usage:
  npm run cli -- search "<text>" [--k 10] [--level tinh] [--agency "công an"] [--json]
  npm run cli -- show <code> [--json]
  npm run cli -- ask "<question>" [--session ID] [--voice] [--json]
  npm run cli -- chat [--voice]        (interactive; an empty line or Ctrl-D ends)
  npm run cli -- online-only list|add|remove [<code> --from YYYY-MM-DD]
  npm run cli -- status-demo seed|list                (demo applications for the status lookup)
  npm run cli -- staff add <username> --name "…" --role officer|supervisor [--password-stdin]
  npm run cli -- staff list | disable|enable|password <username>
  npm run cli -- call [--url http://host:port] [--from +84…]   (a simulated call to the callbot)
  npm run cli -- privacy delete <sessionId> --reason "…" [--by <name>]   (erase a citizen's conversation; logged)
  npm run cli -- privacy retention --dry-run|--run [--days N] | privacy log [--limit N]
${REVIEW_USAGE}
  npm run cli -- runs [--limit N] [--json]          (ingest runs, newest first)
  npm run cli -- diff [<from> [<to>]] [--json]      (added / changed fields / removed between two ingests)

Examples:
  npm run cli -- search "đăng ký khai sinh"
  npm run cli -- search "lam lai cccd" --k 5 --json
  npm run cli -- show 1.001193
  npm run cli -- ask "đăng ký khai sinh cần giấy tờ gì"`;

class UsageError extends Error {}

type Command = 'search' | 'show' | 'ask' | 'chat';
const COMMANDS: readonly Command[] = ['search', 'show', 'ask', 'chat'];

interface Args {
  command: Command;
  text: string;
  k: number;
  level?: string;
  agency?: string;
  session?: string;
  voice: boolean;
  json: boolean;
}

function parseCliArgs(argv: string[], maxK: number): Args {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        k: { type: 'string' },
        level: { type: 'string' },
        agency: { type: 'string' },
        json: { type: 'boolean', default: false },
        session: { type: 'string' },
        voice: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  const [command, ...rest] = positionals;
  if (!COMMANDS.includes(command as Command)) {
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
  }
  const cmd = command as Command;
  const text = rest.join(' ').normalize('NFC').trim();
  if (!text && cmd !== 'chat') throw new UsageError(cmd === 'show' ? 'missing procedure code' : cmd === 'ask' ? 'missing question' : 'missing search text');
  if (command === 'show' && !PROCEDURE_CODE.test(text)) throw new UsageError(`"${text}" is not a procedure code like 1.001193`);
  const k = values.k === undefined ? 10 : Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > maxK) throw new UsageError(`--k must be an integer from 1 to ${maxK}`);
  return {
    command: cmd,
    text,
    k,
    json: values.json ?? false,
    voice: values.voice ?? false,
    ...(values.session ? { session: values.session } : {}),
    ...(values.level ? { level: values.level } : {}),
    ...(values.agency ? { agency: values.agency } : {}),
  };
}

/** Cuts by code points so Vietnamese combining marks are never split. */
function truncate(s: string, width: number): string {
  const chars = [...s];
  return chars.length <= width ? s : `${chars.slice(0, width - 1).join('')}…`;
}
const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - [...s].length));

async function search(deps: Deps, args: Args): Promise<void> {
  const filter = { ...(args.level ? { level: args.level } : {}), ...(args.agency ? { agency: args.agency } : {}) };
  const hits = await deps.retriever.search({
    text: args.text,
    limit: args.k,
    ...(Object.keys(filter).length > 0 ? { filter } : {}),
  });
  const rows = hits
    .map((h) => ({ hit: h, p: deps.procedures.get(h.procedureId) }))
    .filter((r): r is { hit: typeof r.hit; p: Procedure } => r.p !== undefined);
  const aspect = detectAspect(args.text);
  if (args.json) {
    const results = rows.map(({ hit, p }) => ({
      id: p.id,
      name: p.name,
      field: p.field,
      level: p.levels.length > 0 ? p.levels.join(', ') : null,
      score: Math.round(hit.score * 10_000) / 10_000,
      url: p.url,
    }));
    process.stdout.write(`${JSON.stringify({ query: args.text, aspect, results }, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  out.push(`Query:  ${args.text}`);
  out.push(`Aspect: ${aspect ?? '(none)'}    Catalogue: ${deps.procedures.size} procedures`);
  out.push('');
  if (rows.length === 0) {
    out.push('No results.');
  } else {
    out.push(`${pad('#', 3)} ${pad('code', 16)} ${pad('score', 8)} ${pad('name', 60)} level`);
    rows.forEach(({ hit, p }, i) => {
      out.push(
        `${pad(String(i + 1), 3)} ${pad(p.id, 16)} ${pad(hit.score.toFixed(4), 8)} ${pad(truncate(p.name, 60), 60)} ${p.levels.join(', ')}`,
      );
    });
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

function renderTurn(out: ChatTurnOutput): string {
  const lines = [out.text];
  if (out.options?.length) lines.push('', ...out.options.map((o, i) => `  ${i + 1}. ${o.name} (${o.id})`));
  lines.push('', `[${out.status}${out.handoff ? ', chuyển cán bộ' : ''}${out.citations.length ? ` · ${out.citations.map((c) => c.id).join(', ')}` : ''} · ${out.latencyMs.toFixed(1)} ms]`);
  return lines.join('\n');
}

async function ask(deps: Deps, args: Args): Promise<number> {
  const out = await deps.answers.handle({ channel: 'cli', message: args.text, style: args.voice ? 'voice' : 'chat', ...(args.session ? { sessionId: args.session } : {}) });
  process.stdout.write(args.json ? `${JSON.stringify(out, null, 2)}\n` : `${renderTurn(out)}\nsession: ${out.sessionId}\n`);
  return 0;
}

/** A conversation in the terminal: the same service, one session, until an empty line. */
async function chat(deps: Deps, args: Args): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  let sessionId = args.session;
  process.stdout.write('Công chức AI — hỏi về thủ tục hành chính (dòng trống để thoát)\n');
  rl.setPrompt('> ');
  rl.prompt();
  for await (const line of rl) {
    const message = line.trim();
    if (!message) break;
    const out = await deps.answers.handle({ channel: 'cli', message, style: args.voice ? 'voice' : 'chat', ...(sessionId ? { sessionId } : {}) });
    sessionId = out.sessionId;
    process.stdout.write(`${renderTurn(out)}\n\n`);
    rl.prompt();
  }
  rl.close();
  return 0;
}

function show(deps: Deps, args: Args): number {
  const p = deps.procedures.get(args.text);
  if (!p) {
    process.stderr.write(`Không tìm thấy thủ tục ${args.text} (procedure not found)\n`);
    return 1;
  }
  if (args.json) {
    process.stdout.write(`${JSON.stringify(p, null, 2)}\n`);
    return 0;
  }
  const line = (label: string, value: string | null | undefined) => (value ? `${label}: ${value}` : null);
  const out = [
    `${p.id}  ${p.name}`,
    line('Lĩnh vực', p.field),
    line('Cấp thực hiện', p.levels.join(', ')),
    line('Cơ quan thực hiện', p.agency),
    ...p.channels.map((c) => `Cách thức: ${c.label} — thời hạn: ${c.processingTime ?? '?'} — phí: ${c.fee ?? '?'}`),
    p.documents.length > 0 ? `Hồ sơ:\n${p.documents.map((d) => `  - ${d.name}${d.quantity ? ` (${d.quantity})` : ''}`).join('\n')}` : null,
    line('Kết quả', p.result),
    line('URL', p.url),
    `Nguồn: ${p.sources.map((s) => `${s.kind}:${s.file}`).join(', ')}`,
  ].filter((l): l is string => l !== null);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/**
 * Staff commands that do not need the answer pipeline (and so do not build the index): each
 * lives in its own module under src/commands and gets only what it uses.
 */
const TOOL_COMMANDS: Record<string, (argv: string[], config: Config) => Promise<number>> = {
  staff: (argv, config) => runStaffCommand(argv, { dataDir: catalogueDir(config), out: stdoutLine }),
  'status-demo': (argv, config) => runStatusDemoCommand(argv, { dataDir: catalogueDir(config), out: stdoutLine }),
  // A simulated phone call; it builds its own server (or calls --url), so it reads env itself.
  call: (argv) => runCallCommand(argv, { input: process.stdin, out: stdoutLine, err: stderrLine }),
  privacy: (argv, config) => runPrivacyCommand(argv, { dataDir: catalogueDir(config), retentionDays: config.QA_RETENTION_DAYS, out: stdoutLine }),
  review: (argv, config) => runReviewCommand(argv, { DATA_DIR: catalogueDir(config), REVIEW_SAMPLE_PER_WEEK: config.REVIEW_SAMPLE_PER_WEEK }, stdoutLine),
  diff: (argv, config) => withStore(config, (store) => runDiffCommand(argv, { store, out: stdoutLine, err: stderrLine })),
  runs: (argv, config) => withStore(config, (store) => runIngestRunsCommand(argv, { store, out: stdoutLine, err: stderrLine })),
  'online-only': async (argv, config) => {
    const knowledgeDir = path.resolve(config.KNOWLEDGE_DIR);
    const store = openCatalogueStore(catalogueDir(config));
    try {
      return await runOnlineOnlyCommand(argv, {
        knowledgeDir,
        isKnownCode: async (code) => (await store.get(code)) !== undefined || existsSync(path.join(knowledgeDir, 'procedures', `${code}.json`)),
        out: (line) => process.stdout.write(`${line}\n`),
      });
    } finally {
      await store.close();
    }
  },
};

const stdoutLine = (line: string) => void process.stdout.write(`${line}\n`);
const stderrLine = (line: string) => void process.stderr.write(`${line}\n`);

async function withStore(config: Config, fn: (store: CatalogueStore) => Promise<number>): Promise<number> {
  const store = openCatalogueStore(catalogueDir(config));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const config = loadConfig();
  const tool = argv[0] !== undefined ? TOOL_COMMANDS[argv[0]] : undefined;
  if (tool) return tool(argv.slice(1), config);
  let args: Args;
  try {
    args = parseCliArgs(argv, config.SEARCH_MAX_K);
  } catch (err) {
    if (err instanceof UsageError) {
      if (err.message) process.stderr.write(`Error: ${err.message}\n\n`);
      process.stderr.write(`${USAGE}\n`);
      return 1;
    }
    throw err;
  }
  // Logs go to stderr at warn level so the table or JSON on stdout stays clean for pipes.
  const log = createLogger({ LOG_LEVEL: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL }, pino.destination({ dest: 2, sync: true }));
  const deps = await createDeps(config, { log });
  try {
    switch (args.command) {
      case 'search':
        await search(deps, args);
        return 0;
      case 'ask':
        return await ask(deps, args);
      case 'chat':
        return await chat(deps, args);
      case 'show':
        return show(deps, args);
    }
  } finally {
    await deps.close();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
