import { CdError } from '../../../shared/errors';
import { SRV_ADMIN, type SrvAdminFlag } from '../../../shared/domain/admin-state';
import { quoteFirstLine, toNumber, truncate } from './text';

export { SRV_ADMIN, isAdminDrain, isAdminMaint, type SrvAdminFlag } from '../../../shared/domain/admin-state';

/** Names of the bits set in an srv_admin_state mask, in bit order. */
export function adminFlags(mask: number): SrvAdminFlag[] {
  return (Object.keys(SRV_ADMIN) as SrvAdminFlag[]).filter((k) => (mask & SRV_ADMIN[k]) !== 0);
}

/** srv_op_state values (enum srv_state). */
export const SRV_OP_STATE = { STOPPED: 0, STARTING: 1, RUNNING: 2, STOPPING: 3 } as const;

/** One server line of `show servers state`; null/'' for columns this HAProxy did not send or sent as `-`. */
export interface ServersStateRow {
  backendId: number | null;
  backend: string;
  serverId: number | null;
  server: string;
  addr: string;
  /** 0 stopped, 1 starting, 2 running, 3 stopping. */
  opState: number | null;
  /** Bitmask, see SRV_ADMIN. */
  adminState: number | null;
  uweight: number | null;
  iweight: number | null;
  timeSinceLastChange: number | null;
  /** Numeric HCHK_STATUS_* code (not the L7OK text). */
  checkStatus: number | null;
  /** CHK_RES_*: 0 unknown, 1 neutral, 2 failed, 3 passed, 4 conditionally passed. */
  checkResult: number | null;
  checkHealth: number | null;
  /** CHK_ST_* bits of the health check. */
  checkState: number | null;
  /** CHK_ST_* bits of the agent check. */
  agentState: number | null;
  fqdn: string;
  port: number | null;
  srvrecord: string;
  useSsl: boolean | null;
  checkPort: number | null;
  checkAddr: string;
  agentAddr: string;
  agentPort: number | null;
  /** Every column by header name, verbatim (`-` kept). */
  fields: Record<string, string>;
}

const NUMERIC: Record<string, true> = {
  be_id: true,
  srv_id: true,
  srv_op_state: true,
  srv_admin_state: true,
  srv_uweight: true,
  srv_iweight: true,
  srv_time_since_last_change: true,
  srv_check_status: true,
  srv_check_result: true,
  srv_check_health: true,
  srv_check_state: true,
  srv_agent_state: true,
  bk_f_forced_id: true,
  srv_f_forced_id: true,
  srv_port: true,
  srv_use_ssl: true,
  srv_check_port: true,
  srv_agent_port: true,
};

function protocol(message: string): CdError {
  return new CdError('HAPROXY_PROTOCOL', `show servers state: ${message}`);
}

/**
 * Parses `show servers state [backend]` (the server-state-file format, version 1): a `1` line, a
 * `# be_id be_name ...` header of space-separated names, then one space-separated line per server.
 * Columns are read by header name. Throws CdError HAPROXY_PROTOCOL on a missing/unsupported version
 * line, a missing header, or a value that does not fit its column.
 */
export function parseServersState(text: string): ServersStateRow[] {
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
  const [version, headerLine, ...dataLines] = lines;
  if (version === undefined || version.trim() !== '1') {
    throw protocol(`expected the format version line "1", got ${quoteFirstLine(text)}`);
  }
  if (headerLine === undefined || !headerLine.startsWith('#')) {
    throw protocol(`expected a "# be_id be_name ..." header after the version line, got ${headerLine === undefined ? '(nothing)' : JSON.stringify(truncate(headerLine, 80))}`);
  }
  const names = headerLine.replace(/^#\s*/, '').trim().split(/\s+/);
  for (const required of ['be_name', 'srv_name']) {
    if (!names.includes(required)) throw protocol(`header has no "${required}" column: ${JSON.stringify(truncate(headerLine, 80))}`);
  }

  return dataLines.map((line) => {
    const cells = line.trim().split(/\s+/);
    const fields: Record<string, string> = {};
    names.forEach((name, i) => {
      const v = cells[i];
      if (v !== undefined && !(name in fields)) fields[name] = v;
    });
    const where = `${fields['be_name'] ?? '?'}/${fields['srv_name'] ?? '?'}`;
    if (fields['be_name'] === undefined || fields['srv_name'] === undefined) {
      throw protocol(`short line ${JSON.stringify(truncate(line, 80))}`);
    }
    const str = (name: string): string => {
      const v = fields[name];
      return v === undefined || v === '-' ? '' : v;
    };
    const num = (name: string): number | null => {
      const raw = fields[name];
      const n = toNumber(raw === '-' ? '' : raw);
      if (n === undefined) throw protocol(`${where}: ${name} is not a number: ${JSON.stringify(raw)}`);
      return n;
    };
    for (const name of Object.keys(fields)) if (NUMERIC[name]) num(name);
    const ssl = num('srv_use_ssl');
    return {
      backendId: num('be_id'),
      backend: str('be_name'),
      serverId: num('srv_id'),
      server: str('srv_name'),
      addr: str('srv_addr'),
      opState: num('srv_op_state'),
      adminState: num('srv_admin_state'),
      uweight: num('srv_uweight'),
      iweight: num('srv_iweight'),
      timeSinceLastChange: num('srv_time_since_last_change'),
      checkStatus: num('srv_check_status'),
      checkResult: num('srv_check_result'),
      checkHealth: num('srv_check_health'),
      checkState: num('srv_check_state'),
      agentState: num('srv_agent_state'),
      fqdn: str('srv_fqdn'),
      port: num('srv_port'),
      srvrecord: str('srvrecord'),
      useSsl: ssl === null ? null : ssl !== 0,
      checkPort: num('srv_check_port'),
      checkAddr: str('srv_check_addr'),
      agentAddr: str('srv_agent_addr'),
      agentPort: num('srv_agent_port'),
      fields,
    };
  });
}
