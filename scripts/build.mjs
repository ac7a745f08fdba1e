// Builds what runs from dist/: the renderer (dist/renderer, served by the headless host and the
// Electron shell), the Electron main/preload bundles, and the CLI bundle the bin shim falls back to.
// `ensureBuilt()` rebuilds only when a source is newer than its output, so the demo starts fast.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const outdated = (output, inputs) => !existsSync(output) || Math.max(...inputs.map((d) => newestMtime(join(root, d)))) > statSync(output).mtimeMs;

export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

export async function buildCli() {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'electron', 'cli', 'main.ts')],
    outfile: join(root, 'dist', 'cli.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

export async function buildElectronShell() {
  const script = join(root, 'scripts', 'build-electron.mjs');
  if (!existsSync(script)) return false;
  const mod = await import(pathToFileURL(script).href);
  await mod.buildElectron();
  return true;
}

/** Builds whatever is missing or older than its sources; returns what it built. */
export async function ensureBuilt({ force = false } = {}) {
  const built = [];
  if (force || outdated(join(root, 'dist', 'renderer', 'index.html'), ['renderer', 'shared'])) {
    await buildRenderer();
    built.push('renderer');
  }
  if (force || outdated(join(root, 'dist', 'electron', 'main.cjs'), ['electron', 'shared'])) {
    if (await buildElectronShell()) built.push('electron shell');
  }
  if (force || outdated(join(root, 'dist', 'cli.mjs'), ['electron', 'shared'])) {
    await buildCli();
    built.push('cli');
  }
  return built;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await ensureBuilt({ force: !process.argv.includes('--if-needed') });
  console.log(built.length ? `built: ${built.join(', ')}` : 'everything is up to date');
}
