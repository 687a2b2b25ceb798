import { execFileSync } from 'node:child_process';

/**
 * Compiles the browser code once, the way `npm run build` does, before any test file runs: the
 * browser tests serve what ships, and several of them running in parallel must not rebuild
 * `dist/web` under each other's feet.
 */
export default function setup(): void {
  execFileSync('npm', ['run', 'build:web', '--silent'], { stdio: 'pipe' });
}
