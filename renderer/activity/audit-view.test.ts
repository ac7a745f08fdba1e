import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/domain/audit';
import { entryOutcome, entryTitle, formatWhen, isReadCommand, replyText } from './audit-view';

const actor = { via: 'ui' as const, user: 'root', machine: 'desk' };
const action = (outcome: 'ok' | 'partial' | 'timeout', forced = false): AuditEntry => ({
  kind: 'node-action',
  id: '1',
  at: '2025-01-01T10:00:00.000Z',
  cluster: 'demo',
  actor,
  result: {
    id: 'r',
    cluster: 'demo',
    node: 'node1',
    action: 'drain',
    outcome,
    message: 'm',
    gate: { allowed: true, reasons: [], remaining: {}, minActive: 1 },
    forced,
    lbs: [],
    wait: null,
    startedAt: 0,
    durationMs: 1,
    error: null,
  },
});

describe('audit view', () => {
  it('titles each kind of entry', () => {
    expect(entryTitle(action('ok'))).toBe('Drain node1');
    expect(entryTitle({ kind: 'cluster-change', id: '2', at: '', cluster: 'demo', actor, change: 'imported', summary: 's' })).toBe('Cluster imported');
    expect(entryTitle({ kind: 'host-key', id: '3', at: '', cluster: 'demo', actor, change: 'pinned', host: '10.0.0.1', port: 22, fingerprint: 'f', summary: 's' })).toBe('Host key pinned: 10.0.0.1');
  });

  it('tones outcomes and marks overrides', () => {
    expect(entryOutcome(action('ok'))).toEqual({ word: 'ok', tone: 'ok' });
    expect(entryOutcome(action('partial')).tone).toBe('error');
    expect(entryOutcome(action('timeout')).tone).toBe('warn');
    expect(entryOutcome(action('ok', true)).word).toBe('ok, gate overridden');
  });

  it('shows the empty success reply of an admin command in words', () => {
    expect(replyText('\n')).toBe('(empty reply: accepted)');
    expect(replyText('No such server.\n')).toBe('No such server.');
  });

  it('tells reads from changes', () => {
    expect(isReadCommand('show stat app 6 -1')).toBe(true);
    expect(isReadCommand('set server app/node1 state drain')).toBe(false);
  });

  it('prints a date only for other days', () => {
    const now = new Date('2025-01-01T12:00:00');
    expect(formatWhen(new Date('2025-01-01T10:00:00').toISOString(), now)).not.toMatch(/Jan/);
    expect(formatWhen(new Date('2024-12-30T10:00:00').toISOString(), now)).toMatch(/Dec|30/);
  });
});
