import { CdError } from '../../../shared/errors';
import { serverStatSchema, type ServerStat } from '../../../shared/domain/status';
import { parseServersState, type ServersStateRow } from './servers-state';
import { parseShowStat } from './show-stat';
import { toNumber } from './text';

/** What one LB reports: every server line, and each backend's own status (UP/DOWN). */
export interface LbServerStats {
  servers: ServerStat[];
  /** Backend name -> status of its BACKEND row ("UP", "DOWN"). */
  backends: Record<string, string>;
}

// `type` column of show stat: 0 frontend, 1 backend, 2 server, 3 listener (socket-stats).
const TYPE_BACKEND = '1';
const TYPE_SERVER = '2';

function rowType(row: Record<string, string>): string {
  const t = row['type'];
  if (t !== undefined && t !== '') return t;
  // Without a type column, fall back on the reserved svnames (listeners cannot be told apart then).
  if (row['svname'] === 'FRONTEND') return '0';
  if (row['svname'] === 'BACKEND') return TYPE_BACKEND;
  return TYPE_SERVER;
}

// Built once: constructing a zod schema costs far more than using it, and this runs on every LB read.
const serverStatsSchema = serverStatSchema.array();

/**
 * Joins `show stat` (server lines) with `show servers state` (admin/op state) by backend + server name
 * into ServerStat records, in `show stat` order. `serversStateText` may be null when it could not be read:
 * adminState/opState are then null, as they are for a server missing from it.
 * Throws CdError HAPROXY_PROTOCOL on unparsable input or a field that does not fit ServerStat.
 */
export function toServerStats(statText: string, serversStateText: string | null): LbServerStats {
  const stat = parseShowStat(statText);
  const state = new Map<string, ServersStateRow>();
  if (serversStateText !== null) {
    for (const r of parseServersState(serversStateText)) state.set(`${r.backend}/${r.server}`, r);
  }

  const servers: ServerStat[] = [];
  const backends: Record<string, string> = {};
  for (const row of stat.rows) {
    const backend = row['pxname'] ?? '';
    const type = rowType(row);
    if (type === TYPE_BACKEND) {
      backends[backend] = row['status'] ?? '';
      continue;
    }
    if (type !== TYPE_SERVER) continue;

    const server = row['svname'] ?? '';
    const num = (name: string): number | null => {
      const n = toNumber(row[name]);
      if (n === undefined) {
        throw new CdError('HAPROXY_PROTOCOL', `show stat: ${backend}/${server}: ${name} is not a number: ${JSON.stringify(row[name])}`);
      }
      return n;
    };
    const st = state.get(`${backend}/${server}`);
    servers.push({
      backend,
      server,
      status: row['status'] ?? '',
      backup: row['bck'] === '1',
      weight: num('weight'),
      sessions: num('scur') ?? 0,
      sessionRate: num('rate'),
      reqTotal: num('req_tot'),
      checkStatus: (row['check_status'] ?? '').replace(/^\* /, ''),
      checkDesc: row['check_desc'] ?? '',
      lastCheck: row['last_chk'] ?? '',
      lastChangeSec: num('lastchg'),
      checkRise: num('check_rise'),
      checkFall: num('check_fall'),
      addr: row['addr'] ?? '',
      adminState: st?.adminState ?? null,
      opState: st?.opState ?? null,
      // HAProxy 2.6's server-state dump has no check interval column.
      checkInterMs: null,
    });
  }

  const checked = serverStatsSchema.safeParse(servers);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const at = issue ? issue.path.slice(1).map(String).join('.') : '';
    const which = issue && typeof issue.path[0] === 'number' ? servers[issue.path[0]] : undefined;
    throw new CdError(
      'HAPROXY_PROTOCOL',
      `show stat: ${which ? `${which.backend}/${which.server}: ` : ''}${at}: ${issue?.message ?? 'invalid server line'}`,
    );
  }
  return { servers: checked.data, backends };
}
