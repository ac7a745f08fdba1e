/**
 * The `stats socket` lines of haproxy.cfg's global section: where each runtime API listens and at
 * which level. Read to tell an admin when one is reachable from the network, which an inventory
 * alone cannot show (a wildcard bind reached through 127.0.0.1 looks safe from there). Pure.
 */
import type { CliLevel } from '../../shared/domain/reloads';
import { isLoopbackHost } from '../../shared/domain/socket-exposure';
import { splitLines, tokenize } from './cfg-tokens';
import { parseSections } from './haproxy-cfg';

export interface StatsSocket {
  /** 1-based line in the file. */
  line: number;
  /** The address as written (`/run/haproxy/admin.sock`, `ipv4@0.0.0.0:9999`, `*:9999`...). */
  address: string;
  kind: 'unix' | 'tcp' | 'other';
  /** For TCP: the host part ('' for `:9999`) and the port. */
  host: string | null;
  port: number | null;
  /** HAProxy's default level for a stats socket is operator. */
  level: CliLevel;
}

function classify(address: string): Pick<StatsSocket, 'kind' | 'host' | 'port'> {
  if (address.startsWith('/') || address.startsWith('unix@')) return { kind: 'unix', host: null, port: null };
  const bare = address.replace(/^(ipv4|ipv6|tcp|tcp4|tcp6)@/, '');
  if (bare !== address || /^[^@]*:\d+$/.test(address)) {
    const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(bare);
    if (m) return { kind: 'tcp', host: m[1] ?? '', port: Number(m[2]) };
  }
  return { kind: 'other', host: null, port: null };
}

export function statsSockets(text: string): StatsSocket[] {
  const lines = splitLines(text);
  const out: StatsSocket[] = [];
  for (const sec of parseSections(text).filter((s) => s.kind === 'global')) {
    for (let i = sec.start + 1; i < sec.end; i++) {
      const t = tokenize(lines[i]!.text).tokens.map((x) => x.value);
      if (t[0] !== 'stats' || t[1] !== 'socket' || !t[2]) continue;
      const at = t.indexOf('level');
      const lv = at > 0 ? t[at + 1] : undefined;
      const level: CliLevel = lv === 'admin' || lv === 'user' || lv === 'operator' ? lv : 'operator';
      out.push({ line: i + 1, address: t[2], level, ...classify(t[2]) });
    }
  }
  return out;
}

/** TCP stats sockets bound beyond the loopback (wildcards included). */
export function exposedSockets(sockets: StatsSocket[]): StatsSocket[] {
  return sockets.filter((s) => s.kind === 'tcp' && s.host !== null && !isLoopbackHost(s.host));
}
