import { writeFileSync } from 'node:fs';
import type { LabCore } from './context';
import { tail } from './exec';
import { HOST_KEY_TYPES, hostKeyPath } from './keys';
import { authorizedKeysPath, bindsFor, logPath, sshDir, sshdConfigPath, sshdPidPath } from './layout';
import { renderSshdConfig } from './render';
import type { HostName } from './types';
import { tcpProbe, waitFor } from './wait';

export const SSHD = '/usr/sbin/sshd';

export function writeSshdConfig(core: LabCore, host: HostName): void {
  const h = core.hosts[host];
  writeFileSync(
    sshdConfigPath(core.dir, host),
    renderSshdConfig(h, {
      hostKeys: HOST_KEY_TYPES.map((t) => hostKeyPath(sshDir(core.dir, host), t)),
      authorizedKeys: authorizedKeysPath(core.dir),
      pidFile: sshdPidPath(core.dir, host),
    }),
  );
}

export function startSshd(core: LabCore, host: HostName): void {
  const h = core.hosts[host];
  // sshd re-execs itself per connection, which needs the absolute path.
  core.procs.spawn(h, 'sshd', bindsFor(core.dir, h), [SSHD, '-D', '-e', '-f', sshdConfigPath(core.dir, host)], logPath(core.dir, host, 'sshd'));
}

/** Ready = the listener answers with an SSH banner (a bare TCP accept could be anything). */
export async function waitSshd(core: LabCore, host: HostName, timeoutMs: number): Promise<void> {
  const h = core.hosts[host];
  const log = logPath(core.dir, host, 'sshd');
  await waitFor(() => tcpProbe(h.ip, h.sshPort, 1000, 'SSH-'), {
    timeoutMs,
    intervalMs: 50,
    what: `sshd on ${host} (${h.ip}:${h.sshPort}) to send its banner`,
    failIf: () => (core.procs.running(host, 'sshd') ? null : `sshd on ${host} exited`),
    detail: () => `sshd log (${log}):\n${tail(log)}`,
  });
}
