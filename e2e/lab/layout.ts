import type { HostName, LabHost, ServiceName } from './types';

/** Where everything lives inside a lab dir. One place, so cleanup, services and tests agree. */

export const keysDir = (dir: string): string => `${dir}/keys`;
export const logsDir = (dir: string): string => `${dir}/logs`;
export const hostDir = (dir: string, host: HostName): string => `${dir}/${host}`;
export const sshDir = (dir: string, host: HostName): string => `${dir}/${host}/ssh`;
export const sshdConfigPath = (dir: string, host: HostName): string => `${sshDir(dir, host)}/sshd_config`;
export const sshdPidPath = (dir: string, host: HostName): string => `${sshDir(dir, host)}/sshd.pid`;
export const authorizedKeysPath = (dir: string): string => `${keysDir(dir)}/authorized_keys`;
export const logPath = (dir: string, host: string, service: ServiceName | string): string => `${logsDir(dir)}/${host}-${service}.log`;

export const nodeSrv = (dir: string, host: HostName): string => `${hostDir(dir, host)}/srv`;
export const hostHome = (dir: string, host: HostName): string => `${hostDir(dir, host)}/root`;
export const lbEtc = (dir: string, host: HostName): string => `${hostDir(dir, host)}/etc-haproxy`;
export const lbRun = (dir: string, host: HostName): string => `${hostDir(dir, host)}/run-haproxy`;
export const lbVarLib = (dir: string, host: HostName): string => `${hostDir(dir, host)}/var-lib-haproxy`;
export const adminSocket = (dir: string, host: HostName): string => `${lbRun(dir, host)}/admin.sock`;
export const masterSocket = (dir: string, host: HostName): string => `${lbRun(dir, host)}/master.sock`;

/** unix socket paths are limited to 107 bytes; a long lab dir would make the LB sockets unreachable. */
export const MAX_SOCKET_PATH = 107;

/**
 * The same bind mounts for every process of a host, so its sshd sessions see what its services see.
 * Each host also gets its own empty /root: sessions log in as root, and the machine's own root
 * dotfiles (shell init that rehashes, waits on locks...) must not leak into the lab's hosts.
 */
export function bindsFor(dir: string, host: LabHost): Array<readonly [string, string]> {
  const home = [hostHome(dir, host.name), '/root'] as const;
  if (host.role === 'node') return [home, [nodeSrv(dir, host.name), '/srv']];
  return [
    home,
    [lbEtc(dir, host.name), '/etc/haproxy'],
    [lbRun(dir, host.name), '/run/haproxy'],
    [lbVarLib(dir, host.name), '/var/lib/haproxy'],
  ];
}

/** Host-side mountpoints that must exist for the binds above. */
export const MOUNTPOINTS = ['/srv', '/etc/haproxy', '/run/haproxy', '/var/lib/haproxy', '/run/sshd'];
