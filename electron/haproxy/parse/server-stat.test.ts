import { describe, expect, it } from 'vitest';
import { serverStatSchema, type ServerStat } from '../../../shared/domain/status';
import { CdError } from '../../../shared/errors';
import { dropColumns, fixture, permuteColumns, readCsv, shuffledOrder } from './fixtures/load';
import { SRV_ADMIN } from './servers-state';
import { toServerStats } from './server-stat';
import { classifyStatus } from './status-text';

const STAT = fixture('show-stat.txt');
const STATE = fixture('show-servers-state.txt');

function find(servers: ServerStat[], backend: string, server: string): ServerStat {
  const s = servers.find((x) => x.backend === backend && x.server === server);
  if (!s) throw new Error(`no server ${backend}/${server}`);
  return s;
}

describe('toServerStats on the real 2.6 capture', () => {
  const { servers, backends } = toServerStats(STAT, STATE);
  const get = (b: string, s: string) => find(servers, b, s);

  it('returns server lines only, in show stat order, all valid ServerStat', () => {
    expect(servers.map((s) => `${s.backend}/${s.server}`)).toEqual([
      ...['web1', 'web2', 'web3', 'web4', 'web5', 'web6', 'web7', 'web8', 'web9', 'web10'].map((s) => `app/${s}`),
      ...['web11', 'web12', 'web13', 'web14', 'web15', 'bk1'].map((s) => `app/${s}`),
      'hold/h1',
      'static/s1',
      'flap/f1',
    ]);
    for (const s of servers) expect(serverStatSchema.safeParse(s).success).toBe(true);
  });

  it('maps backend names to their BACKEND status', () => {
    expect(backends).toEqual({ app: 'UP', hold: 'UP', static: 'UP', flap: 'UP' });
  });

  it('fills every field of a healthy server', () => {
    const web1 = get('app', 'web1');
    expect(web1).toEqual({
      backend: 'app',
      server: 'web1',
      status: 'UP',
      backup: false,
      weight: 10,
      sessions: 0,
      sessionRate: 0,
      reqTotal: expect.any(Number),
      checkStatus: 'L7OK',
      checkDesc: 'Layer7 check passed',
      lastCheck: '',
      lastChangeSec: expect.any(Number),
      checkRise: 2,
      checkFall: 3,
      addr: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      adminState: 0,
      opState: 2,
      checkInterMs: null,
    });
  });

  it('keeps each status verbatim with its admin/op state', () => {
    const view = (b: string, s: string) => {
      const x = get(b, s);
      return [x.status, x.adminState, x.opState];
    };
    expect(view('app', 'web2')).toEqual(['NOLB', 0, 3]);
    expect(view('app', 'web3')).toEqual(['no check', 0, 2]);
    expect(view('app', 'web4')).toEqual(['UP 1/3', 0, 2]);
    expect(view('app', 'web5')).toEqual(['DOWN', 0, 0]);
    expect(view('app', 'web6')).toEqual(['DOWN 1/3', 0, 0]);
    expect(view('app', 'web7')).toEqual(['DRAIN', SRV_ADMIN.FDRAIN, 2]);
    expect(view('app', 'web8')).toEqual(['MAINT', SRV_ADMIN.FMAINT, 0]);
    expect(view('app', 'web9')).toEqual(['MAINT (via app/web8)', SRV_ADMIN.IMAINT, 0]);
    expect(view('app', 'web11')).toEqual(['DRAIN 2/3', SRV_ADMIN.FDRAIN, 2]);
    expect(view('app', 'web12')).toEqual(['NOLB 2/3', 0, 3]);
    expect(view('app', 'web13')).toEqual(['DOWN (agent)', 0, 0]);
    expect(view('app', 'web14')).toEqual(['DRAIN (agent)', SRV_ADMIN.FDRAIN, 2]);
    expect(view('app', 'web15')).toEqual(['MAINT (resolution)', SRV_ADMIN.RMAINT, 0]);
  });

  it('the FDRAIN + DOWN gotcha: a drained server whose check fails shows DOWN, the admin bit says drained', () => {
    const web10 = get('app', 'web10');
    expect(web10.status).toBe('DOWN');
    expect(classifyStatus(web10.status).kind).toBe('down');
    expect(web10.adminState).toBe(SRV_ADMIN.FDRAIN);
    expect(web10.opState).toBe(0);
    expect(web10).toMatchObject({ checkStatus: 'L7STS', checkDesc: 'Layer7 wrong status', lastCheck: 'Unavailable, "down for maintenance"' });
  });

  it('strips the "* " check-running prefix', () => {
    expect(readCsv(STAT).rows.find((r) => r[1] === 'web4')).toContain('* L7STS');
    expect(get('app', 'web4').checkStatus).toBe('L7STS');
    expect(get('app', 'web6').checkStatus).toBe('L7OK');
    expect(get('app', 'web11').checkStatus).toBe('L7STS');
    expect(get('app', 'web12').checkStatus).toBe('L7STS');
  });

  it('reports connection-level check failures', () => {
    expect(get('app', 'web5')).toMatchObject({ checkStatus: 'L4CON', checkDesc: 'Layer4 connection problem', lastCheck: 'Connection refused' });
    expect(get('app', 'web2')).toMatchObject({ checkStatus: 'L7OKC', checkDesc: 'Layer7 check conditionally passed' });
  });

  it('backup flag from bck', () => {
    expect(get('app', 'bk1')).toMatchObject({ backup: true, status: 'UP' });
    expect(servers.filter((s) => s.backup).map((s) => s.server)).toEqual(['bk1']);
  });

  it('sessions from scur', () => {
    expect(get('hold', 'h1').sessions).toBe(2);
    expect(servers.filter((s) => s.sessions > 0).map((s) => s.server)).toEqual(['h1']);
  });

  it('weights, rise/fall and null for empty numeric fields', () => {
    expect(get('app', 'web7').weight).toBe(50);
    expect(get('app', 'web6')).toMatchObject({ checkRise: 3, checkFall: 3 });
    // Unchecked and maintenance servers have no rise/fall in show stat.
    expect(get('app', 'web3')).toMatchObject({ checkStatus: '', checkDesc: '', checkRise: null, checkFall: null });
    expect(get('app', 'web8')).toMatchObject({ checkRise: null, checkFall: null });
    expect(get('app', 'web15').addr).toBe('');
  });

  it('works on the one-backend forms', () => {
    const one = toServerStats(fixture('show-stat-app-6.txt'), fixture('show-servers-state-app.txt'));
    expect(one.servers).toHaveLength(16);
    expect(one.backends).toEqual({ app: 'UP' });
    expect(find(one.servers, 'app', 'web10')).toMatchObject({ status: 'DOWN', adminState: SRV_ADMIN.FDRAIN });
  });

  it('adminState/opState are null for a server missing from servers state, and without it', () => {
    const partial = toServerStats(STAT, fixture('show-servers-state-app.txt'));
    expect(find(partial.servers, 'hold', 'h1')).toMatchObject({ adminState: null, opState: null, sessions: 2 });
    expect(find(partial.servers, 'app', 'web7').adminState).toBe(SRV_ADMIN.FDRAIN);
    const none = toServerStats(STAT, null);
    expect(none.servers.every((s) => s.adminState === null && s.opState === null)).toBe(true);
  });

  it('parses shuffled and reversed column orders identically', () => {
    const width = readCsv(STAT).header.length;
    for (const order of [shuffledOrder(width, 5), shuffledOrder(width, 77), Array.from({ length: width }, (_, i) => width - 1 - i)]) {
      expect(toServerStats(permuteColumns(STAT, order), STATE)).toEqual({ servers, backends });
    }
  });

  it('copes with missing columns (older HAProxy): strings "", numbers null, rows told apart by svname', () => {
    const older = dropColumns(STAT, ['type', 'check_desc', 'last_chk', 'check_rise', 'check_fall', 'lastchg', 'addr']);
    const r = toServerStats(older, STATE);
    expect(r.backends).toEqual(backends);
    expect(r.servers.map((s) => s.server)).toEqual(servers.map((s) => s.server));
    expect(find(r.servers, 'app', 'web10')).toMatchObject({
      status: 'DOWN',
      checkStatus: 'L7STS',
      checkDesc: '',
      lastCheck: '',
      checkRise: null,
      checkFall: null,
      lastChangeSec: null,
      addr: '',
      adminState: SRV_ADMIN.FDRAIN,
    });
  });

  it('follows the flap series', () => {
    const names = ['flap-01.txt', 'flap-02.txt', 'flap-03.txt', 'flap-04.txt', 'flap-05.txt', 'flap-06.txt'];
    const seen = names.map((n) => {
      const f1 = find(toServerStats(fixture(n), null).servers, 'flap', 'f1');
      return [f1.status, f1.checkStatus];
    });
    expect(seen).toEqual([
      ['UP', 'L7OK'],
      ['UP 2/3', 'L7STS'],
      ['UP 1/3', 'L7STS'],
      ['DOWN', 'L7STS'],
      ['DOWN 1/2', 'L7OK'],
      ['UP', 'L7OK'],
    ]);
  });
});

describe('toServerStats rejects bad input with HAPROXY_PROTOCOL', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(CdError);
      return [(e as CdError).code, (e as CdError).message];
    }
    return null;
  };

  it('an error reply in place of either dump', () => {
    expect(code(() => toServerStats(fixture('err-permission-denied.txt'), STATE))?.[0]).toBe('HAPROXY_PROTOCOL');
    expect(code(() => toServerStats(STAT, fixture('err-servers-state-no-backend.txt')))?.[0]).toBe('HAPROXY_PROTOCOL');
  });

  it('a non-numeric numeric field, naming the server', () => {
    const bad = '# pxname,svname,scur,status,type,\napp,web1,many,UP,2,\n';
    expect(code(() => toServerStats(bad, null))).toEqual(['HAPROXY_PROTOCOL', 'show stat: app/web1: scur is not a number: "many"']);
  });

  it('a value ServerStat does not accept (fractional sessions)', () => {
    const bad = '# pxname,svname,scur,status,type,\napp,web1,1.5,UP,2,\n';
    const r = code(() => toServerStats(bad, null));
    expect(r?.[0]).toBe('HAPROXY_PROTOCOL');
    expect(r?.[1]).toMatch(/^show stat: app\/web1: .*sessions/);
  });
});
