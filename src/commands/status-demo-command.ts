import { formatDateVi } from '../status-lookup/application-dates.js';
import { maskName, maskPhone } from '../status-lookup/personal-masking.js';
import { seedDemoApplications } from '../status-lookup/seed-demo-applications.js';
import { SqliteStatusSource } from '../status-lookup/sqlite-status-source.js';
import { dueSituation } from '../status-lookup/status-replies.js';

const USAGE = `Usage:
  npm run cli -- status-demo seed    write the demo applications to DATA_DIR/status-demo.sqlite (safe to repeat)
  npm run cli -- status-demo list    list them: code, procedure, status, due date, phone's last digits for demos`;

export interface StatusDemoCommandDeps {
  dataDir: string;
  out: (line: string) => void;
  now?: () => Date;
}

/**
 * `status-demo seed|list`: the SQLite stand-in for the city's system. Seeding replaces the demo
 * rows by receipt code, so running it again leaves one set with dates refreshed to today. The list
 * shows the last four phone digits, which a demo needs to verify; it never runs against the HTTP
 * backend. Returns the exit status.
 */
export async function runStatusDemoCommand(argv: string[], deps: StatusDemoCommandDeps): Promise<number> {
  const [action, ...rest] = argv;
  if ((action !== 'seed' && action !== 'list') || rest.length > 0) {
    deps.out(USAGE);
    return action === undefined || action === '--help' || action === '-h' ? 0 : 1;
  }
  const now = deps.now?.() ?? new Date();
  const store = new SqliteStatusSource({ dataDir: deps.dataDir });
  try {
    if (action === 'seed') {
      const n = seedDemoApplications(store, now);
      deps.out(`Seeded ${n} demo applications into ${deps.dataDir}/status-demo.sqlite (${store.list().length} in the store).`);
      deps.out('Try: "tra cứu hồ sơ 000.00.18.H26-250115-0001", then the last 4 digits shown by `status-demo list`.');
      return 0;
    }
    const all = store.list();
    if (all.length === 0) {
      deps.out('No demo applications yet. Run: npm run cli -- status-demo seed');
      return 0;
    }
    for (const r of all) {
      const due = dueSituation(r, now);
      const dueText = `${formatDateVi(r.dueAt)}${due.overdue ? ` (quá hạn ${due.daysOverdue} ngày)` : ''}`;
      deps.out(
        [r.receiptCode.padEnd(26), (r.procedureCode ?? '').padEnd(9), r.status.padEnd(19), dueText.padEnd(28), maskName(r.applicantName).padEnd(18), `${maskPhone(r.phone)} (4 số cuối: ${r.phone.replace(/\D/g, '').slice(-4)})`].join(' '),
      );
    }
    deps.out(`${all.length} applications.`);
    return 0;
  } finally {
    await store.close();
  }
}
