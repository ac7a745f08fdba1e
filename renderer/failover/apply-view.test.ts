import { describe, expect, it } from 'vitest';
import type { ConfigChangeResult, ConfigStep, ConfigTargetResult } from '../../shared/domain/config-change';
import { resultView, stepRows } from './apply-view';

const step = (s: ConfigStep['step'], ok = true, detail = ''): ConfigStep => ({ step: s, ok, detail, ms: 1 });
const target = (name: string, outcome: ConfigTargetResult['outcome'], steps: ConfigStep[], backup: string | null = null): ConfigTargetResult => ({
  target: name,
  path: '/etc/haproxy/haproxy.cfg',
  diff: '',
  changed: outcome !== 'unchanged',
  outcome,
  steps,
  backup,
  error: null,
});
const result = (outcome: ConfigChangeResult['outcome'], targets: ConfigTargetResult[], message = ''): ConfigChangeResult => ({
  id: 'c1',
  cluster: 'demo',
  kind: 'failover-settings',
  outcome,
  message,
  targets,
  startedAt: 0,
  durationMs: 1200,
});
const NORMAL = (['read', 'stage', 'validate', 'backup', 'replace', 'reload', 'verify', 'cleanup'] as const).map((s) => step(s));

describe('config change progress', () => {
  it('ticks the steps reported so far, the next one running', () => {
    const rows = stepRows([{ step: 'read', ok: true, detail: '2.1 kB' }, { step: 'stage', ok: true, detail: '' }], false);
    expect(rows.map((r) => r.state)).toEqual(['done', 'done', 'running', 'pending', 'pending', 'pending', 'pending', 'pending']);
    expect(rows[0]).toMatchObject({ step: 'read', detail: '2.1 kB', word: 'read the current file' });
  });

  it('after a refusal the normal path is skipped; cleanup still runs', () => {
    const rows = stepRows([{ step: 'read', ok: true, detail: '' }, { step: 'stage', ok: true, detail: '' }, { step: 'validate', ok: false, detail: "[ALERT] unknown keyword 'chek'" }], false);
    expect(rows.map((r) => `${r.step}:${r.state}`)).toEqual(['read:done', 'stage:done', 'validate:failed', 'backup:skipped', 'replace:skipped', 'reload:skipped', 'verify:skipped', 'cleanup:running']);
  });

  it('shows the restore step when it ran', () => {
    const rows = stepRows([...NORMAL.slice(0, 5), step('reload', false, 'reload failed'), step('restore', true, 'old file back'), step('cleanup')], true);
    expect(rows.map((r) => `${r.step}:${r.state}`)).toEqual(['read:done', 'stage:done', 'validate:done', 'backup:done', 'replace:done', 'reload:failed', 'verify:skipped', 'restore:done', 'cleanup:done']);
  });
});

describe('config change result', () => {
  it('applied: names the LBs and where the backups are', () => {
    const v = resultView(result('ok', [target('lb1', 'applied', NORMAL, '/etc/haproxy/haproxy.cfg.cd-bak'), target('lb2', 'applied', NORMAL)]));
    expect(v).toMatchObject({ tone: 'ok', title: 'Applied on lb1 and lb2' });
    expect(v.lines[0]).toBe('lb1: /etc/haproxy/haproxy.cfg replaced and HAProxy reloaded; the old file is kept as /etc/haproxy/haproxy.cfg.cd-bak.');
  });

  it("refused: nothing changed anywhere, with HAProxy's message", () => {
    const bad = [step('read'), step('stage'), step('validate', false, "[ALERT] parsing [haproxy.cfg:40]: unknown keyword 'chek'"), step('cleanup')];
    const v = resultView(result('refused', [target('lb1', 'refused', bad), target('lb2', 'not-touched', [step('read')])]));
    expect(v.tone).toBe('warn');
    expect(v.title).toBe('Refused: nothing was changed on any LB');
    expect(v.lines[0]).toBe("lb1: validate: [ALERT] parsing [haproxy.cfg:40]: unknown keyword 'chek'");
    expect(v.lines[v.lines.length - 1]).toMatch(/lb1 and lb2 keep the file they had/);
  });

  it('rolled back: says what was restored', () => {
    const v = resultView(
      result('rolled-back', [
        target('lb1', 'restored', [...NORMAL.slice(0, 5), step('reload'), step('verify'), step('restore')], '/etc/haproxy/haproxy.cfg.bak'),
        target('lb2', 'restored', [...NORMAL.slice(0, 5), step('reload', false, 'master CLI: reload failed'), step('restore')], '/etc/haproxy/haproxy.cfg.bak'),
      ]),
    );
    expect(v.title).toMatch(/Rolled back/);
    expect(v.lines).toContain('lb2: reload: master CLI: reload failed');
    expect(v.lines).toContain('lb1: /etc/haproxy/haproxy.cfg restored from /etc/haproxy/haproxy.cfg.bak.');
  });

  it('unchanged and failed', () => {
    expect(resultView(result('unchanged', [target('lb1', 'unchanged', [step('read')])])).title).toBe('No change: lb1 already run these settings');
    const f = resultView(result('failed', [target('lb1', 'failed', [step('read'), step('replace', false, 'disk full')])], 'lb1 could not be restored'));
    expect(f.tone).toBe('error');
    expect(f.lines).toEqual(['lb1: replace: disk full', 'lb1 is now: failed.', 'lb1 could not be restored']);
  });
});
