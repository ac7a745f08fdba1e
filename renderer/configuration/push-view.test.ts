import { describe, expect, it } from 'vitest';
import type { ManagedFile, PushHostResult, PushPreview, PushResult } from '../../shared/domain/managed-files';
import { chooseBlocked, fileStepRows, hostPlan, hostReason, previewBlocked, previewHosts, pushResultView, requestOf, verifyRows, type WizardChoice } from './push-view';

const choice = (p: Partial<WizardChoice> = {}): WizardChoice => ({ files: ['app-conf'], hosts: ['node2'], mode: 'rolling', drainWaitSec: '10', portWaitSec: '5', ...p });

const file: ManagedFile = {
  id: 'app-conf',
  path: '/srv/app/app.conf',
  hosts: 'nodes',
  validate: '/srv/app/check-conf {file}',
  reload: { kind: 'command', command: '/srv/app/reload' },
  check: null,
  servicePort: 8080,
  process: null,
  owner: 'root',
  group: 'root',
  mode: '0644',
  keepBackups: 5,
  current: { version: 2, sha256: 'ab'.repeat(32), size: 10, addedAt: 0, source: 'app.conf', by: 'me' },
  versions: [],
};

const item = (host: string, p: Partial<PushPreview['items'][number]> = {}): PushPreview['items'][number] => ({
  host,
  file: 'app-conf',
  path: '/srv/app/app.conf',
  diff: '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+y\n',
  changed: true,
  valid: true,
  message: '',
  ...p,
});
const preview = (items: PushPreview['items'], refusal: string | null = null): PushPreview => ({ cluster: 'demo', mode: 'rolling', hosts: [...new Set(items.map((i) => i.host))], items, refusal });

const host = (h: string, outcome: PushHostResult['outcome'], p: Partial<PushHostResult> = {}): PushHostResult => ({
  host: h,
  outcome,
  files: [],
  drained: false,
  notes: [],
  error: null,
  durationMs: 100,
  ...p,
});
const result = (outcome: PushResult['outcome'], hosts: PushHostResult[]): PushResult => ({ id: 'p1', cluster: 'demo', mode: 'rolling', outcome, message: 'm', hosts, verify: [], startedAt: 0, durationMs: 900 });

