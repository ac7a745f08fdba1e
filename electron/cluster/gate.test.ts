import { describe, expect, it } from 'vitest';
import { describeConsequence } from './consequence';
import { evaluateGate } from './gate';
import { node, read, stat, unreadable } from './test-support';

const healthy = () => [stat('node1', 'UP'), stat('node2', 'UP'), stat('node3', 'UP', { backup: true })];

describe('safety gate', () => {
  it('allows draining one of two UP active servers', () => {
    const v = evaluateGate({ action: 'drain', node: node('node1'), reads: [read('lb1', healthy()), read('lb2', healthy())], minActive: 1 });
    expect(v).toEqual({ allowed: true, reasons: [], remaining: { lb1: 1, lb2: 1 }, minActive: 1 });
  });

  it('refuses the last UP active server; a backup does not count', () => {
    const servers = [stat('node1', 'UP'), stat('node2', 'MAINT'), stat('node3', 'UP', { backup: true })];
    const v = evaluateGate({ action: 'maint', node: node('node1'), reads: [read('lb1', servers)], minActive: 1 });
    expect(v.allowed).toBe(false);
    expect(v.reasons).toEqual(['lb1: node1 is the last UP active server of backend app (node2: MAINT, node3: UP (backup))']);
  });

  it.each(['UP 1/3', 'NOLB', 'no check', 'DRAIN', 'DOWN'])('does not count "%s" as UP', (other) => {
    const servers = [stat('node1', 'UP'), stat('node2', other)];
    const v = evaluateGate({ action: 'drain', node: node('node1'), reads: [read('lb1', servers)], minActive: 1 });
    expect(v.allowed).toBe(false);
    expect(v.remaining).toEqual({ lb1: 0 });
  });

  it('refuses when ANY readable LB would be left empty', () => {
    const lb2 = [stat('node1', 'UP'), stat('node2', 'DOWN')];
    const v = evaluateGate({ action: 'drain', node: node('node1'), reads: [read('lb1', healthy()), read('lb2', lb2)], minActive: 1 });
    expect(v.allowed).toBe(false);
    expect(v.reasons).toHaveLength(1);
    expect(v.reasons[0]).toMatch(/^lb2: /);
  });

  it('does not let an unreadable LB refuse the others', () => {
    const v = evaluateGate({ action: 'drain', node: node('node1'), reads: [unreadable('lb1'), read('lb2', healthy())], minActive: 1 });
    expect(v.allowed).toBe(true);
    expect(v.remaining).toEqual({ lb2: 1 });
  });

  it('never refuses ready, nor an action that takes away no UP server', () => {
    const allDown = [stat('node1', 'DOWN'), stat('node2', 'DOWN')];
    expect(evaluateGate({ action: 'maint', node: node('node1'), reads: [read('lb1', allDown)], minActive: 1 }).allowed).toBe(true);
    const lastUp = [stat('node1', 'UP'), stat('node2', 'DOWN')];
    expect(evaluateGate({ action: 'ready', node: node('node1'), reads: [read('lb1', lastUp)], minActive: 1 }).allowed).toBe(true);
  });

  it('honours a higher minimum of active servers', () => {
    const v = evaluateGate({ action: 'drain', node: node('node1'), reads: [read('lb1', healthy())], minActive: 2 });
    expect(v.allowed).toBe(false);
    expect(v.reasons).toEqual(['lb1: only 1 UP active server would be left in backend app, below the minimum of 2']);
  });
});

describe('consequence line', () => {
  it('names the LBs, what remains and the sessions now', () => {
    const r1 = read('lb1', [stat('node1', 'UP', { sessions: 9 }), stat('node2', 'UP'), stat('node3', 'UP', { backup: true })]);
    const r2 = read('lb2', [stat('node1', 'UP', { sessions: 5 }), stat('node2', 'UP'), stat('node3', 'UP', { backup: true })]);
    const gate = evaluateGate({ action: 'drain', node: node('node1'), reads: [r1, r2], minActive: 1 });
    expect(describeConsequence('drain', node('node1'), [r1, r2], gate)).toBe(
      'node1 stops getting new sessions on lb1 and lb2; 1 active node (node2) and 1 standby remain; sessions now: 14',
    );
  });

  it('says which LBs cannot be read and why it would be refused', () => {
    const r2 = read('lb2', [stat('node1', 'UP'), stat('node2', 'DOWN')]);
    const reads = [unreadable('lb1'), r2];
    const gate = evaluateGate({ action: 'drain', node: node('node1'), reads, minActive: 1 });
    const line = describeConsequence('drain', node('node1'), reads, gate);
    expect(line).toContain('lb1 cannot be read and will be reported as failed');
    expect(line).toContain('refused by the safety gate: lb2: node1 is the last UP active server');
  });
});
