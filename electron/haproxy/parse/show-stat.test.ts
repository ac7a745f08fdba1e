import { describe, expect, it } from 'vitest';
import { CdError } from '../../../shared/errors';
import { dropColumns, fixture, fixtureNames, permuteColumns, readCsv, shuffledOrder } from './fixtures/load';
import { parseShowStat } from './show-stat';

const STAT = fixture('show-stat.txt');

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

function row(stat: ReturnType<typeof parseShowStat>, px: string, sv: string): Record<string, string> {
  const r = stat.rows.find((x) => x['pxname'] === px && x['svname'] === sv);
  if (!r) throw new Error(`no row ${px}/${sv}`);
  return r;
}

describe('parseShowStat on the real 2.6 capture', () => {
  const stat = parseShowStat(STAT);

  it('reads the header by name, without the "# " prefix, the "-" separator and the trailing empty column', () => {
    expect(stat.header[0]).toBe('pxname');
    expect(stat.header[1]).toBe('svname');
    expect(stat.header).not.toContain('');
    expect(stat.header).not.toContain('-');
    expect(stat.header).toEqual(expect.arrayContaining(['scur', 'status', 'weight', 'act', 'bck', 'chkfail', 'chkdown', 'lastchg', 'downtime']));
    expect(stat.header).toEqual(expect.arrayContaining(['check_status', 'check_desc', 'last_chk', 'check_rise', 'check_fall', 'check_health', 'addr', 'uweight']));
    // 2.6 sends 128 named columns plus "-" and the empty one after the final comma.
    expect(stat.header).toHaveLength(127);
    expect(readCsv(STAT).header).toHaveLength(129);
  });

  it('returns one row per line, ignoring the blank line that ends the reply', () => {
    expect(STAT.endsWith('\n\n')).toBe(true);
    // fe FRONTEND + 16 app servers + app BACKEND + h1 + hold BACKEND + s1 + static BACKEND + f1 + flap BACKEND
    expect(stat.rows).toHaveLength(24);
    expect(stat.rows.map((r) => `${r['pxname']}/${r['svname']}`).slice(0, 3)).toEqual(['fe/FRONTEND', 'app/web1', 'app/web2']);
    for (const r of stat.rows) expect(Object.keys(r)).toHaveLength(127);
  });

  it('keeps values verbatim', () => {
    expect(row(stat, 'app', 'web1')).toMatchObject({ status: 'UP', weight: '10', act: '1', bck: '0', check_status: 'L7OK', check_desc: 'Layer7 check passed', check_rise: '2', check_fall: '3', type: '2' });
    expect(row(stat, 'app', 'web4')).toMatchObject({ status: 'UP 1/3', check_status: '* L7STS', chkfail: '2' });
    expect(row(stat, 'app', 'web9')).toMatchObject({ status: 'MAINT (via app/web8)', tracked: 'app/web8' });
    expect(row(stat, 'app', 'web3')).toMatchObject({ status: 'no check', check_status: '', chkfail: '', check_rise: '' });
    expect(row(stat, 'hold', 'h1')['scur']).toBe('2');
    expect(row(stat, 'app', 'bk1')).toMatchObject({ act: '0', bck: '1' });
    expect(row(stat, 'app', 'BACKEND')).toMatchObject({ status: 'UP', type: '1', algo: 'roundrobin' });
    expect(row(stat, 'fe', 'FRONTEND')).toMatchObject({ status: 'OPEN', type: '0' });
  });

  it('unquotes fields holding commas and doubled quotes (csv_enc)', () => {
    expect(STAT).toContain('"Unavailable, ""down for maintenance"""');
    const web10 = row(stat, 'app', 'web10');
    expect(web10['last_chk']).toBe('Unavailable, "down for maintenance"');
    // The quoted comma did not shift the columns after it.
    expect(web10['check_desc']).toBe('Layer7 wrong status');
    expect(web10['addr']).toMatch(/^127\.0\.0\.1:\d+$/);
    const f1 = row(parseShowStat(fixture('flap-02.txt')), 'flap', 'f1');
    expect(f1).toMatchObject({ status: 'UP 2/3', last_chk: 'Unavailable, "down for maintenance"', check_code: '503' });
  });

  it('parses the filtered `show stat app 6 -1` (backend + servers of one proxy)', () => {
    const app = parseShowStat(fixture('show-stat-app-6.txt'));
    expect(app.header).toEqual(stat.header);
    expect(new Set(app.rows.map((r) => r['pxname']))).toEqual(new Set(['app']));
    expect(app.rows.map((r) => r['svname'])).toEqual([
      ...['web1', 'web2', 'web3', 'web4', 'web5', 'web6', 'web7', 'web8', 'web9', 'web10'],
      ...['web11', 'web12', 'web13', 'web14', 'web15', 'bk1', 'BACKEND'],
    ]);
  });

  it('parses every flap snapshot', () => {
    const names = fixtureNames(/^flap-\d+\.txt$/);
    expect(names).toHaveLength(6);
    expect(names.map((n) => row(parseShowStat(fixture(n)), 'flap', 'f1')['status'])).toEqual(['UP', 'UP 2/3', 'UP 1/3', 'DOWN', 'DOWN 1/2', 'UP']);
  });
});

