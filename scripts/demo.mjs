// The README's launch command (`npm run demo`): sets up what it needs, then runs ClusterDeck on a
// local demo cluster in the foreground; Ctrl-C stops it and leaves nothing running.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureSystemPackages } from './system-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureSystemPackages();
ensureNodeModules(root);
const { ensureBuilt } = await import('./build.mjs');
const built = await ensureBuilt();
if (built.length) console.log(`built: ${built.join(', ')}`);
const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'e2e', 'demo', 'demo.ts')], { stdio: 'inherit', cwd: root });
// Forward signals and wait for the child's cleanup (from a terminal it gets Ctrl-C itself as well;
// it ignores the duplicate).
process.on('SIGINT', () => child.kill('SIGINT'));
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
