import { describe, expect, it } from 'vitest';
import type { PushHostResult, PushResult } from '../../shared/domain/managed-files';
import { EXIT } from './exit-codes';
import { formatBackups, formatPushPreview, formatPushResult, progressLine } from './format-push';
import { pushExit } from './push-command';

const host = (name: string, outcome: PushHostResult['outcome'], code?: 'GATE_REFUSED' | 'NOT_CONFIRMED'): PushHostResult => ({
  host: name,
  outcome,
  files: [],
  drained: outcome === 'done',
  notes: outcome === 'done' ? ['drained on lb1 and lb2; sessions reached 0', 'made ready on lb1 and lb2'] : [],
  error: code ? { code, message: `${name}: it went wrong` } : null,
  durationMs: 1234,
});
const result = (outcome: PushResult['outcome'], hosts: PushHostResult[]): PushResult => ({
  id: 'p1',
  cluster: 'demo',
  mode: 'rolling',
  outcome,
  message: 'm',
  hosts,
  verify: [],
  startedAt: 0,
  durationMs: 5,
});

describe('push output', () => {
  it('prints a progress line, the preview and the result', () => {
    expect(progressLine({ id: 'p', cluster: 'demo', host: 'node1', phase: 'drain', percent: 10, detail: 'draining node1 on every LB\nmore' })).toBe(
      'node1        drain          10%  draining node1 on every LB',
    );
    const p = formatPushPreview({
      cluster: 'demo',
      mode: 'rolling',
      hosts: ['node1'],
      items: [{ host: 'node1', file: 'app.conf', path: '/srv/app/app.conf', diff: '--- a\n+++ b\n+x\n', changed: true, valid: false, message: 'node1 would refuse the new file: line 2' }],
      refusal: null,
    });
    expect(p).toContain('node1 /srv/app/app.conf [app.conf]: REFUSED by its validate command');
    expect(p).toContain('+x');
    expect(formatPushPreview({ cluster: 'demo', mode: 'rolling', hosts: [], items: [], refusal: 'no such file' })).toBe('REFUSED: no such file');
    const r = formatPushResult(result('stopped', [host('node1', 'done'), host('node2', 'restored', 'NOT_CONFIRMED'), host('node3', 'not-started')]));
    expect(r.split('\n')[0]).toBe('STOPPED: m');
    expect(r).toMatch(/node2\s+restored\s+no\s+1\.2 s\s+node2: it went wrong/);
    expect(r).toContain('  made ready on lb1 and lb2');
    expect(r).not.toContain('node3:');
    expect(formatBackups('node1', 'app.conf', [])).toBe('node1 keeps no backups of app.conf (a push or a rollback makes one)');
    expect(formatBackups('node1', 'app.conf', [{ id: 'app.conf.clusterdeck-20260101T000000.000Z.bak', path: '/x', sha256: 'a'.repeat(64), size: 10, at: Date.UTC(2026, 0, 1), version: 2 }])).toMatch(
      /app\.conf\.clusterdeck-20260101T000000\.000Z\.bak\s+aaaaaaaaaaaa…\s+10\s+2026-01-01 00:00:00\s+v2/,
    );
  });

  it('exit codes: ok, partial or stopped after some hosts, gate, validation refused, error', () => {
    expect(pushExit(result('ok', [host('node1', 'done')]))).toBe(EXIT.ok);
    expect(pushExit(result('unchanged', [host('node1', 'unchanged')]))).toBe(EXIT.ok);
    expect(pushExit(result('stopped', [host('node1', 'done'), host('node2', 'failed', 'NOT_CONFIRMED')]))).toBe(EXIT.partial);
    expect(pushExit(result('partial', [host('node1', 'done'), host('node2', 'refused', 'NOT_CONFIRMED')]))).toBe(EXIT.partial);
    expect(pushExit(result('stopped', [host('node1', 'failed', 'GATE_REFUSED'), host('node2', 'not-started')]))).toBe(EXIT.refused);
    expect(pushExit(result('failed', [host('node1', 'refused', 'NOT_CONFIRMED')]))).toBe(EXIT.invalidInput);
    expect(pushExit(result('stopped', [host('node1', 'restored', 'NOT_CONFIRMED'), host('node2', 'not-started')]))).toBe(EXIT.error);
  });
});