describe('parseShowStat column order and missing columns', () => {
  const base = parseShowStat(STAT);
  const width = readCsv(STAT).header.length;

  it('parses a reversed column order identically', () => {
    const order = Array.from({ length: width }, (_, i) => width - 1 - i);
    const permuted = permuteColumns(STAT, order);
    expect(permuted.startsWith('# ,')).toBe(true); // the empty trailing column is now first
    const p = parseShowStat(permuted);
    expect(p.rows).toEqual(base.rows);
    expect([...p.header].sort()).toEqual([...base.header].sort());
    expect(p.header[0]).toBe('h1_spliced_bytes_out');
  });

  it.each([1, 2, 3, 42, 1234])('parses shuffled column order (seed %i) identically', (seed) => {
    const p = parseShowStat(permuteColumns(STAT, shuffledOrder(width, seed)));
    expect(p.rows).toEqual(base.rows);
  });

  it('leaves absent columns out of the records', () => {
    const p = parseShowStat(dropColumns(STAT, ['check_desc', 'last_chk', 'type']));
    expect(p.header).not.toContain('check_desc');
    const web10 = p.rows.find((r) => r['svname'] === 'web10');
    expect(web10?.['check_desc']).toBeUndefined();
    expect(web10?.['status']).toBe('DOWN');
  });

  it('fills "" for cells missing from a short row', () => {
    const p = parseShowStat('# pxname,svname,scur,status,\napp,web1,3\n');
    expect(p.rows).toEqual([{ pxname: 'app', svname: 'web1', scur: '3', status: '' }]);
  });

  it('accepts CRLF line ends and leading blank lines', () => {
    const p = parseShowStat('\r\n' + STAT.replace(/\n/g, '\r\n'));
    expect(p.rows).toEqual(base.rows);
  });
});

describe('parseShowStat rejects what is not a show stat reply', () => {
  it.each(fixtureNames(/^err-.*\.txt$/))('%s', (name) => {
    const text = fixture(name);
    const e = protocolError(() => parseShowStat(text));
    const first = text.split('\n')[0] ?? '';
    expect(e.message).toContain(JSON.stringify(first.length > 80 ? `${first.slice(0, 79)}…` : first));
  });

  it('quotes a long first line truncated', () => {
    const e = protocolError(() => parseShowStat(`${'x'.repeat(300)}\nmore`));
    expect(e.message).toContain(`"${'x'.repeat(79)}…"`);
    expect(e.message.length).toBeLessThan(200);
  });

  it('an empty reply', () => {
    expect(protocolError(() => parseShowStat('\n')).message).toContain('(empty reply)');
  });

  it('a header without pxname/svname', () => {
    expect(protocolError(() => parseShowStat('# foo,bar\n1,2\n')).message).toContain('"pxname"');
  });

  it('broken CSV quoting', () => {
    expect(protocolError(() => parseShowStat('# pxname,svname,last_chk\napp,web1,"unterminated\n')).message).toMatch(/malformed CSV/);
  });
});
