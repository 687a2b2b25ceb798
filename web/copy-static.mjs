// Copies the browser's non-TypeScript files (pages, styles, images) next to the JavaScript that
// `tsc -p tsconfig.web.json` wrote to dist/web, so `npm run build` alone yields the whole site.
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(src, '..', 'dist', 'web');
const KEEP = new Set(['.html', '.css', '.svg', '.png', '.ico']);

function copy(dir) {
  for (const entry of readdirSync(path.join(src, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) copy(rel);
    else if (KEEP.has(path.extname(entry.name))) {
      mkdirSync(path.join(out, dir), { recursive: true });
      cpSync(path.join(src, rel), path.join(out, rel));
    }
  }
}
copy('.');

// Chart.js for the statistics dashboard, served from this origin (no CDN; the CSP allows only 'self').
mkdirSync(path.join(out, 'vendor'), { recursive: true });
cpSync(path.resolve(src, '..', 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'), path.join(out, 'vendor', 'chart.umd.min.js'));
