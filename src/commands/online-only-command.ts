import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROCEDURE_CODE } from '../domain/procedure.js';
import { hanoiDate, isIsoDate } from '../knowledge/hanoi-date.js';
import { addOnlineOnly, loadOnlineOnly, onlineOnlyOn, removeOnlineOnly, saveOnlineOnly } from '../knowledge/online-only-list.js';

export const ONLINE_ONLY_USAGE = `Usage:
  npm run cli -- online-only list [--date YYYY-MM-DD] [--json]
  npm run cli -- online-only add <code> --from YYYY-MM-DD [--source "Thông báo số …"] [--force]
  npm run cli -- online-only remove <code> --from YYYY-MM-DD

  add     the procedure is accepted only online from that day (Hanoi date) on
  remove  it is accepted in person again from that day on
  --force add a code the catalogue does not serve (yet)
Running servers pick the change up on reload: kill -HUP <pid>, or POST /api/v1/admin/reload.`;

export interface OnlineOnlyCommandDeps {
  knowledgeDir: string;
  /** True when the code is served (catalogue or starter record); guards against typos. */
  isKnownCode: (code: string) => Promise<boolean>;
  out: (line: string) => void;
  now?: () => Date;
}

/** `npm run cli -- online-only …`; returns the exit code (2 for usage errors). */
export async function runOnlineOnlyCommand(argv: string[], deps: OnlineOnlyCommandDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        date: { type: 'string' },
        source: { type: 'string' },
        json: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    return usage(deps, (err as Error).message);
  }
  const { values, positionals } = parsed;
  const [action, code, ...extra] = positionals;
  const file = path.join(deps.knowledgeDir, 'online-only.json');
  let list;
  try {
    list = loadOnlineOnly(file);
  } catch (err) {
    deps.out((err as Error).message);
    return 1;
  }

  if (action === 'list') {
    const date = values.date ?? hanoiDate((deps.now ?? (() => new Date()))());
    if (!isIsoDate(date)) return usage(deps, `--date must be a date written YYYY-MM-DD, got "${date}"`);
    const inForce = list.entries.filter((e) => onlineOnlyOn(list, e.code, date) === e);
    if (values.json) {
      deps.out(JSON.stringify({ date, inForce, entries: list.entries }, null, 2));
      return 0;
    }
    deps.out(`${inForce.length} procedure(s) accepted only online on ${date}:`);
    for (const e of inForce) deps.out(`  ${e.code}  since ${e.from}${e.to ? ` until ${e.to} (exclusive)` : ''}${e.source ? `  — ${e.source}` : ''}`);
    const other = list.entries.length - inForce.length;
    if (other > 0) deps.out(`${other} other entr${other === 1 ? 'y' : 'ies'} (past or future) in ${file}`);
    return 0;
  }

  if (action !== 'add' && action !== 'remove') return usage(deps, action ? `unknown action "${action}"` : 'missing action');
  if (!code || !PROCEDURE_CODE.test(code)) return usage(deps, `"${code ?? ''}" is not a procedure code like 1.001193`);
  if (extra.length > 0) return usage(deps, `unexpected "${extra.join(' ')}"`);
  if (!values.from) return usage(deps, '--from YYYY-MM-DD is required');
  if (!isIsoDate(values.from)) return usage(deps, `--from must be a date written YYYY-MM-DD, got "${values.from}"`);

  if (action === 'add' && !values.force && !(await deps.isKnownCode(code))) {
    deps.out(`${code} is not a procedure this assistant serves (check the code, or use --force).`);
    return 1;
  }
  const change = action === 'add' ? addOnlineOnly(list, code, values.from, values.source ?? null) : removeOnlineOnly(list, code, values.from);
  deps.out(change.message);
  if (!change.changed) return 0;
  saveOnlineOnly(file, change.list);
  deps.out(`Saved ${file}. Running servers pick it up on reload (kill -HUP <pid>, or POST /api/v1/admin/reload).`);
  return 0;
}

function usage(deps: OnlineOnlyCommandDeps, message: string): number {
  if (message) deps.out(`Error: ${message}`);
  deps.out(ONLINE_ONLY_USAGE);
  return 2;
}
