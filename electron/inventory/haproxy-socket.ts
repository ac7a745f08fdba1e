// `haproxy_socket` on a load balancer, written the way HAProxy's `stats socket` takes it:
//   /run/haproxy/admin.sock, unix@/run/haproxy/admin.sock      -> unix socket
//   127.0.0.1:9999, ipv4@127.0.0.1:9999, localhost:9999         -> TCP
//   [::1]:9999, ipv6@::1:9999                                   -> TCP over IPv6
// `*:9999` / `:9999` (listen on every address) are reached at 127.0.0.1. Any TCP socket beyond the
// loopback is an unauthenticated admin CLI open to the network: imported, with a warning and the fix.
import type { HaproxySocket } from '../../shared/domain/cluster';
import { exposedSocketWarning, isLoopbackHost, isWildcardHost } from '../../shared/domain/socket-exposure';

export type SocketResult =
  | { ok: true; socket: HaproxySocket; warning?: string }
  | { ok: false; message: string };

const HELP = 'expected an absolute unix socket path (/run/haproxy/admin.sock, unix@/path) or HOST:PORT (ipv4@HOST:PORT, [v6]:PORT, ipv6@v6:PORT)';

function port(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

function tcp(host: string, portText: string, raw: string): SocketResult {
  const p = port(portText);
  if (p === undefined) return { ok: false, message: `haproxy_socket ${JSON.stringify(raw)} has an invalid port "${portText}" (1-65535)` };
  const exposed = (lb: string): string => {
    const w = exposedSocketWarning({ lb, address: raw, level: 'admin', where: `haproxy_socket ${JSON.stringify(raw)}` });
    return `${w.message}. Fix: ${w.fix}`;
  };
  if (isWildcardHost(host)) {
    return {
      ok: true,
      socket: { kind: 'tcp', host: '127.0.0.1', port: p },
      warning: `${exposed('the load balancer')}. ClusterDeck will reach it at 127.0.0.1:${p} on the load balancer`,
    };
  }
  if (/[\s/@[\]]/.test(host)) return { ok: false, message: `haproxy_socket ${JSON.stringify(raw)} has an invalid host "${host}"; ${HELP}` };
  if (!isLoopbackHost(host)) return { ok: true, socket: { kind: 'tcp', host, port: p }, warning: exposed('the load balancer') };
  return { ok: true, socket: { kind: 'tcp', host, port: p } };
}

export function parseHaproxySocket(value: string): SocketResult {
  const raw = value;
  const s = value.trim();
  if (s === '') return { ok: false, message: `haproxy_socket is empty; ${HELP}` };
  if (/\s/.test(s)) return { ok: false, message: `haproxy_socket ${JSON.stringify(raw)} contains spaces; ${HELP}` };
  if (s.startsWith('/')) return { ok: true, socket: { kind: 'unix', path: s } };
  const at = /^([a-z0-9]+)@(.*)$/.exec(s);
  if (at) {
    const [, family = '', rest = ''] = at;
    if (family === 'unix') {
      if (!rest.startsWith('/')) return { ok: false, message: `haproxy_socket ${JSON.stringify(raw)}: a unix socket path must be absolute` };
      return { ok: true, socket: { kind: 'unix', path: rest } };
    }
    if (family === 'ipv4') {
      const m = /^([^:]*):([^:]*)$/.exec(rest);
      return m ? tcp(m[1] ?? '', m[2] ?? '', raw) : { ok: false, message: `haproxy_socket ${JSON.stringify(raw)}: ${HELP}` };
    }
    if (family === 'ipv6') {
      const b = /^\[([^\]]*)\]:(.*)$/.exec(rest);
      if (b) return tcp(b[1] ?? '', b[2] ?? '', raw);
      const i = rest.lastIndexOf(':');
      return i > 0 && rest.slice(0, i).includes(':')
        ? tcp(rest.slice(0, i), rest.slice(i + 1), raw)
        : { ok: false, message: `haproxy_socket ${JSON.stringify(raw)}: ${HELP}` };
    }
    return { ok: false, message: `haproxy_socket ${JSON.stringify(raw)}: the "${family}@" address family is not supported; ${HELP}` };
  }
  const b = /^\[([^\]]*)\]:(.*)$/.exec(s);
  if (b) return tcp(b[1] ?? '', b[2] ?? '', raw);
  const m = /^([^:]*):([^:]*)$/.exec(s);
  if (m) return tcp(m[1] ?? '', m[2] ?? '', raw);
  return { ok: false, message: `haproxy_socket ${JSON.stringify(raw)} is not understood; ${HELP}` };
}
