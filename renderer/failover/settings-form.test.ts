import { describe, expect, it } from 'vitest';
import { clusterSettingsSchema, DEFAULT_CLUSTER_SETTINGS } from '../../shared/domain/cluster';
import {
  draftFromSettings,
  failoverFieldsFromServer,
  failoverWarnings,
  failoverWords,
  gateWords,
  intervalText,
  modeWords,
  parseConnectTimeout,
  parseCount,
  parseInterval,
  parseVip,
  sameSettings,
  setActiveCount,
  settingChanges,
  standbyBlocked,
  toggleStandby,
  validateFailoverDraft,
  type FailoverDraft,
} from './settings-form';

const NODES = ['node1', 'node2', 'node3'];
const LAB = { ...DEFAULT_CLUSTER_SETTINGS, activeNodes: 2, standbyNodes: ['node3'] };
const draft = (p: Partial<FailoverDraft> = {}): FailoverDraft => ({ ...draftFromSettings(LAB, NODES), ...p });

describe('heartbeat interval input', () => {
  it.each([
    ['500', 500],
    ['500ms', 500],
    ['500 ms', 500],
    ['1s', 1000],
    ['1 s', 1000],
    ['1.5s', 1500],
    ['1.1s', 1100],
    [' 2 sec ', 2000],
    ['60s', 60_000],
    ['100ms', 100],
    ['1S', 1000],
  ])('accepts %j as %d ms', (raw, ms) => {
    expect(parseInterval(raw)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ['', /required/],
    ['0', /0 is not an interval/],
    ['0s', /0 is not an interval/],
    ['-1', /negative/],
    ['-500ms', /negative/],
    ['fast', /not a duration/],
    ['2s5', /not a duration/],
    ['1s500ms', /not a duration/],
    ['1e3', /not a duration/],
    ['1,5s', /dot/],
    ['0.5ms', /whole number of milliseconds/],
    ['1.0005s', /whole number of milliseconds/],
    ['99', /at least 100 ms/],
    ['61s', /at most 60 s/],
    ['999999999999', /at most 60 s/],
    ['1h', /not a duration/],
  ])('refuses %j with the reason', (raw, reason) => {
    const r = parseInterval(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });

  it('writes saved intervals back the way admins type them', () => {
    expect(intervalText(500)).toBe('500ms');
    expect(intervalText(1000)).toBe('1s');
    expect(intervalText(1500)).toBe('1.5s');
    for (const ms of [100, 250, 999, 1000, 1234, 60_000]) expect(parseInterval(intervalText(ms))).toEqual({ ok: true, value: ms });
  });
});

describe('counts and the VIP', () => {
  it('takes whole numbers in range only', () => {
    expect(parseCount('4', 1, 100)).toEqual({ ok: true, value: 4 });
    expect(parseCount(' 3 ', 1, 100)).toEqual({ ok: true, value: 3 });
    expect(parseCount('0', 1, 100)).toMatchObject({ ok: false, error: 'must be at least 1' });
    expect(parseCount('-2', 1, 100)).toMatchObject({ ok: false, error: 'cannot be negative' });
    expect(parseCount('2.5', 1, 100)).toMatchObject({ ok: false, error: 'must be a whole number' });
    expect(parseCount('three', 1, 100)).toMatchObject({ ok: false, error: 'must be a number' });
    expect(parseCount('1e2', 1, 100)).toMatchObject({ ok: false, error: 'must be a number' });
    expect(parseCount('101', 1, 100)).toMatchObject({ ok: false, error: 'must be at most 100' });
    expect(parseCount('', 1, 100)).toMatchObject({ ok: false, error: 'required' });
  });

  it('takes an IPv4 address or nothing', () => {
    expect(parseVip('')).toEqual({ ok: true, value: null });
    expect(parseVip(' 10.88.0.100 ')).toEqual({ ok: true, value: '10.88.0.100' });
    expect(parseVip('10.88.0.256')).toMatchObject({ ok: false });
    expect(parseVip('vip.example')).toMatchObject({ ok: false });
    expect(parseVip('fe80::1')).toMatchObject({ ok: false });
  });
});

describe('connect deadline input', () => {
  it.each([
    ['20s', 20_000],
    ['1s', 1000],
    ['45 s', 45_000],
    ['1.5s', 1500],
    ['90000', 90_000],
    ['120s', 120_000],
  ])('accepts %j as %d ms', (raw, ms) => {
    expect(parseConnectTimeout(raw)).toEqual({ ok: true, value: ms });
  });

  it.each([
    ['', /required/],
    ['0', /at least 1 s/],
    ['999ms', /at least 1 s/],
    ['121s', /at most 120 s/],
    ['-5s', /negative/],
    ['2m', /not a duration/],
    ['1,5s', /dot/],
    ['0.5ms', /whole number of milliseconds/],
  ])('refuses %j with the reason', (raw, reason) => {
    const r = parseConnectTimeout(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(reason);
  });

  it('has the bounds of the contract', () => {
    for (const ms of [999, 1000, 20_000, 120_000, 120_001]) {
      expect(parseConnectTimeout(`${ms}`).ok).toBe(clusterSettingsSchema.safeParse({ ...LAB, connectTimeoutMs: ms }).success);
    }
  });

  it('shows the saved deadline as typed, and is its own field', () => {
    expect(draft().connectTimeout).toBe('20s');
    const r = validateFailoverDraft(draft({ connectTimeout: '45s' }), NODES);
    expect(r.settings).toMatchObject({ ...LAB, connectTimeoutMs: 45_000 });
    expect(validateFailoverDraft(draft({ connectTimeout: '200s' }), NODES)).toEqual({ settings: null, errors: { connectTimeout: 'must be at most 120 s' } });
  });

  it('warns when the deadline is too short for a 1 s round trip', () => {
    expect(failoverWarnings({ heartbeatIntervalMs: 1000, failoverHeartbeats: 3, connectTimeoutMs: 4000 })).toEqual([expect.stringMatching(/4 s is shorter than an SSH handshake/)]);
    expect(failoverWarnings({ heartbeatIntervalMs: 1000, failoverHeartbeats: 3, connectTimeoutMs: 20_000 })).toEqual([]);
  });
});

describe('the whole form', () => {
  it('round-trips the settings in force', () => {
    const r = validateFailoverDraft(draft(), NODES);
    expect(r.errors).toEqual({});
    expect(r.settings).toEqual(LAB);
    expect(sameSettings(r.settings, LAB)).toBe(true);
  });

  it('builds exactly what the contract accepts', () => {
    const r = validateFailoverDraft(draft({ interval: '500ms', heartbeats: '4', vip: '10.88.0.100' }), NODES);
    expect(r.settings).not.toBeNull();
    expect(clusterSettingsSchema.parse(r.settings)).toEqual(r.settings);
    expect(r.settings).toMatchObject({ heartbeatIntervalMs: 500, failoverHeartbeats: 4, riseCount: 2, activeNodes: 2, standbyNodes: ['node3'], vip: '10.88.0.100' });
  });

  it('refuses bad values field by field, and sends nothing', () => {
    const r = validateFailoverDraft(draft({ interval: '2s5', heartbeats: '0', rise: '-1', minActive: '5', vip: 'x' }), NODES);
    expect(r.settings).toBeNull();
    expect(r.errors).toEqual({
      interval: expect.stringMatching(/not a duration/),
      heartbeats: 'must be at least 1',
      rise: 'cannot be negative',
      minActive: expect.stringMatching(/cannot exceed the 2 active nodes/),
      vip: expect.stringMatching(/IPv4/),
    });
  });

  it('everything the form lets through, the schema also accepts; what it refuses, the schema refuses too', () => {
    for (const interval of ['0', '-1', '99', '61s', '2s5', 'abc']) {
      const r = validateFailoverDraft(draft({ interval }), NODES);
      expect(r.settings).toBeNull();
    }
    for (const bad of [0, -1, 99, 61_000, 1.5, Number.NaN]) {
      expect(clusterSettingsSchema.safeParse({ ...LAB, heartbeatIntervalMs: bad }).success).toBe(false);
    }
  });

  it('refuses more active nodes than the cluster has, and a cluster with no active node', () => {
    expect(validateFailoverDraft(draft({ active: '4' }), NODES).errors.active).toBe('the cluster has only 3 nodes');
    expect(validateFailoverDraft(draft({ active: '0' }), NODES).errors.active).toBe('must be at least 1');
    expect(validateFailoverDraft(draft({ standby: [...NODES] }), NODES).errors.standby).toBe('at least one node must stay active');
    expect(validateFailoverDraft(draft({ active: '1' }), NODES).errors.standby).toMatch(/2 standby; 1 ticked/);
  });
});

describe('active count and standby checkboxes stay consistent', () => {
  it('fewer active nodes: standbys come from the end of the inventory', () => {
    const d = setActiveCount(draft({ standby: [] , active: '3' }), '1', NODES);
    expect(d).toMatchObject({ active: '1', standby: ['node2', 'node3'] });
  });

  it('keeps the standbys the admin chose when it can', () => {
    const d = setActiveCount(draft({ standby: ['node1'], active: '2' }), '1', NODES);
    expect(d.standby).toEqual(['node1', 'node3']);
    const back = setActiveCount(d, '2', NODES);
    expect(back.standby).toEqual(['node3']);
    expect(setActiveCount(d, '3', NODES).standby).toEqual([]);
  });

  it('an unreadable count is kept as typed and changes no checkbox', () => {
    const d = setActiveCount(draft(), 'x', NODES);
    expect(d).toMatchObject({ active: 'x', standby: ['node3'] });
  });

  it('a checkbox moves the count', () => {
    let d = toggleStandby(draft(), 'node1', true, NODES);
    expect(d).toMatchObject({ active: '1', standby: ['node1', 'node3'] });
    d = toggleStandby(d, 'node3', false, NODES);
    expect(d).toMatchObject({ active: '2', standby: ['node1'] });
    expect(validateFailoverDraft(d, NODES).settings).toMatchObject({ activeNodes: 2, standbyNodes: ['node1'] });
  });

  it('the last active node cannot be made standby, and says why', () => {
    const d = draft({ standby: ['node2', 'node3'], active: '1' });
    expect(standbyBlocked(d, 'node1', NODES)).toMatch(/node1 is the last active node/);
    expect(standbyBlocked(d, 'node2', NODES)).toBeNull();
    expect(standbyBlocked(draft(), 'node1', NODES)).toBeNull();
  });
});

describe('words', () => {
  it('says what the failover time means', () => {
    const w = failoverWords({ heartbeatIntervalMs: 500, failoverHeartbeats: 4, riseCount: 2 });
    expect(w.time).toBe('2 s');
    expect(w.out).toBe('If a node stops answering, HAProxy takes it out after 2 s: 4 checks 500 ms apart; ClusterDeck marks it unreachable after the same time.');
    expect(w.back).toBe('When it answers again, HAProxy sends it traffic after 2 passed checks (1 s).');
    expect(failoverWords({ heartbeatIntervalMs: 1000, failoverHeartbeats: 1, riseCount: 1 }).out).toContain('a single failed check');
  });

  it('warns about allowed but risky values', () => {
    expect(failoverWarnings({ heartbeatIntervalMs: 1000, failoverHeartbeats: 3 })).toEqual([]);
    expect(failoverWarnings({ heartbeatIntervalMs: 1000, failoverHeartbeats: 1 })[0]).toMatch(/flap/);
    expect(failoverWarnings({ heartbeatIntervalMs: 60_000, failoverHeartbeats: 10 })[0]).toMatch(/600 s/);
  });

  it('explains HA vs load-balanced for these nodes', () => {
    expect(modeWords(NODES, ['node2', 'node3'])).toMatchObject({ mode: 'ha', text: expect.stringMatching(/^node1 takes all the traffic\. node2 and node3 are standby/) });
    expect(modeWords(NODES, [])).toMatchObject({ mode: 'load-balanced', text: expect.stringMatching(/^node1, node2 and node3 share the traffic/) });
    expect(modeWords(NODES, ['node3'])).toMatchObject({ mode: 'load-balanced-standby', text: expect.stringMatching(/node3 is standby: HAProxy sends it traffic only when none of node1 and node2 is UP/) });
    expect(gateWords(1)).toMatch(/fewer than 1 UP active node on any LB/);
  });

  it('lists what changes', () => {
    const next = { ...LAB, heartbeatIntervalMs: 500, failoverHeartbeats: 4, vip: '10.0.0.1' };
    expect(settingChanges(LAB, next)).toEqual([
      { label: 'Heartbeat interval', from: '1 s', to: '500 ms' },
      { label: 'Failover heartbeats', from: '3', to: '4' },
      { label: 'VIP', from: 'none', to: '10.0.0.1' },
    ]);
    expect(settingChanges(LAB, LAB)).toEqual([]);
    expect(settingChanges(LAB, { ...LAB, connectTimeoutMs: 60_000 })).toEqual([{ label: 'Connect deadline', from: '20 s', to: '60 s' }]);
  });

  it("puts the core's refusal back on its field", () => {
    const r = failoverFieldsFromServer('failover.apply: settings.heartbeatIntervalMs: must be at least 100 ms; settings.vip: must be an IPv4 address; cluster: nope');
    expect(r.errors).toEqual({ interval: 'must be at least 100 ms', vip: 'must be an IPv4 address' });
    expect(r.rest).toBe('cluster: nope');
    expect(failoverFieldsFromServer('failover.preview: settings.standbyNodes.0: bad').errors).toEqual({ standby: 'bad' });
    expect(failoverFieldsFromServer('failover.apply: settings.connectTimeoutMs: must be at most 120 s').errors).toEqual({ connectTimeout: 'must be at most 120 s' });
  });
});
