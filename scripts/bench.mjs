// `npm run bench [-- drain|detection|watch|push]`: speed and memory figures against the lab; results in
// bench-results.json at the repo root (one bench alone updates its figures and keeps the others).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureSystemPackages } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureSystemPackages();
ensureNodeModules(root);
const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'e2e', 'bench', 'drain-bench.ts'), join(root, 'bench-results.json'), ...process.argv.slice(2, 3)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(r.status ?? 1);
