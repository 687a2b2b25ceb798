import { spawnSync } from 'node:child_process';

/**
 * Whether the tests that speak real audio run: they need Debian's `espeak-ng` and `sox` (CI
 * installs both). Without them they are skipped with the reason printed, except under
 * REQUIRE_SERVICES=1, where they run and fail: CI must not go green by skipping.
 */
export function audioToolsAvailability(): { skip: boolean } {
  const missing = ['espeak-ng', 'sox'].filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).error !== undefined);
  if (missing.length === 0 || process.env['REQUIRE_SERVICES'] === '1') return { skip: false };
  console.warn(`[audio] skipped: ${missing.join(' and ')} not found (apt-get install espeak-ng sox); REQUIRE_SERVICES=1 makes this a failure`);
  return { skip: true };
}
