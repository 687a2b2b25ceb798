/**
 * An application (hồ sơ) filed with the city's procedure-handling system, as the assistant
 * needs it to answer "hồ sơ của tôi đến đâu rồi?", and the port to that system.
 */

/**
 * What the assistant says about an application: a closed set, so that replies, statistics and
 * tests do not depend on how one backend words its states. Backends' own words are mapped onto
 * it (`status-words.ts`) and kept alongside as `statusLabel`.
 *
 * - `received`: accepted at the one-stop desk, not yet being handled;
 * - `in_progress`: being examined, appraised or signed;
 * - `supplement_required`: the agency asked the applicant for more or corrected documents;
 * - `completed_ready`: the result exists and waits to be collected (or sent);
 * - `returned`: the result has been handed over to the applicant ("đã trả kết quả");
 * - `rejected`: refused (the agency must say why, in writing);
 * - `withdrawn`: withdrawn by the applicant, or cancelled at their request.
 */
export const APPLICATION_STATUSES = [
  'received',
  'in_progress',
  'supplement_required',
  'completed_ready',
  'returned',
  'rejected',
  'withdrawn',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** States in which the due date no longer matters: nothing is pending on the agency's side. */
export const FINAL_STATUSES: ReadonlySet<ApplicationStatus> = new Set(['completed_ready', 'returned', 'rejected', 'withdrawn']);

export function isApplicationStatus(value: unknown): value is ApplicationStatus {
  return typeof value === 'string' && (APPLICATION_STATUSES as readonly string[]).includes(value);
}

export interface ApplicationRecord {
  /** The receipt code printed on the "Giấy tiếp nhận hồ sơ và hẹn trả kết quả". */
  receiptCode: string;
  /** The national procedure code (e.g. 1.001193) when the backend gives one. */
  procedureCode?: string;
  procedureName: string;
  status: ApplicationStatus;
  /** The backend's own word for the status ("Đang xử lý"), shown next to ours. */
  statusLabel: string;
  receivedAt: Date;
  /** The appointment date for the result (ngày hẹn trả). */
  dueAt: Date;
  completedAt?: Date;
  /** Full name: only ever shown masked. */
  applicantName: string;
  /** Full phone number registered with the application: never shown, only its last digits checked. */
  phone: string;
  /** The agency handling the application. */
  agency?: string;
  /** Where the result is collected. */
  returnPlace?: string;
}

/** The city's system could not answer (unreachable, timeout, 5xx, malformed or unmappable reply). */
export class StatusBackendUnavailable extends Error {
  /**
   * `reason` is a short machine word for operators (`timeout`, `http_503`, `malformed`…). The
   * message never carries the receipt code or the URL, which holds it.
   */
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`status backend unavailable: ${reason}`, options);
    this.name = 'StatusBackendUnavailable';
  }
}

/** The port to the city's procedure-handling system. */
export interface ApplicationStatusSource {
  /** The application with this (normalised) receipt code, or null when the system has none. Throws `StatusBackendUnavailable`. */
  find(receiptCode: string): Promise<ApplicationRecord | null>;
  close(): Promise<void>;
}
