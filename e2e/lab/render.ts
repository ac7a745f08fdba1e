import { createHash } from 'node:crypto';
import { APP_PORT, BACKEND, LB_PORT, NODE_NAMES } from './plan';
import type { HostName, LabHost } from './types';

/** Pure renderers: every config file the lab writes comes from here, so unit tests can pin them. */

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface SshdPaths {
  hostKeys: string[];
  authorizedKeys: string;
  pidFile: string;
}

export function renderSshdConfig(host: LabHost, p: SshdPaths): string {
  return [
    `# ClusterDeck lab sshd for ${host.name}; never reads the machine's /etc/ssh/sshd_config`,
    `ListenAddress ${host.ip}:${host.sshPort}`,
    ...p.hostKeys.map((k) => `HostKey ${k}`),
    `PidFile ${p.pidFile}`,
    `AuthorizedKeysFile ${p.authorizedKeys}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // Lab files live in a temp dir owned by whoever ran the tests; ownership checks would only get in the way.
    'StrictModes no',
    'AllowStreamLocalForwarding yes',
    'AllowTcpForwarding yes',
    'StreamLocalBindUnlink yes',
    'X11Forwarding no',
    'UseDNS no',
    'PrintMotd no',
    'PrintLastLog no',
    // Tests and the app open many sessions and connections at once; defaults (10/10:30:100) would refuse some.
    'MaxSessions 64',
    'MaxStartups 64:30:128',
    'MaxAuthTries 10',
    'LoginGraceTime 30',
    'LogLevel VERBOSE',
    'Subsystem sftp internal-sftp',
    '',
  ].join('\n');
}

export interface HaproxyParams {
  lb: LabHost;
  nodes: LabHost[];
}

/** The master CLI as each LB sees it (the lab runs haproxy -W -S with this path). */
export const MASTER_SOCKET = '/run/haproxy/master.sock';

/** A runtime API socket at level operator on every LB (reads work, drain/maint/ready are refused). */
export const OPERATOR_SOCKET = '/run/haproxy/operator.sock';

/** Port of the LB-local TCP runtime API. */
export const RUNTIME_TCP_PORT = 9999;

export function renderHaproxyConfig({ lb, nodes }: HaproxyParams): string {
  const pins = nodes.map((n) => `    use-server ${n.name} if { req.hdr(x-cd-server) -m str ${n.name} }`);
  const servers = nodes.map(
    (n) => `    server ${n.name} ${n.ip}:${APP_PORT} check inter 1s fall 3 rise 2${n.name === 'node3' ? ' backup' : ''}`,
  );
  return [
    `# ClusterDeck lab HAProxy for ${lb.name}`,
    'global',
    // Notices (server UP/DOWN, start-up alerts) go to the lab log; traffic lines are info and stay out.
    '    log stderr format short local0 notice',
    '    stats socket /run/haproxy/admin.sock mode 660 level admin expose-fd listeners',
    // A second runtime API on the LB's own loopback, for the `HOST:PORT` haproxy_socket form: reached
    // through the LB's SSH connection (direct-tcpip), never from outside the namespace.
    `    stats socket ipv4@127.0.0.1:${RUNTIME_TCP_PORT} level admin`,
    // A read-only-ish socket, as some sites give monitoring: ClusterDeck must see it cannot drain there.
    `    stats socket ${OPERATOR_SOCKET} mode 660 level operator`,
    '    stats timeout 2m',
    '    server-state-file /var/lib/haproxy/server-state',
    '    maxconn 4096',
    '',
    'defaults',
    '    mode http',
    '    log global',
    '    option httplog',
    '    option dontlognull',
    '    load-server-state-from-file global',
    '    timeout connect 2s',
    // Long enough to hold a request for 60 s and then some.
    '    timeout client 120s',
    '    timeout server 120s',
    '    timeout http-request 10s',
    '    timeout queue 10s',
    '',
    'frontend web',
    `    bind ${lb.ip}:${LB_PORT}`,
    `    default_backend ${BACKEND}`,
    '',
    `backend ${BACKEND}`,
    '    balance roundrobin',
    '    option httpchk GET /health',
    '    http-check expect status 200',
    ...pins,
    ...servers,
    '',
  ].join('\n');
}

export function renderAppConf(node: LabHost, slot: number): string {
  return [`# managed by ClusterDeck lab`, `node = ${node.name}`, `slot = ${slot}`, `listen = ${node.ip}:${APP_PORT}`, ''].join('\n');
}

export interface InventoryParams {
  hosts: Record<HostName, LabHost>;
  keyFile: string;
}

