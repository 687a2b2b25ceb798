import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The install's secret for status lookups. Receipt codes and user keys are stored only as keyed
 * hashes (so a copied guard database cannot be matched against a list of codes), and the code
 * a citizen is being asked to verify rides in the session only encrypted.
 */
export class LookupSecrets {
  private readonly hashKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(secret: Buffer) {
    if (secret.length < 32) throw new Error('status lookup secret must be at least 32 bytes');
    this.hashKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'status-lookup hash', 32));
    this.sealKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'status-lookup seal', 32));
  }

  /** Keyed sha256 of a normalised receipt code (hex, 32 chars). */
  hashCode(code: string): string {
    return createHmac('sha256', this.hashKey).update(`code:${code}`).digest('hex').slice(0, 32);
  }

  /** Keyed sha256 of a user key (hex, 32 chars). */
  hashUser(userKey: string): string {
    return createHmac('sha256', this.hashKey).update(`user:${userKey}`).digest('hex').slice(0, 32);
  }

  /** AES-256-GCM, base64url `iv.tag.ciphertext`. */
  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
  }

  /** The sealed text, or null when it was not sealed with this install's secret or was altered. */
  open(sealed: string): string | null {
    const parts = sealed.split('.');
    if (parts.length !== 3) return null;
    try {
      const [iv, tag, body] = parts.map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
      const decipher = createDecipheriv('aes-256-gcm', this.sealKey, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }
}

/** A secret that lives as long as the process: tests, and single-process use without a data directory. */
export function ephemeralLookupSecrets(): LookupSecrets {
  return new LookupSecrets(randomBytes(32));
}

export const LOOKUP_SECRET_FILE = 'status-lookup.secret';

/**
 * The install's secret from `${dataDir}/status-lookup.secret`, created (0600) on first use. Several
 * server workers may start at once: the file appears atomically (hard link of a complete temporary
 * file), and whoever loses the race reads the winner's.
 */
export function loadOrCreateLookupSecrets(dataDir: string): LookupSecrets {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOOKUP_SECRET_FILE);
  try {
    return new LookupSecrets(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
  return new LookupSecrets(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
}
