import { describe, expect, it } from 'vitest';
import type { ActionProgress } from '../../shared/domain/action';
import {
  actionLabel,
  consequenceMain,
  controlBlock,
  currentMode,
  lbMode,
  overrideLabel,
  parseWaitSeconds,
  progressLines,
  timeLeft,
} from './acting-view';

const stat = (status: string, adminState: number | null) => ({ status, adminState });
const node = (...s: ({ status: string; adminState: number | null } | null)[]) =>
  ({ perLb: s.map((x, i) => ({ lb: `lb${i + 1}`, stat: x as never, state: 'active' as const, error: null })) });

describe('segmented control state', () => {
  it('reads the admin bits first, the status text when HAProxy gave none', () => {
    expect(lbMode(stat('UP', 0))).toBe('ready');
    expect(lbMode(stat('DRAIN', 8))).toBe('drain');
    expect(lbMode(stat('DOWN', 8))).toBe('drain'); // a drained server whose check fails
    expect(lbMode(stat('MAINT', 1))).toBe('maint');
    expect(lbMode(stat('MAINT', 9))).toBe('maint');
    expect(lbMode(stat('DRAIN', null))).toBe('drain');
    expect(lbMode(null)).toBeNull();
  });

  it('presses a segment only when every readable LB agrees', () => {
    expect(currentMode(node(stat('UP', 0), stat('UP', 0)))).toBe('ready');
    expect(currentMode(node(stat('DRAIN', 8), stat('UP', 0)))).toBeNull();
    expect(currentMode(node(null, stat('DRAIN', 8)))).toBe('drain');
    expect(currentMode(node(null, null))).toBeNull();
  });

  it('blocks clicks while an action runs, saying which', () => {
    expect(controlBlock({ node: 'node2', runningHere: null, connected: true })).toBeNull();
    expect(controlBlock({ node: 'node1', runningHere: { node: 'node1', action: 'drain' }, connected: true })).toBe('Wait: draining node1 is running');
    expect(controlBlock({ node: 'node2', runningHere: { node: 'node1', action: 'drain' }, connected: true })).toMatch(/one at a time/);
    expect(controlBlock({ node: 'node2', runningHere: null, connected: false })).toMatch(/Not connected/);
  });
});

describe('confirm dialog wording', () => {
  it('names the action and the node', () => {
    expect(actionLabel('drain', 'node1')).toBe('Drain node1');
    expect(actionLabel('maint', 'node1')).toBe('Put node1 in maintenance');
    expect(actionLabel('ready', 'node1')).toBe('Make node1 ready');
    expect(overrideLabel('drain')).toBe('Drain anyway');
  });

  it('drops the refusal from the consequence (shown apart as reasons)', () => {
    expect(consequenceMain('node1 is taken out; sessions now: 0; refused by the safety gate: lb1: last')).toBe('node1 is taken out; sessions now: 0');
    expect(consequenceMain('node1 stops getting new sessions')).toBe('node1 stops getting new sessions');
  });

  it('validates the optional wait', () => {
    expect(parseWaitSeconds('')).toEqual({ ok: true, value: undefined });
    expect(parseWaitSeconds(' 30 ')).toEqual({ ok: true, value: 30 });
    expect(parseWaitSeconds('2.5').ok).toBe(false);
    expect(parseWaitSeconds('0').ok).toBe(false);
    expect(parseWaitSeconds('90000').ok).toBe(false);
  });
});

describe('progress', () => {
  it('counts down to the deadline', () => {
    expect(timeLeft(10_000, 0)).toBe('10 s left');
    expect(timeLeft(125_000, 0)).toBe('2 min 5 s left');
    expect(timeLeft(0, 5)).toBe('deadline passed');
  });

  it('says per LB whether it is still waiting for sessions', () => {
    const p: ActionProgress = {
      id: 'x',
      cluster: 'c',
      node: 'node1',
      action: 'drain',
      phase: 'waiting',
      lbs: { lb1: { phase: 'applied', status: 'DRAIN', sessions: 1 }, lb2: { phase: 'applied', status: 'DRAIN', sessions: 0 }, lb3: { phase: 'failed', status: null, sessions: null } },
      deadline: 1,
    };
    expect(progressLines(p).map((l) => [l.lb, l.phase, l.failed])).toEqual([
      ['lb1', 'waiting for sessions', false],
      ['lb2', 'drained', false],
      ['lb3', 'failed', true],
    ]);
  });
});
