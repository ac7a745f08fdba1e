import { describe, expect, it } from 'vitest';
import { CdError } from '../../../shared/errors';
import { fixture, shuffledOrder } from './fixtures/load';
import { SRV_ADMIN, SRV_OP_STATE, adminFlags, isAdminDrain, isAdminMaint, parseServersState, type ServersStateRow } from './servers-state';

const STATE = fixture('show-servers-state.txt');

function protocolError(fn: () => unknown): CdError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CdError);
    expect((e as CdError).code).toBe('HAPROXY_PROTOCOL');
    return e as CdError;
  }
  throw new Error('expected a HAPROXY_PROTOCOL error');
}

function byName(rows: ServersStateRow[], backend: string, server: string): ServersStateRow {
  const r = rows.find((x) => x.backend === backend && x.server === server);
  if (!r) throw new Error(`no row ${backend}/${server}`);
  return r;
}

/** Reorders the columns of a servers-state dump (header and rows alike). */
function permute(text: string, seed: number): string {
  const [version = '', header = '', ...rows] = text.split('\n').filter((l) => l.trim() !== '');
  const names = header.replace(/^# /, '').split(' ');
  const order = shuffledOrder(names.length, seed);
  const pick = (cells: string[]) => order.map((i) => cells[i] ?? '').join(' ');
  return [version, `# ${pick(names)}`, ...rows.map((r) => pick(r.split(' '))), ''].join('\n');
}

describe('parseServersState on the real 2.6 capture', () => {
  const rows = parseServersState(STATE);

  it('returns every server of every backend, disabled backends included', () => {
    expect(rows).toHaveLength(20);
    expect(rows.map((r) => `${r.backend}/${r.server}`).slice(-5)).toEqual(['app/bk1', 'hold/h1', 'static/s1', 'dis/d1', 'flap/f1']);
  });

  it('maps the columns by header name', () => {
    const web1 = byName(rows, 'app', 'web1');
    expect(web1).toMatchObject({
      backendId: 3,
      serverId: 1,
      addr: '127.0.0.1',
      opState: SRV_OP_STATE.RUNNING,
      adminState: 0,
      uweight: 10,
      iweight: 10,
      checkStatus: 15, // HCHK_STATUS_L7OKD
      checkResult: 3, // CHK_RES_PASSED
      checkHealth: 4, // rise 2 + fall 3 - 1: full health
      fqdn: '',
      srvrecord: '',
      useSsl: false,
      checkPort: 0,
      checkAddr: '',
      agentAddr: '',
      agentPort: 0,
    });
    expect(web1.port).toBeGreaterThan(0);
    expect(web1.timeSinceLastChange).toBeGreaterThanOrEqual(0);
    expect(web1.fields['srv_fqdn']).toBe('-');
    expect(web1.fields['srv_name']).toBe('web1');
  });

  it('reports op states', () => {
    expect(byName(rows, 'app', 'web2').opState).toBe(SRV_OP_STATE.STOPPING); // NOLB
    expect(byName(rows, 'app', 'web2').checkResult).toBe(4); // CHK_RES_CONDPASS (404 + disable-on-404)
    expect(byName(rows, 'app', 'web5').opState).toBe(SRV_OP_STATE.STOPPED); // DOWN
    expect(byName(rows, 'app', 'web5').checkHealth).toBe(0);
    expect(byName(rows, 'app', 'web6').checkHealth).toBe(1); // DOWN 1/3
    expect(byName(rows, 'app', 'web4').checkHealth).toBe(2); // UP 1/3
    expect(byName(rows, 'app', 'web12').opState).toBe(SRV_OP_STATE.STOPPING); // NOLB 2/3
  });

  it('reports admin bits: FMAINT, IMAINT, FDRAIN, RMAINT', () => {
    expect(byName(rows, 'app', 'web7').adminState).toBe(SRV_ADMIN.FDRAIN); // DRAIN
    expect(byName(rows, 'app', 'web8').adminState).toBe(SRV_ADMIN.FMAINT); // MAINT
    expect(byName(rows, 'app', 'web9').adminState).toBe(SRV_ADMIN.IMAINT); // MAINT (via app/web8)
    expect(byName(rows, 'app', 'web15').adminState).toBe(SRV_ADMIN.RMAINT); // MAINT (resolution)
    expect(byName(rows, 'app', 'web14').adminState).toBe(SRV_ADMIN.FDRAIN); // DRAIN (agent)
    // The gotcha: web10 is drained AND its check fails; show stat says DOWN, only this says FDRAIN.
    expect(byName(rows, 'app', 'web10')).toMatchObject({ adminState: SRV_ADMIN.FDRAIN, opState: SRV_OP_STATE.STOPPED });
  });

  it('reads fqdn, port and agent columns', () => {
    expect(byName(rows, 'app', 'web15')).toMatchObject({ addr: '', fqdn: 'backend.invalid', port: 80 });
    expect(byName(rows, 'app', 'web13').agentPort).toBeGreaterThan(0);
    expect(byName(rows, 'app', 'web13').agentState).toBe(22);
  });

  it('parses the one-backend form', () => {
    const app = parseServersState(fixture('show-servers-state-app.txt'));
    expect(app).toHaveLength(16);
    expect(new Set(app.map((r) => r.backend))).toEqual(new Set(['app']));
    expect(parseServersState(fixture('user-show-servers-state.txt'))).toHaveLength(16);
  });

  it.each([1, 7, 99])('parses a shuffled column order (seed %i) identically', (seed) => {
    const p = parseServersState(permute(STATE, seed));
    expect(p.map(({ fields: _f, ...r }) => r)).toEqual(rows.map(({ fields: _f, ...r }) => r));
  });

  it('gives null/"" for columns an older HAProxy does not send', () => {
    const old = parseServersState('1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state\n3 app 1 web1 10.0.0.1 2 8\n');
    expect(old).toEqual([
      expect.objectContaining({ backend: 'app', server: 'web1', addr: '10.0.0.1', opState: 2, adminState: 8, uweight: null, fqdn: '', port: null, useSsl: null }),
    ]);
  });

  it('an empty backend list is no rows', () => {
    expect(parseServersState('1\n# be_id be_name srv_id srv_name\n\n')).toEqual([]);
  });
});

describe('admin-state helpers', () => {
  it('names the bits', () => {
    expect(adminFlags(0)).toEqual([]);
    expect(adminFlags(0x09)).toEqual(['FMAINT', 'FDRAIN']);
    expect(adminFlags(0x7f)).toEqual(['FMAINT', 'IMAINT', 'CMAINT', 'FDRAIN', 'IDRAIN', 'RMAINT', 'HMAINT']);
  });
  it('tells maintenance from drain', () => {
    expect([0x01, 0x02, 0x04, 0x20, 0x40].every(isAdminMaint)).toBe(true);
    expect(isAdminMaint(0x08) || isAdminMaint(0x10)).toBe(false);
    expect(isAdminDrain(0x08) && isAdminDrain(0x10)).toBe(true);
    expect(isAdminDrain(0x01)).toBe(false);
  });
});

describe('parseServersState rejects malformed replies', () => {
  it('an error reply instead of the dump', () => {
    const e = protocolError(() => parseServersState(fixture('err-servers-state-no-backend.txt')));
    expect(e.message).toContain(`"Can't find backend."`);
    expect(protocolError(() => parseServersState(fixture('err-permission-denied.txt'))).message).toContain('"Permission denied"');
  });
  it('an unsupported version', () => {
    expect(protocolError(() => parseServersState(STATE.replace(/^1\n/, '2\n'))).message).toMatch(/version line "1", got "2"/);
  });
  it('a missing header', () => {
    expect(protocolError(() => parseServersState('1\n3 app 1 web1\n')).message).toMatch(/header/);
    expect(protocolError(() => parseServersState('1\n')).message).toMatch(/\(nothing\)/);
    expect(protocolError(() => parseServersState('1\n# be_id srv_id\n')).message).toContain('"be_name"');
  });
  it('a value that does not fit its column', () => {
    const bad = STATE.replace('3 app 1 web1 127.0.0.1 2 0', '3 app 1 web1 127.0.0.1 running 0');
    expect(protocolError(() => parseServersState(bad)).message).toMatch(/app\/web1: srv_op_state is not a number: "running"/);
  });
  it('a short line', () => {
    expect(protocolError(() => parseServersState('1\n# be_id be_name srv_id srv_name\n3 app\n')).message).toMatch(/short line/);
  });
});
