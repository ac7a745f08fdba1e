#!/usr/bin/env node
// The `clusterdeck` bin. Node 20 can't run TypeScript, so from a source checkout (right after
// `npm ci`) the CLI runs through tsx; a packaged build without tsx runs dist/cli.mjs instead.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'electron', 'cli', 'main.ts');
const built = join(root, 'dist', 'cli.mjs');

let tsx = null;
if (existsSync(source)) {
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    tsx = null;
  }
}
if (tsx) {
  tsx.register();
  await import(pathToFileURL(source).href);
} else if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  console.error('clusterdeck: neither tsx (run `npm ci`) nor a build (dist/cli.mjs) is available');
  process.exit(1);
}
