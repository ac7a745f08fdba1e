import { describe, expect, it } from 'vitest';
import { CdError } from '../../../shared/errors';
import { fixture, fixtureNames } from './fixtures/load';
import { parseShowInfo } from './show-info';

describe('parseShowInfo', () => {
  it('reads the real 2.6 reply', () => {
    const info = parseShowInfo(fixture('show-info.txt'));
    expect(info.version).toBe('2.6.12-1+deb12u4');
    expect(info.pid).toEqual(expect.any(Number));
    expect(info.pid).toBeGreaterThan(0);
    expect(info.uptimeSec).toEqual(expect.any(Number));
    expect(info.uptimeSec).toBeGreaterThanOrEqual(0);
    expect(info.fields['Name']).toBe('HAProxy');
    expect(info.fields['Uptime']).toMatch(/^\d+d \d+h\d\dm\d\ds$/);
    expect(info.fields['Unstoppable Jobs']).toBe('0');
    expect(info.fields['Build info']).toBe('2.6.12-1+deb12u4');
    expect(info.fields['Ulimit-n']).toMatch(/^\d+$/);
    expect(Object.keys(info.fields)).toHaveLength(69); // every line of 2.6.12's show info
  });

  it('reads it from the level-user socket too', () => {
    const info = parseShowInfo(fixture('user-show-info.txt'));
    expect(info.version).toBe('2.6.12-1+deb12u4');
    expect(info.pid).toBe(parseShowInfo(fixture('show-info.txt')).pid);
  });

  it('gives null for absent or non-numeric values, and keeps empty values', () => {
    const info = parseShowInfo('Name: HAProxy\nPid: abc\nnode: \n');
    expect(info).toEqual({ fields: { Name: 'HAProxy', Pid: 'abc', node: '' }, version: null, pid: null, uptimeSec: null });
  });

  it('accepts CRLF', () => {
    expect(parseShowInfo('Version: 3.0.5\r\nPid: 12\r\nUptime_sec: 99\r\n\r\n')).toMatchObject({ version: '3.0.5', pid: 12, uptimeSec: 99 });
  });

  it.each([...fixtureNames(/^err-.*\.txt$/), 'show-stat.txt', 'show-servers-state.txt'])('rejects %s with HAPROXY_PROTOCOL', (name) => {
    let err: unknown = null;
    try {
      parseShowInfo(fixture(name));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CdError);
    expect((err as CdError).code).toBe('HAPROXY_PROTOCOL');
  });

  it('rejects an empty reply', () => {
    expect(() => parseShowInfo('\n')).toThrow(/no "Name: value" lines/);
  });
});
