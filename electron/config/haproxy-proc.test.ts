import { describe, expect, it } from 'vitest';
import { fixture } from '../haproxy/parse/fixtures/load';
import { parseServersState } from '../haproxy/parse/servers-state';
import { parseShowStat } from '../haproxy/parse/show-stat';
import { adminHolds, compareServerStats, describeExpected, describeProc, goneHolds, lostHolds, parseShowProc, reloadRefused } from './haproxy-proc';

// Captured from the lab's HAProxy 2.6.12 master CLI: before, after a good reload, after a refused one.
const BEFORE = `#<PID>          <type>          <reloads>       <uptime>        <version>      
12420           master          2 [failed: 0]   0d00h00m03s     2.6.12-1+deb12u4
# workers
12471           worker          0               0d00h00m01s     2.6.12-1+deb12u4
# old workers
12463           worker          2               0d00h00m03s     2.6.12-1+deb12u4
# programs

`;
const REFUSED = `#<PID>          <type>          <reloads>       <uptime>        <version>      
12420           master          3 [failed: 1]   0d00h00m05s     2.6.12-1+deb12u4
# workers
12471           worker          1               0d00h00m03s     2.6.12-1+deb12u4
# old workers
12463           worker          3               0d00h00m05s     2.6.12-1+deb12u4
# programs

`;

describe('show proc', () => {
  it('reads master, workers and old workers', () => {
    const p = parseShowProc(BEFORE);
    expect(p.master).toEqual({ pid: 12420, reloads: 2, failed: 0, uptime: '0d00h00m03s', version: '2.6.12-1+deb12u4' });
    expect(p.workers.map((w) => w.pid)).toEqual([12471]);
    expect(p.oldWorkers.map((w) => [w.pid, w.reloads])).toEqual([[12463, 2]]);
    expect(describeProc(parseShowProc(REFUSED))).toBe('master 12420, 3 reloads, 1 failed since the last good one; current worker 12471; old workers 12463');
  });

  it('tells a refused reload by the failed counter', () => {
    expect(reloadRefused(parseShowProc(BEFORE), parseShowProc(REFUSED))).toBe(true);
    expect(reloadRefused(parseShowProc(REFUSED), parseShowProc(REFUSED))).toBe(false);
    expect(reloadRefused(null, parseShowProc(BEFORE))).toBe(false);
    // 2.5 and older print no failed counter
    expect(parseShowProc('1 master 0 0d00h00m01s 2.4.22\n# workers\n2 worker 0 0d00h00m01s 2.4.22\n').master?.failed).toBeNull();
  });
});

describe('admin holds', () => {
  it('collects forced maint and drain, and finds the ones a reload lost', () => {
    const rows = parseServersState(fixture('show-servers-state.txt'));
    const holds = adminHolds(rows);
    expect(holds.filter((h) => h.backend === 'app').map((h) => `${h.server} ${h.state}`)).toEqual(['web7 drain', 'web8 maint', 'web10 drain', 'web11 drain', 'web14 drain']);
    const reset = rows.map((r) => ({ ...r, adminState: r.server === 'web8' ? 1 : 0 }));
    expect(lostHolds(holds, reset).map((h) => h.server)).toEqual(['web7', 'web10', 'web11', 'web14']);
    expect(goneHolds(holds, rows.filter((r) => r.server !== 'web7')).map((h) => h.server)).toEqual(['web7']);
  });
});

describe('compareServerStats', () => {
  const rows = parseShowStat(fixture('show-stat.txt')).rows;
  const web1 = rows.find((r) => r['svname'] === 'web1')!;

  it('passes when bck, check_fall and check_rise match', () => {
    const want = { web1: { backup: web1['bck'] === '1', fall: Number(web1['check_fall']), rise: Number(web1['check_rise']) } };
    expect(compareServerStats(rows, 'app', want)).toEqual({ mismatches: [], unverified: [] });
    expect(describeExpected({ a: { backup: true, fall: 4, rise: 2 }, b: { backup: false } })).toBe('a backup fall 4 rise 2, b');
  });

  it('lists every mismatch and every missing server', () => {
    const out = compareServerStats(rows, 'app', { web1: { backup: true, fall: 99, rise: 98 }, nope: { backup: false } });
    expect(out.mismatches).toEqual([
      'web1: backup should be yes, HAProxy says no',
      `web1: fall should be 99, HAProxy says ${web1['check_fall']}`,
      `web1: rise should be 98, HAProxy says ${web1['check_rise']}`,
      'nope: not in backend app',
    ]);
  });

  it('does not hold paused checks (maintenance) against a server, but says so', () => {
    const maint = rows.map((r) => (r['svname'] === 'web1' ? { ...r, status: 'MAINT', check_fall: '', check_rise: '' } : r));
    expect(compareServerStats(maint, 'app', { web1: { backup: false, fall: 4, rise: 2 } })).toEqual({
      mismatches: [],
      unverified: ['web1 (in maintenance: checks paused, fall/rise not shown)'],
    });
    const up = rows.map((r) => (r['svname'] === 'web1' ? { ...r, check_fall: '' } : r));
    expect(compareServerStats(up, 'app', { web1: { backup: false, fall: 4 } }).mismatches).toEqual(['web1: fall should be 4, HAProxy says none']);
  });
});