export function renderInventoryYaml({ hosts, keyFile }: InventoryParams): string {
  const node = (n: HostName): string => `        ${n}: { ansible_host: ${hosts[n].ip}, lb_server: ${n} }`;
  return [
    'all:',
    '  vars:',
    '    ansible_user: root',
    `    ansible_ssh_private_key_file: ${JSON.stringify(keyFile)}`,
    `    lb_backend: ${BACKEND}`,
    '  children:',
    '    app_nodes:',
    '      hosts:',
    ...NODE_NAMES.map(node),
    '    lbservers:',
    '      vars:',
    `        haproxy_master_socket: ${MASTER_SOCKET}`,
    '      hosts:',
    `        lb1: { ansible_host: ${hosts.lb1.ip} }`,
    `        lb2: { ansible_host: ${hosts.lb2.ip} }`,
    '',
  ].join('\n');
}

export function renderInventoryIni({ hosts, keyFile }: InventoryParams): string {
  return [
    '[app_nodes]',
    ...NODE_NAMES.map((n) => `${n} ansible_host=${hosts[n].ip} lb_server=${n}`),
    '',
    '[lbservers]',
    `lb1 ansible_host=${hosts.lb1.ip}`,
    `lb2 ansible_host=${hosts.lb2.ip}`,
    '',
    '[lbservers:vars]',
    `haproxy_master_socket=${MASTER_SOCKET}`,
    '',
    '[all:vars]',
    'ansible_user=root',
    `ansible_ssh_private_key_file=${keyFile}`,
    `lb_backend=${BACKEND}`,
    '',
  ].join('\n');
}

export function renderAskpass(passphrase: string): string {
  return `#!/bin/sh\nprintf '%s\\n' ${shellQuote(passphrase)}\n`;
}

/** `ip netns exec` + a private mount namespace with the host's bind mounts, then exec of the service. */
export function hostCommand(host: LabHost, binds: ReadonlyArray<readonly [string, string]>, argv: string[]): string[] {
  const mounts = binds.map(([src, dst]) => `mount --bind ${shellQuote(src)} ${shellQuote(dst)}`);
  const script = ['set -e', ...mounts, 'exec "$@"'].join('; ');
  return ['ip', 'netns', 'exec', host.netns, 'unshare', '--mount', '--propagation', 'private', '--', 'sh', '-c', script, `lab-${host.name}`, ...argv];
}

/** A public key line "type base64 [comment]" split into its parts. */
export function parsePublicKey(line: string): { type: string; blob: string } {
  const [type, blob] = line.trim().split(/\s+/);
  if (!type || !blob) throw new Error(`not an OpenSSH public key: ${line.slice(0, 40)}`);
  return { type, blob };
}

/** Same as `ssh-keygen -lf`: SHA256 of the key blob, unpadded base64. */
export function fingerprintOf(blobBase64: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(blobBase64, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

export function knownHostsLine(ip: string, port: number, type: string, blob: string): string {
  const host = port === 22 ? ip : `[${ip}]:${port}`;
  return `${host} ${type} ${blob}`;
}

/** Where the lab app keeps its pid and its (re)load acknowledgements, as the node sees them. */
export const APP_DIR = '/srv/app';

/**
 * `/srv/app/reload`: SIGHUP to the app, then wait (at most 5 s) for it to acknowledge in app.state.
 * Exit 0 when it loaded the file, 1 with the app's reason when it rejected it or did not answer,
 * 2 when the app is not running.
 */
export function renderReloadScript(): string {
  return `#!/bin/sh
# ClusterDeck lab: reload the app's configuration and report whether the app took it.
set -u
d=${APP_DIR}
gen() { sed -n 's/^gen=//p' "$d/app.state" 2>/dev/null; }
field() { sed -n "s/^$1=//p" "$d/app.state" 2>/dev/null; }
pid=$(cat "$d/app.pid" 2>/dev/null) || { echo "reload: no $d/app.pid: is the app running?" >&2; exit 2; }
kill -0 "$pid" 2>/dev/null || { echo "reload: the app (pid $pid) is not running" >&2; exit 2; }
before=$(gen)
kill -HUP "$pid" || { echo "reload: could not signal the app (pid $pid)" >&2; exit 2; }
i=0
while [ "$i" -lt 50 ]; do
  now=$(gen)
  if [ -n "$now" ] && [ "$now" != "$before" ]; then
    if [ "$(field ok)" = 1 ]; then echo "app (pid $pid) loaded $d/app.conf, sha256 $(field sha256)"; exit 0; fi
    echo "app (pid $pid) rejected the new configuration and kept the previous one: $(field reason)" >&2
    exit 1
  fi
  sleep 0.1
  i=$((i + 1))
done
echo "reload: the app (pid $pid) did not acknowledge SIGHUP within 5 s" >&2
exit 1
`;
}

/** `/srv/app/check-conf FILE`: the app's own parser run against FILE (exit 1 with the bad line). */
export function renderCheckConfScript(nodeBin: string, appServer: string): string {
  return `#!/bin/sh
# ClusterDeck lab: check an app configuration file the way the app reads it.
[ $# -eq 1 ] || { echo "usage: check-conf FILE" >&2; exit 2; }
exec ${shellQuote(nodeBin)} ${shellQuote(appServer)} --check "$1"
`;
}
