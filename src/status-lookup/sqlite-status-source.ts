import type Database from 'better-sqlite3';
import { openSqliteDatabase } from '../sqlite/open-sqlite-database.js';
import { applyMigrations, type SqliteLocation } from '../catalogue/sqlite-catalogue-store.js';
import { type ApplicationRecord, type ApplicationStatus, type ApplicationStatusSource, StatusBackendUnavailable } from './application-status.js';
import { normaliseReceiptCode } from './receipt-code.js';
import { STATUS_DEMO_MIGRATIONS } from './status-demo-migrations.js';

export const STATUS_DEMO_FILE = 'status-demo.sqlite';

interface Row {
  receipt_code: string;
  procedure_code: string | null;
  procedure_name: string;
  status: ApplicationStatus;
  status_label: string;
  received_at: string;
  due_at: string;
  completed_at: string | null;
  applicant_name: string;
  phone: string;
  agency: string | null;
  return_place: string | null;
}

/**
 * A stand-in for the city's system: applications in `${dataDir}/status-demo.sqlite`, filled by
 * `npm run cli -- status-demo seed`. Lets the conversation be shown and tested end to end without
 * access to real citizens' applications.
 */
export class SqliteStatusSource implements ApplicationStatusSource {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(location: SqliteLocation) {
    this.db = openSqliteDatabase(location, STATUS_DEMO_FILE);
    applyMigrations(this.db, STATUS_DEMO_MIGRATIONS);
    this.stmt = {
      get: this.db.prepare<[string], Row>('SELECT * FROM applications WHERE receipt_code = ?'),
      all: this.db.prepare<[], Row>('SELECT * FROM applications ORDER BY received_at, receipt_code'),
      put: this.db.prepare<[Row]>(
        `INSERT INTO applications VALUES (@receipt_code, @procedure_code, @procedure_name, @status, @status_label,
           @received_at, @due_at, @completed_at, @applicant_name, @phone, @agency, @return_place)
         ON CONFLICT (receipt_code) DO UPDATE SET procedure_code = excluded.procedure_code, procedure_name = excluded.procedure_name,
           status = excluded.status, status_label = excluded.status_label, received_at = excluded.received_at, due_at = excluded.due_at,
           completed_at = excluded.completed_at, applicant_name = excluded.applicant_name, phone = excluded.phone,
           agency = excluded.agency, return_place = excluded.return_place`,
      ),
    };
  }

  async find(receiptCode: string): Promise<ApplicationRecord | null> {
    let row: Row | undefined;
    try {
      row = this.stmt.get.get(normaliseReceiptCode(receiptCode));
    } catch (err) {
      throw new StatusBackendUnavailable('sqlite', { cause: err });
    }
    return row ? fromRow(row) : null;
  }

  /** Inserts or replaces applications by receipt code, in one transaction; returns how many. */
  upsert(records: readonly ApplicationRecord[]): number {
    this.db.transaction(() => {
      for (const r of records) this.stmt.put.run(toRow(r));
    })();
    return records.length;
  }

  /** Every application, oldest first. */
  list(): ApplicationRecord[] {
    return this.stmt.all.all().map(fromRow);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toRow(r: ApplicationRecord): Row {
  return {
    receipt_code: normaliseReceiptCode(r.receiptCode),
    procedure_code: r.procedureCode ?? null,
    procedure_name: r.procedureName,
    status: r.status,
    status_label: r.statusLabel,
    received_at: r.receivedAt.toISOString(),
    due_at: r.dueAt.toISOString(),
    completed_at: r.completedAt?.toISOString() ?? null,
    applicant_name: r.applicantName,
    phone: r.phone,
    agency: r.agency ?? null,
    return_place: r.returnPlace ?? null,
  };
}

function fromRow(row: Row): ApplicationRecord {
  const r: ApplicationRecord = {
    receiptCode: row.receipt_code,
    procedureName: row.procedure_name,
    status: row.status,
    statusLabel: row.status_label,
    receivedAt: new Date(row.received_at),
    dueAt: new Date(row.due_at),
    applicantName: row.applicant_name,
    phone: row.phone,
  };
  if (row.procedure_code !== null) r.procedureCode = row.procedure_code;
  if (row.completed_at !== null) r.completedAt = new Date(row.completed_at);
  if (row.agency !== null) r.agency = row.agency;
  if (row.return_place !== null) r.returnPlace = row.return_place;
  return r;
}
