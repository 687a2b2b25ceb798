import type { Migration } from '../catalogue/sqlite-migrations.js';

/** Schema of `status-demo.sqlite`. Never edit a shipped entry: append a new one. */
export const STATUS_DEMO_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'demo applications',
    sql: `
      -- One row per application, keyed by the normalised receipt code. Dates are ISO strings.
      CREATE TABLE applications (
        receipt_code   TEXT PRIMARY KEY,
        procedure_code TEXT,
        procedure_name TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('received', 'in_progress', 'supplement_required', 'completed_ready', 'returned', 'rejected', 'withdrawn')),
        status_label   TEXT NOT NULL,
        received_at    TEXT NOT NULL,
        due_at         TEXT NOT NULL,
        completed_at   TEXT,
        applicant_name TEXT NOT NULL,
        phone          TEXT NOT NULL,
        agency         TEXT,
        return_place   TEXT
      ) WITHOUT ROWID;
    `,
  },
];
