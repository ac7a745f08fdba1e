// Checks the Debian packages of scripts/system-packages.json (the one list). As root it installs
// what is missing with apt-get; otherwise it prints the exact line to run and lets the caller go on
// (tests that need them then report themselves as skipped, with the reason).
//
// `node scripts/system-deps.mjs --packages` prints the list for .ci/run.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const LIST = JSON.parse(readFileSync(join(here, 'system-packages.json'), 'utf8')).packages;

/** Every package of the list, in its order. */
export const PACKAGES = LIST.map((p) => p.package);

const SEARCH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function found(program) {
  for (const d of [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH]) {
    try {
      accessSync(`${d}/${program}`, constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

function installed(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

/** Packages whose programs are missing (or, for a package with no program, that dpkg does not list). */
export function missingPackages() {
  return LIST.filter((p) => (p.programs.length ? p.programs.some((prog) => !found(prog)) : !installed(p.package))).map((p) => p.package);
}

export function installLine(pkgs) {
  return `sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${pkgs.join(' ')}`;
}

/** Returns true when everything is present afterwards. */
export function ensureSystemPackages(log = console.log) {
  const missing = missingPackages();
  if (missing.length === 0) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    log(`Missing system packages: ${missing.join(', ')}. Run:\n  ${installLine(missing)}`);
    return false;
  }
  log(`Installing system packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  if (update.status !== 0) log('apt-get update failed; trying the install anyway');
  const inst = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  if (inst.status !== 0) {
    log(`apt-get install failed (exit ${inst.status}); install by hand:\n  ${installLine(missing)}`);
    return false;
  }
  const still = missingPackages();
  if (still.length) log(`still missing after apt-get: ${still.join(', ')}`);
  return still.length === 0;
}

export function ensureNodeModules(root, log = console.log) {
  if (existsSync(`${root}/node_modules/.package-lock.json`)) return;
  log('node_modules is missing: running npm ci');
  // Electron's binary can't be downloaded here; its package is pinned so nothing is fetched at install.
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--packages') console.log(PACKAGES.join(' '));
