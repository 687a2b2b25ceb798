import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Debian's Chromium for the browser tests (playwright-core drives it; no browser download).
 * CHROMIUM_PATH overrides; otherwise `which chromium`. Null when there is none.
 */
export function findChromium(): string | null {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not on PATH
    }
  }
  return null;
}

/** Chromium refuses to start sandboxed as root (CI containers); only then is the sandbox turned off. */
export function chromiumArgs(): string[] {
  return process.getuid?.() === 0 ? ['--no-sandbox'] : [];
}

/**
 * Whether the browser tests run: without Chromium they are skipped with the reason printed,
 * except under REQUIRE_SERVICES=1, where a missing browser is a failure (CI must not go green
 * by skipping).
 */
export function browserAvailability(): { path: string | null; skip: boolean } {
  const path = findChromium();
  if (path) return { path, skip: false };
  if (process.env['REQUIRE_SERVICES'] === '1') return { path: null, skip: false };
  console.warn('[e2e] skipped: no Chromium found (apt-get install chromium, or set CHROMIUM_PATH); REQUIRE_SERVICES=1 makes this a failure');
  return { path: null, skip: true };
}
