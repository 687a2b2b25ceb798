/** What an account may do in the console: officers take conversations; supervisors also release or close anyone's. */
export type StaffRole = 'officer' | 'supervisor';
export const STAFF_ROLES: readonly StaffRole[] = ['officer', 'supervisor'];

export interface StaffAccount {
  id: string;
  /** Lower case, unique; what the officer types to log in. */
  username: string;
  /** Shown to citizens with the officer's messages ("Cán bộ {displayName}"). */
  displayName: string;
  role: StaffRole;
  disabled: boolean;
  createdAt: string;
}

export interface NewStaffAccount {
  username: string;
  displayName: string;
  role: StaffRole;
  password: string;
}

export interface StaffLogin {
  /** The cookie value; only its SHA-256 is stored. */
  token: string;
  expiresAt: string;
}

/** A rule an account change broke (short password, taken username…); the message is for the operator. */
export class StaffAccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaffAccountError';
  }
}

export const MIN_PASSWORD_LENGTH = 10;

/** Staff accounts and their console login sessions. */
export interface StaffStore {
  add(account: NewStaffAccount): Promise<StaffAccount>;
  get(id: string): Promise<StaffAccount | undefined>;
  findByUsername(username: string): Promise<StaffAccount | undefined>;
  list(): Promise<StaffAccount[]>;
  /** Disabling also ends the account's sessions. */
  setDisabled(username: string, disabled: boolean): Promise<StaffAccount>;
  /** Changing the password ends the account's sessions. */
  setPassword(username: string, password: string): Promise<void>;
  /**
   * The account when the password is right and the account enabled, else null. Takes about the
   * same time whether the username exists or not, so the timing does not tell which.
   */
  verifyLogin(username: string, password: string): Promise<StaffAccount | null>;
  /** A new login session for an enabled account. */
  createSession(staffId: string): Promise<StaffLogin>;
  /** The account behind a live session token, or undefined (unknown, expired, disabled). */
  findSession(token: string): Promise<{ staff: StaffAccount; expiresAt: string } | undefined>;
  deleteSession(token: string): Promise<void>;
  close(): Promise<void>;
}
