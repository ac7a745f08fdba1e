import { describe, expect, it } from 'vitest';
import type { ActionResult } from '../../shared/domain/action';
import { failedLbs, outcomeView, perLbSummary } from './outcome';

const base: ActionResult = {
  id: 'r1',
  cluster: 'demo',
  node: 'node1',
  action: 'drain',
  outcome: 'ok',
  message: 'node1 is draining on lb1 and lb2',
  gate: { allowed: true, reasons: [], remaining: {}, minActive: 1 },
  forced: false,
  lbs: [
    { lb: 'lb1', outcome: 'applied', statusAfter: 'DRAIN', sessions: 0, error: null, commands: [] },
    { lb: 'lb2', outcome: 'applied', statusAfter: 'DRAIN', sessions: 1, error: null, commands: [] },
  ],
  wait: null,
  startedAt: 0,
  durationMs: 3,
  error: null,
};

describe('outcomeView', () => {
  it('ok is a fading toast with the per-LB state', () => {
    const v = outcomeView(base);
    expect(v.kind).toBe('toast');
    if (v.kind === 'toast') {
      expect(v.toast.sticky).toBe(false);
      expect(v.toast.body).toBe('lb1 DRAIN, 0 sessions; lb2 DRAIN, 1 session');
    }
  });

  it('timeout asks for the deadline choice, partial shows the split card', () => {
    expect(outcomeView({ ...base, outcome: 'timeout' }).kind).toBe('deadline');
    expect(outcomeView({ ...base, outcome: 'partial' }).kind).toBe('split');
  });

  it('a changed host key says plainly that nothing was sent', () => {
    const v = outcomeView({ ...base, outcome: 'refused', error: { code: 'HOST_KEY_CHANGED', message: 'lb2 presented SHA256:new' } });
    expect(v.kind === 'toast' && v.toast.title).toBe('Nothing was sent to any LB: node1 was not changed');
    expect(v.kind === 'toast' && v.toast.sticky).toBe(true);
  });

  it('a late gate refusal gives the reasons', () => {
    const v = outcomeView({ ...base, outcome: 'refused', gate: { allowed: false, reasons: ['lb1: node1 is the last UP'], remaining: {}, minActive: 1 }, error: { code: 'GATE_REFUSED', message: 'x' } });
    expect(v.kind === 'toast' && v.toast.body).toBe('lb1: node1 is the last UP');
  });
});

describe('failed LBs', () => {
  it('names each failed LB with why and what to do', () => {
    const r: ActionResult = {
      ...base,
      outcome: 'partial',
      lbs: [
        { lb: 'lb1', outcome: 'failed', statusAfter: null, sessions: null, error: { code: 'SOCKET_FORWARD_FAILED', message: 'lb1: connection refused' }, commands: [] },
        base.lbs[1]!,
      ],
    };
    const f = failedLbs(r);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ lb: 'lb1', title: "lb1: HAProxy's admin socket unreachable", detail: 'lb1: connection refused' });
    expect(perLbSummary(r.lbs)).toBe('lb1 FAILED; lb2 DRAIN, 1 session');
  });
});

describe('changed host key toast', () => {
  it('names the host from the error details, not the long message', () => {
    const v = outcomeView({
      ...base,
      outcome: 'refused',
      error: { code: 'HOST_KEY_CHANGED', message: 'HOST KEY CHANGED for … (very long)', details: { host: '10.0.0.22', names: ['lb2'] } },
    });
    expect(v.kind === 'toast' && v.toast.body).toBe(
      '10.0.0.22 (lb2) presented a different SSH host key than the one pinned. ClusterDeck refused it before logging in, and refuses any action that involves it.',
    );
  });
});
