import type { NodeSpec } from '../../shared/domain/cluster';
import type { LinkStatus, ServerStat } from '../../shared/domain/status';
import { CdError } from '../../shared/errors';
import type { LbRead } from './lb-read';

// Small builders for the pure tests of derivation and the gate.

export function stat(server: string, status: string, extra: Partial<ServerStat> = {}): ServerStat {
  return {
    backend: 'app',
    server,
    status,
    backup: false,
    weight: 1,
    sessions: 0,
    sessionRate: 0,
    reqTotal: 0,
    checkStatus: status.startsWith('UP') ? 'L7OK' : status.startsWith('DOWN') ? 'L4CON' : '',
    checkDesc: '',
    lastCheck: '',
    lastChangeSec: 12,
    checkRise: 2,
    checkFall: 3,
    addr: '10.0.0.1:8080',
    adminState: 0,
    opState: 2,
    checkInterMs: null,
    ...extra,
  };
}

export const node = (name: string, server = name): NodeSpec => ({
  name,
  ssh: { host: `${name}.example`, port: 22, user: 'root' },
  backend: 'app',
  server,
});

export const read = (lb: string, servers: ServerStat[]): LbRead => ({ lb, ok: true, servers, backends: { app: 'UP' }, info: null, readMs: 1, at: 1_000, level: 'admin' });
export const unreadable = (lb: string): LbRead => ({
  lb,
  ok: false,
  error: new CdError('SOCKET_FORWARD_FAILED', `${lb}: could not reach the unix socket`),
});

export const link = (host: string, state: LinkStatus['state'] = 'up'): LinkStatus => ({
  host,
  role: 'node',
  target: `root@${host}:22`,
  state,
  rttMs: state === 'up' ? 0.4 : null,
  recentRttMs: state === 'up' ? [0.5, 0.4] : [],
  missedBeats: state === 'unreachable' ? 3 : 0,
  since: 0,
  lastError: state === 'unreachable' ? { code: 'SSH_TIMEOUT', message: '3 heartbeats (every 1000 ms) went unanswered' } : null,
});
