import { describe, expect, it } from 'vitest';
import { fixture, fixtureNames } from './fixtures/load';
import { parseShowStat } from './show-stat';
import { classifyStatus, countsAsUp } from './status-text';

const none = { transition: null, via: null, agent: false, resolution: false };

describe('classifyStatus', () => {
  it.each([
    ['UP', { kind: 'up', ...none }],
    ['DOWN', { kind: 'down', ...none }],
    ['NOLB', { kind: 'nolb', ...none }],
    ['DRAIN', { kind: 'drain', ...none }],
    ['no check', { kind: 'nocheck', ...none }],
    ['MAINT', { kind: 'maint', ...none }],
    ['UP 1/3', { kind: 'up', ...none, transition: { n: 1, m: 3 } }],
    ['UP 2/3', { kind: 'up', ...none, transition: { n: 2, m: 3 } }],
    ['DOWN 1/3', { kind: 'down', ...none, transition: { n: 1, m: 3 } }],
    ['DOWN 1/2', { kind: 'down', ...none, transition: { n: 1, m: 2 } }],
    ['NOLB 2/3', { kind: 'nolb', ...none, transition: { n: 2, m: 3 } }],
    ['DRAIN 2/3', { kind: 'drain', ...none, transition: { n: 2, m: 3 } }],
    ['UP 12/20', { kind: 'up', ...none, transition: { n: 12, m: 20 } }],
    ['DOWN (agent)', { kind: 'down', ...none, agent: true }],
    ['DRAIN (agent)', { kind: 'drain', ...none, agent: true }],
    ['MAINT (via app/web8)', { kind: 'maint', ...none, via: 'app/web8' }],
    ['MAINT (via other-be/srv.1)', { kind: 'maint', ...none, via: 'other-be/srv.1' }],
    ['MAINT (resolution)', { kind: 'maint', ...none, resolution: true }],
    ['OPEN', { kind: 'unknown', ...none }],
    ['', { kind: 'unknown', ...none }],
    ['up', { kind: 'unknown', ...none }],
    ['UP 1/', { kind: 'unknown', ...none }],
    ['MAINT (something new)', { kind: 'unknown', ...none }],
  ])('%j', (status, expected) => {
    expect(classifyStatus(status)).toEqual(expected);
  });

  it('classifies every server status of the real capture, none as unknown', () => {
    const rows = parseShowStat(fixture('show-stat.txt')).rows.filter((r) => r['type'] === '2');
    const kinds = Object.fromEntries(rows.map((r) => [`${r['pxname']}/${r['svname']}`, classifyStatus(r['status'] ?? '').kind]));
    expect(kinds).toEqual({
      'app/web1': 'up',
      'app/web2': 'nolb',
      'app/web3': 'nocheck',
      'app/web4': 'up',
      'app/web5': 'down',
      'app/web6': 'down',
      'app/web7': 'drain',
      'app/web8': 'maint',
      'app/web9': 'maint',
      'app/web10': 'down',
      'app/web11': 'drain',
      'app/web12': 'nolb',
      'app/web13': 'down',
      'app/web14': 'drain',
      'app/web15': 'maint',
      'app/bk1': 'up',
      'hold/h1': 'nocheck',
      'static/s1': 'nocheck',
      'flap/f1': 'up',
    });
  });

  it('reads the transitions of the flap series', () => {
    const seq = fixtureNames(/^flap-\d+\.txt$/).map((n) => {
      const r = parseShowStat(fixture(n)).rows.find((x) => x['svname'] === 'f1');
      const c = classifyStatus(r?.['status'] ?? '');
      return [c.kind, c.transition];
    });
    expect(seq).toEqual([
      ['up', null],
      ['up', { n: 2, m: 3 }],
      ['up', { n: 1, m: 3 }],
      ['down', null],
      ['down', { n: 1, m: 2 }],
      ['up', null],
    ]);
  });
});

describe('countsAsUp', () => {
  it('is true only for exactly UP', () => {
    expect(countsAsUp('UP')).toBe(true);
    for (const s of ['UP 1/3', 'UP 2/3', 'NOLB', 'NOLB 2/3', 'no check', 'DRAIN', 'DRAIN (agent)', 'DRAIN 2/3', 'DOWN', 'DOWN 1/3', 'DOWN (agent)', 'MAINT', 'MAINT (via app/web8)', 'MAINT (resolution)', 'up', ' UP', 'UP ', '']) {
      expect(countsAsUp(s), s).toBe(false);
    }
  });
});
