import { describe, expect, it } from 'vitest';
import type { ActionResult } from '../../shared/domain/action';
import { deadlineView } from './deadline-view';

const result = (seconds: number, sessions: Record<string, number | null>): ActionResult => ({
  id: 'r',
  cluster: 'demo',
  node: 'node1',
  action: 'drain',
  outcome: 'timeout',
  message: 'm',
  gate: { allowed: true, reasons: [], remaining: {}, minActive: 1 },
  forced: false,
  lbs: [
    { lb: 'lb1', outcome: 'applied', statusAfter: 'DRAIN', sessions: 1, error: null, commands: [] },
    { lb: 'lb2', outcome: 'applied', statusAfter: 'DRAIN', sessions: 0, error: null, commands: [] },
  ],
  wait: { seconds, drained: false, sessions },
  startedAt: 0,
  durationMs: 2000,
  error: null,
});

describe('deadline choice', () => {
  it('says where sessions remain and that the node stays draining', () => {
    const v = deadlineView(result(2, { lb1: 1, lb2: 0 }));
    expect(v.title).toBe('node1 still has sessions after 2 s');
    expect(v.stillOpen).toBe('Still open: 1 session on lb1');
    expect(v.situation).toContain('left draining on lb1 and lb2');
    expect(v.situation).toContain('closing this dialog leaves it draining');
  });

  it('proposes a longer wait than the one that ran out', () => {
    expect(deadlineView(result(2, { lb1: 1 })).keepDefault).toBe(30);
    expect(deadlineView(result(120, { lb1: 1 })).keepDefault).toBe(120);
  });

  it('says an unreadable count as unknown rather than zero', () => {
    expect(deadlineView(result(5, { lb1: null, lb2: 0 })).stillOpen).toBe('Still open: ? sessions on lb1');
  });

  it('describes each choice by what it does to the node', () => {
    const c = deadlineView(result(2, { lb1: 1 })).choices;
    expect(c.force).toMatch(/safety gate is checked first/);
    expect(c.revert).toMatch(/ready again/);
  });
});
