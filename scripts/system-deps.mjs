// Checks the Debian packages the lab and the browser tests need. As root it installs what is
// missing with apt-get; otherwise it prints the exact line to run and lets the caller go on
// (tests that need them then report themselves as skipped, with the reason).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const REQUIRED = [
  { bin: '/usr/sbin/sshd', pkg: 'openssh-server' },
  { bin: '/usr/bin/ssh-keygen', pkg: 'openssh-client' },
  { bin: '/usr/bin/ssh-agent', pkg: 'openssh-client' },
  { bin: '/usr/sbin/haproxy', pkg: 'haproxy' },
  { bin: '/usr/sbin/ip', alt: '/sbin/ip', pkg: 'iproute2' },
  { bin: '/usr/bin/unshare', pkg: 'util-linux' },
  { bin: '/usr/bin/pkill', pkg: 'procps' },
  { bin: '/usr/sbin/iptables', alt: '/sbin/iptables', pkg: 'iptables' },
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
];

export function missingPackages() {
  const missing = REQUIRED.filter((r) => !existsSync(r.bin) && !(r.alt && existsSync(r.alt))).map((r) => r.pkg);
  return [...new Set(missing)];
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
  return missingPackages().length === 0;
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