describe('push wizard view', () => {
  it('builds the request from the choice and refuses bad waits by field', () => {
    expect(requestOf(choice())).toEqual({ request: { files: ['app-conf'], hosts: ['node2'], mode: 'rolling', drainWaitSec: 10, portWaitSec: 5 }, errors: {} });
    const bad = requestOf(choice({ drainWaitSec: '-1', portWaitSec: '0' }));
    expect(bad.request).toBeNull();
    expect(bad.errors).toEqual({ drainWaitSec: 'must be a whole number of seconds', portWaitSec: 'must be at least 1' });
    expect(requestOf(choice({ portWaitSec: '601' })).errors.portWaitSec).toBe('must be at most 600');
    expect(requestOf(choice({ hosts: [] })).request).toBeNull();
    expect(chooseBlocked(choice({ files: [] }))).toBe('Choose at least one file.');
    expect(chooseBlocked(choice({ hosts: [] }))).toBe('Choose at least one host.');
    expect(chooseBlocked(choice())).toBeNull();
  });

  it('groups a preview by host and says why it cannot be pushed', () => {
    const p = preview([item('node1', { changed: false, diff: '', valid: null }), item('node2')]);
    expect(previewHosts(p).map((h) => [h.host, h.changed])).toEqual([
      ['node1', []],
      ['node2', ['app-conf']],
    ]);
    expect(previewBlocked(p)).toBeNull();
    expect(previewBlocked(preview([item('node2', { valid: false })]))).toBe('The validate command refuses the new file on node2 (app-conf): fix the desired content first.');
    expect(previewBlocked(preview([item('node1', { changed: false })]))).toContain('Nothing to push');
    expect(previewBlocked(preview([item('lb1')], 'rolling includes lb1, an LB'))).toBe('rolling includes lb1, an LB');
  });

  it('lists exactly what happens on a host, in order: drain, stage, validate, backup, reload, port, ready', () => {
    const plan = hostPlan('node2', [file], { mode: 'rolling', isNode: true, lbs: ['lb1', 'lb2'], drainWaitSec: 10, portWaitSec: 5, changed: ['app-conf'] });
    expect(plan[0]).toBe('Drain node2 on lb1 and lb2; wait up to 10 s for its sessions to end.');
    expect(plan).toContain('Validate it there: /srv/app/check-conf {file}');
    expect(plan).toContain('Reload: /srv/app/reload');
    expect(plan).toContain('Wait up to 5 s for port 8080.');
    expect(plan.at(-2)).toBe('Make node2 ready on lb1 and lb2.');
    expect(plan.at(-1)).toBe('Read the fingerprint back.');
    const all = hostPlan('node1', [file], { mode: 'all-at-once', isNode: true, lbs: ['lb1'], drainWaitSec: 10, portWaitSec: 5, changed: ['app-conf'] });
    expect(all.some((l) => l.startsWith('Drain'))).toBe(false);
    expect(hostPlan('node3', [file], { mode: 'rolling', isNode: true, lbs: ['lb1'], drainWaitSec: 1, portWaitSec: 1, changed: [] })).toEqual(['Nothing to do: /srv/app/app.conf already in sync.']);
  });

  it('words engine steps for a managed file, not for HAProxy', () => {
    const rows = fileStepRows([{ step: 'read', ok: true, detail: '' }, { step: 'stage', ok: true, detail: '' }, { step: 'validate', ok: false, detail: 'line 3: bad' }], true);
    expect(rows.find((r) => r.step === 'validate')).toMatchObject({ word: 'run the validate command on it', state: 'failed', detail: 'line 3: bad' });
    expect(rows.find((r) => r.step === 'replace')?.state).toBe('skipped');
  });

  it('says which hosts are done, failed, not started, and what was left as it was', () => {
    const failedStep = { target: 'node2', path: '/srv/app/app.conf', diff: '', changed: true, outcome: 'restored' as const, steps: [{ step: 'reload' as const, ok: false, detail: 'app rejected it', ms: 3 }], backup: null, error: null, file: 'app-conf' };
    const r = result('stopped', [host('node1', 'done'), host('node2', 'restored', { files: [failedStep] }), host('node3', 'not-started')]);
    const v = pushResultView(r);
    expect(v.tone).toBe('error');
    expect(v.title).toBe('Stopped at node2: the hosts after it were not touched');
    expect(v.done).toEqual(['node1']);
    expect(v.failed).toEqual(['node2']);
    expect(v.notStarted).toEqual(['node3']);
    expect(v.left).toEqual(['node2: /srv/app/app.conf the old file was put back.', 'node3: not started, every file left as it was.']);
    expect(hostReason(r.hosts[1]!)).toBe('app-conf reload: app rejected it');
    expect(hostReason(host('x', 'failed', { error: { code: 'SSH_DISCONNECTED', message: 'lost x' } }))).toBe('SSH_DISCONNECTED: lost x');
    const ok = pushResultView(result('ok', [host('node1', 'done'), host('node2', 'unchanged')]));
    expect(ok.title).toBe('Pushed to node1');
    expect(ok.left).toEqual(['node2: already in sync, nothing written.']);
  });

  it('compares the fingerprints read back with the desired ones', () => {
    const c = { host: 'node2', file: 'app-conf', path: '/p', desiredSha256: 'a'.repeat(64), size: 1, mtime: 0, detail: '', checkedAt: 0 };
    expect(verifyRows([{ ...c, state: 'in-sync', sha256: 'a'.repeat(64) }])[0]).toMatchObject({ ok: true, state: 'in sync', onHost: 'aaaaaaaaaaaa' });
    expect(verifyRows([{ ...c, state: 'out-of-sync', sha256: 'b'.repeat(64) }])[0]).toMatchObject({ ok: false, state: 'out of sync' });
    expect(verifyRows([{ ...c, state: 'missing', sha256: null }])[0]).toMatchObject({ ok: false, onHost: '—' });
  });
});

describe('command heads', () => {
  it('shows a short command whole, and a script by its first real line', async () => {
    const { commandHead } = await import('./push-view');
    expect(commandHead('/srv/app/reload')).toEqual({ head: '/srv/app/reload', long: false });
    expect(commandHead("set -eu\nfind '/srv/app' -maxdepth 1 -delete\nprintf 'ok\\n'")).toEqual({ head: "find '/srv/app' -maxdepth 1 -delete", long: true });
    expect(commandHead("set -eu\np='/srv/app/app.conf'\nexec 2>&1\nif [ -L \"$p\" ]; then exit 1; fi").head).toBe('if [ -L "$p" ]; then exit 1; fi');
    const long = commandHead('x'.repeat(300));
    expect(long.long).toBe(true);
    expect(long.head).toHaveLength(110);
    expect(long.head.endsWith('…')).toBe(true);
  });
});
