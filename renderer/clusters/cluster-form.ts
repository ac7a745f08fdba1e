import { clusterSpecSchema, type ClusterSpecInput, type HaproxySocket } from '../../shared/domain/cluster';

export interface HostRow {
  name: string;
  host: string;
  port: string;
  user: string;
  /** Empty: ssh-agent, then ~/.ssh/id_*. */
  keyFile: string;
}
export interface NodeRow extends HostRow {
  /** HAProxy server name; empty means the same as the node's name. */
  server: string;
}
export interface LbRow extends HostRow {
  /** An absolute path, or HOST:PORT (ipv4@HOST:PORT accepted). */
  socket: string;
}
export interface ClusterForm {
  name: string;
  backend: string;
  nodes: NodeRow[];
  lbs: LbRow[];
}

/** Field keys: 'name', 'backend', 'nodes.0.host', 'lbs.1.socket', ... */
export type FieldErrors = Record<string, string>;

export const DEFAULT_SOCKET = '/run/haproxy/admin.sock';

export const emptyNode = (): NodeRow => ({ name: '', host: '', port: '22', user: '', keyFile: '', server: '' });
export const emptyLb = (): LbRow => ({ name: '', host: '', port: '22', user: '', keyFile: '', socket: DEFAULT_SOCKET });
export const emptyForm = (): ClusterForm => ({ name: '', backend: '', nodes: [emptyNode()], lbs: [emptyLb()] });

/** haproxy_socket as the inventory writes it: a path, or HOST:PORT / ipv4@HOST:PORT. */
export function parseSocket(raw: string): HaproxySocket | { error: string } {
  const s = raw.trim() || DEFAULT_SOCKET;
  if (s.startsWith('/')) return { kind: 'unix', path: s };
  const m = /^(?:ipv4@)?([^:@\s]+):(\d{1,5})$/.exec(s);
  if (!m) return { error: 'an absolute path, or HOST:PORT' };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return { error: 'port must be 1 to 65535' };
  return { kind: 'tcp', host: m[1]!, port };
}

function parsePort(raw: string): number | null {
  const t = raw.trim() || '22';
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 65535 ? n : null;
}

/** Maps a zod issue path on a ClusterSpec to the form field that holds it. */
export function fieldOfPath(path: readonly PropertyKey[], nodeCount: number): string {
  const [head, idx, ...rest] = path.map(String);
  if (head === 'hosts' && idx !== undefined) {
    const i = Number(idx);
    return i < nodeCount ? `nodes.${i}.name` : `lbs.${i - nodeCount}.name`;
  }
  if ((head === 'nodes' || head === 'lbs') && idx !== undefined) {
    const leaf = rest[0] === 'ssh' ? rest[1] : rest[0];
    if (head === 'nodes' && leaf === 'backend') return 'backend';
    if (leaf === undefined) return head;
    return `${head}.${idx}.${leaf === 'socket' ? 'socket' : leaf}`;
  }
  return head ?? 'form';
}

/**
 * Checks the form the way the core will (the contract's own schema) plus what only the form knows
 * (ports as text, socket syntax), and builds the ClusterSpec to save. Every error names its field.
 */
export function validateClusterForm(f: ClusterForm): { spec: ClusterSpecInput | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const ssh = (r: HostRow, key: string) => {
    const port = parsePort(r.port);
    if (port === null) errors[`${key}.port`] = '1 to 65535';
    return { host: r.host.trim(), port: port ?? 22, user: r.user.trim(), ...(r.keyFile.trim() ? { keyFile: r.keyFile.trim() } : {}) };
  };
  const backend = f.backend.trim();
  const nodes = f.nodes.map((n, i) => ({ name: n.name.trim(), ssh: ssh(n, `nodes.${i}`), backend, server: n.server.trim() || n.name.trim() }));
  const lbs = f.lbs.map((l, i) => {
    const sock = parseSocket(l.socket);
    if ('error' in sock) errors[`lbs.${i}.socket`] = sock.error;
    return { name: l.name.trim(), ssh: ssh(l, `lbs.${i}`), socket: 'error' in sock ? { kind: 'unix' as const, path: DEFAULT_SOCKET } : sock };
  });
  const spec: ClusterSpecInput = { name: f.name.trim(), nodes, lbs, source: { kind: 'manual' } };
  const parsed = clusterSpecSchema.safeParse(spec);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = fieldOfPath(issue.path, nodes.length);
      errors[key] ??= issue.message;
    }
  }
  return { spec: Object.keys(errors).length ? null : spec, errors };
}

/**
 * The core's refusal of clusters.save, put back on the field it names when it names one
 * ("clusters.save: cluster.nodes.0.ssh.host: must not be empty", "a cluster named "x" already exists").
 */
export function fieldsFromServerError(code: string | undefined, message: string, nodeCount: number): { errors: FieldErrors; rest: string | null } {
  if (code === 'ALREADY_EXISTS') return { errors: { name: message }, rest: null };
  const errors: FieldErrors = {};
  const unplaced: string[] = [];
  const body = message.replace(/^clusters\.save:\s*/, '').replace(/^cluster [^:]+:\s*/, '');
  for (const part of body.split('; ')) {
    const m = /^(?:cluster\.)?([A-Za-z0-9_.]+): (.+)$/.exec(part);
    if (!m) {
      unplaced.push(part);
      continue;
    }
    const key = fieldOfPath(m[1]!.split('.'), nodeCount);
    errors[key] ??= m[2]!;
  }
  return { errors, rest: unplaced.length ? unplaced.join('; ') : null };
}
