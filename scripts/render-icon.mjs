// Renders assets/icon.svg to assets/icon.png (512x512, transparent corners) with Debian's Chromium,
// so the PNG is always the SVG as drawn. Run after editing the SVG: node scripts/render-icon.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const svg = readFileSync(join(root, 'assets', 'icon.svg'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'clusterdeck-icon-'));
try {
  const page = join(tmp, 'icon.html');
  writeFileSync(page, `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = join(tmp, 'icon.png');
  execFileSync(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', '--default-background-color=00000000', '--window-size=512,512', `--user-data-dir=${join(tmp, 'profile')}`, `--screenshot=${png}`, `file://${page}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const buf = readFileSync(png);
  // IHDR: width and height at bytes 16..24 of a PNG
  const w = buf.readUInt32BE(16);
  const h = buf.readUInt32BE(20);
  if (w !== 512 || h !== 512) throw new Error(`rendered ${w}x${h}, expected 512x512`);
  writeFileSync(join(root, 'assets', 'icon.png'), buf);
  console.log('wrote assets/icon.png (512x512)');
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
