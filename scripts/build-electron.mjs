// Bundles the Electron shell: dist/electron/main.cjs (main process: the core and the shell) and
// dist/electron/preload.cjs (sandboxed preload). The main process finds the UI at ../renderer, so
// the renderer build must sit in dist/renderer beside it.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'electron');

// Provided by Electron itself, or native / optional modules that must stay real files in
// node_modules (ssh2's crypto binding, cpu-features, ws's optional accelerators).
export const MAIN_EXTERNAL = ['electron', 'ssh2', 'cpu-features', 'bufferutil', 'utf-8-validate'];

// A sandboxed preload may require only these (Electron's sandbox polyfills); anything else fails at
// load time in the renderer, so the build refuses it instead.
const PRELOAD_ALLOWED = new Set(['electron', 'events', 'timers', 'url']);

/** The modules a CommonJS bundle still requires at run time. */
export function requiredModules(code) {
  return [...new Set([...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]))].sort();
}

export async function buildElectron({ quiet = false } = {}) {
  await mkdir(out, { recursive: true });
  const common = { bundle: true, format: 'cjs', sourcemap: true, logLevel: 'warning', legalComments: 'none' };
  await build({
    ...common,
    entryPoints: [join(root, 'electron', 'main.ts')],
    outfile: join(out, 'main.cjs'),
    platform: 'node',
    target: 'node22',
    external: MAIN_EXTERNAL,
  });
  await build({
    ...common,
    entryPoints: [join(root, 'electron', 'preload.ts')],
    outfile: join(out, 'preload.cjs'),
    // 'browser': a Node built-in reaching the preload is a build error, not a blank window.
    platform: 'browser',
    target: 'chrome140',
    // zod and the contract's schemas come along for the method names; minified, it parses faster
    minify: true,
    external: ['electron'],
  });
  const preloadRequires = requiredModules(await readFile(join(out, 'preload.cjs'), 'utf8'));
  const forbidden = preloadRequires.filter((m) => !PRELOAD_ALLOWED.has(m));
  if (forbidden.length) throw new Error(`preload.cjs requires modules a sandboxed preload cannot load: ${forbidden.join(', ')}`);
  // The window icon for unpackaged runs (packaged builds get theirs from electron-builder).
  await copyFile(join(root, 'assets', 'icon.png'), join(out, 'icon.png'));
  if (!quiet) console.log('built dist/electron/main.cjs and dist/electron/preload.cjs');
  return { main: join(out, 'main.cjs'), preload: join(out, 'preload.cjs') };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildElectron().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
