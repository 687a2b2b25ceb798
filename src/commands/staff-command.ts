import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { SqliteStaffStore } from '../staff/sqlite-staff-store.js';
import { MIN_PASSWORD_LENGTH, STAFF_ROLES, StaffAccountError, type StaffRole } from '../staff/staff-store.js';

const USAGE = `Usage:
  npm run cli -- staff add <username> --name "Nguyễn Văn A" --role officer|supervisor [--password-stdin]
  npm run cli -- staff list
  npm run cli -- staff disable <username>
  npm run cli -- staff enable <username>
  npm run cli -- staff password <username> [--password-stdin]
Passwords: at least ${MIN_PASSWORD_LENGTH} characters; typed at a prompt (not echoed) or read from standard input.`;

export interface StaffCommandDeps {
  dataDir: string;
  out: (line: string) => void;
  /**
   * Reads a password: from standard input when `stdin` (one line), else from a prompt that does
   * not echo. Injected by tests.
   */
  readPassword?: (prompt: string, options: { stdin: boolean }) => Promise<string>;
}

/**
 * `staff add|list|disable|enable|password`: console accounts in DATA_DIR/staff.sqlite. Passwords
 * never appear in argv (shell history, `ps`): they come from a prompt or standard input.
 * Returns the exit status.
 */
export async function runStaffCommand(argv: string[], deps: StaffCommandDeps): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        role: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    deps.out(`${(err as Error).message}\n${USAGE}`);
    return 1;
  }
  const [action, username, ...extra] = parsed.positionals;
  const { values } = parsed;
  if (values.help || !action) {
    deps.out(USAGE);
    return values.help ? 0 : 1;
  }
  const needsUser = action !== 'list';
  if ((needsUser && !username) || extra.length > 0 || (!needsUser && username)) {
    deps.out(USAGE);
    return 1;
  }
  const readPassword = deps.readPassword ?? defaultReadPassword;
  const stdin = values['password-stdin'];

  const store = new SqliteStaffStore({ dataDir: deps.dataDir });
  try {
    switch (action) {
      case 'add': {
        const role = values.role as StaffRole | undefined;
        if (!values.name || !role || !STAFF_ROLES.includes(role)) {
          deps.out(`staff add needs --name "…" and --role ${STAFF_ROLES.join('|')}\n${USAGE}`);
          return 1;
        }
        const password = await askNewPassword(readPassword, stdin);
        const account = await store.add({ username: username!, displayName: values.name, role, password });
        deps.out(`Added ${account.role} ${account.username} (${account.displayName}), id ${account.id}.`);
        return 0;
      }
      case 'list': {
        const all = await store.list();
        if (all.length === 0) deps.out('No staff accounts yet. Add one: npm run cli -- staff add <username> --name "…" --role supervisor');
        for (const a of all) {
          deps.out([a.username.padEnd(20), a.role.padEnd(11), (a.disabled ? 'disabled' : 'active').padEnd(9), a.createdAt.slice(0, 10), a.displayName].join(' '));
        }
        return 0;
      }
      case 'disable':
      case 'enable': {
        const account = await store.setDisabled(username!, action === 'disable');
        deps.out(`${account.username} is ${account.disabled ? 'disabled; its console sessions have ended' : 'enabled'}.`);
        return 0;
      }
      case 'password': {
        if (!(await store.findByUsername(username!))) throw new StaffAccountError(`no account "${username}"`);
        await store.setPassword(username!, await askNewPassword(readPassword, stdin));
        deps.out(`Password changed for ${username!.toLowerCase()}; its console sessions have ended.`);
        return 0;
      }
      default:
        deps.out(USAGE);
        return 1;
    }
  } catch (err) {
    if (err instanceof StaffAccountError) {
      deps.out(`Error: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

async function askNewPassword(read: NonNullable<StaffCommandDeps['readPassword']>, stdin: boolean): Promise<string> {
  const password = await read('Password: ', { stdin });
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new StaffAccountError(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  // A typo at a hidden prompt would lock the officer out: ask twice when typed by hand.
  if (!stdin && (await read('Password again: ', { stdin: false })) !== password) throw new StaffAccountError('the two passwords differ');
  return password;
}

async function defaultReadPassword(prompt: string, options: { stdin: boolean }): Promise<string> {
  if (options.stdin) {
    let data = '';
    for await (const chunk of process.stdin) data += String(chunk);
    return data.split(/\r?\n/)[0] ?? '';
  }
  if (!process.stdin.isTTY) throw new StaffAccountError('no terminal to prompt for the password; use --password-stdin');
  process.stderr.write(prompt);
  // Echo off: readline writes what is typed to `output`, which swallows it.
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
