import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConfigProgress } from '../../shared/domain/config-change';
import { CdError } from '../../shared/errors';
import { applyConfigChange, previewConfigChange, sshFileOps, type ConfigTarget } from './config-change';
import { faultyOps, localLink, type LocalLink } from './config-test-support';

// The engine end to end against local directories standing in for two hosts (the same shell
// scripts as over SSH), with failures injected in the target hooks or the file operations.
const root = mkdtempSync(join(tmpdir(), 'cd-cc-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const OLD = 'backend app\n  server a 10.0.0.1:80 check inter 1s\n';
const NEW = 'backend app\n  server a 10.0.0.1:80 check inter 500ms\n';
let dirs: Record<'lb1' | 'lb2', string>;
let calls: string[];
let n = 0;

beforeEach(() => {
  calls = [];
  dirs = { lb1: join(root, `${n}-lb1`), lb2: join(root, `${n}-lb2`) };
  n++;
  for (const d of Object.values(dirs)) {
    mkdirSync(d);
    writeFileSync(join(d, 'haproxy.cfg'), OLD);
  }
});

const file = (lb: 'lb1' | 'lb2'): string => readFileSync(join(dirs[lb], 'haproxy.cfg'), 'utf8');
const leftovers = (lb: 'lb1' | 'lb2'): string[] => readdirSync(dirs[lb]).filter((f) => f.endsWith('.tmp') || f.endsWith('.partial'));
const backups = (lb: 'lb1' | 'lb2'): string[] => readdirSync(dirs[lb]).filter((f) => f.endsWith('.bak'));

interface Opts {
  render?: (cur: string) => string | CdError;
  validate?: string;
  reloadFails?: boolean;
  verifyFails?: boolean;
  keepBackups?: number;
  link?: LocalLink;
}

function target(lb: 'lb1' | 'lb2', o: Opts = {}): ConfigTarget {
  let reloads = 0;
  return {
    target: lb,
    link: o.link ?? localLink(lb),
    path: join(dirs[lb], 'haproxy.cfg'),
    render: o.render ?? ((cur) => cur.replace('inter 1s', 'inter 500ms')),
    validate: o.validate ?? `grep -q '^backend' {file} || { printf '[ALERT] (42) : config : parsing [%s:1] : no backend\\n' {file}; exit 1; }`,
    async reload() {
      reloads++;
      calls.push(`reload ${lb} ${file(lb).includes('500ms') ? 'new' : 'old'}`);
      if (o.reloadFails && reloads === 1) throw new CdError('HAPROXY_ERROR', `${lb}: the reload did not take: worker 10 is still serving`);
      return `worker ${reloads} → ${reloads + 1}`;
    },
    async verify() {
      calls.push(`verify ${lb}`);
      if (o.verifyFails) throw new CdError('NOT_CONFIRMED', `${lb}: node2: backup should be yes, HAProxy says no`);
      return 'confirmed';
    },
    ...(o.keepBackups !== undefined ? { keepBackups: o.keepBackups } : {}),
  };
}

const apply = (targets: ConfigTarget[], extra: Partial<Parameters<typeof applyConfigChange>[0]> = {}) =>
  applyConfigChange({ id: 'c1', cluster: 'demo', kind: 'failover-settings', targets, ...extra });

describe('applyConfigChange', () => {
  it('applies target by target: backup, replace, reload, verify; progress per step; temps gone', async () => {
    const progress: ConfigProgress[] = [];
    const r = await apply([target('lb1'), target('lb2')], { onProgress: (p) => progress.push(p) });
    expect(r.outcome).toBe('ok');
    expect(r.message).toBe('applied on lb1 and lb2');
    expect([file('lb1'), file('lb2')]).toEqual([NEW, NEW]);
    // one LB at a time: lb1 is reloaded and verified before lb2 is touched
    expect(calls).toEqual(['reload lb1 new', 'verify lb1', 'reload lb2 new', 'verify lb2']);
    for (const t of r.targets) {
      expect(t.outcome).toBe('applied');
      expect(t.steps.map((s) => s.step)).toEqual(['read', 'stage', 'validate', 'backup', 'replace', 'reload', 'verify', 'cleanup']);
      expect(t.steps.every((s) => s.ok && s.ms >= 0)).toBe(true);
      expect(t.diff).toContain('-  server a 10.0.0.1:80 check inter 1s\n+  server a 10.0.0.1:80 check inter 500ms');
      expect(t.backup && readFileSync(t.backup, 'utf8')).toBe(OLD);
      expect(t.steps.find((s) => s.step === 'verify')!.detail).toMatch(/on disk is the file written \(sha256 [0-9a-f]{12}…\); confirmed$/);
    }
    expect(progress.filter((p) => p.target === 'lb2').map((p) => p.step)).toEqual(r.targets[1]!.steps.map((s) => s.step));
    expect([...leftovers('lb1'), ...leftovers('lb2')]).toEqual([]);
  });

  it('leaves unchanged targets alone (no reload) and says so', async () => {
    writeFileSync(join(dirs.lb2, 'haproxy.cfg'), NEW);
    const r = await apply([target('lb1'), target('lb2')]);
    expect(r.outcome).toBe('ok');
    expect(r.message).toBe('applied on lb1; lb2 already had it');
    expect(r.targets[1]).toMatchObject({ outcome: 'unchanged', changed: false, diff: '', backup: null });
    expect(r.targets[1]!.steps.map((s) => s.step)).toEqual(['read']);
    expect(calls).toEqual(['reload lb1 new', 'verify lb1']);
    const again = await apply([target('lb1'), target('lb2')]);
    expect(again).toMatchObject({ outcome: 'unchanged', message: 'nothing to change: lb1 and lb2 already have this configuration' });
  });

  it('refuses everywhere when one validation fails: nothing replaced, temps removed, the validator quoted', async () => {
    const r = await apply([target('lb1'), target('lb2', { render: () => 'frontend only\n' })]);
    expect(r.outcome).toBe('refused');
    expect(r.message).toBe(`lb2 refused the new file: [ALERT] config : parsing [${join(dirs.lb2, 'haproxy.cfg')}:1] : no backend; nothing was changed on any LB`);
    expect([file('lb1'), file('lb2')]).toEqual([OLD, OLD]);
    expect(calls).toEqual([]);
    expect(r.targets.map((t) => t.outcome)).toEqual(['not-touched', 'refused']);
    const v = r.targets[1]!.steps.find((s) => s.step === 'validate')!;
    expect(v.ok).toBe(false);
    expect(v.detail).toMatch(/^\[ALERT\] \(42\) : config : parsing \[.*\.haproxy\.cfg\.clusterdeck-[0-9a-f]+\.tmp:1\] : no backend$/);
    expect(r.targets.map((t) => t.steps.map((s) => s.step).pop())).toEqual(['cleanup', 'cleanup']);
    expect([...leftovers('lb1'), ...leftovers('lb2'), ...backups('lb1'), ...backups('lb2')]).toEqual([]);
  });

  it('refuses a render error with its message', async () => {
    const r = await apply([target('lb1', { render: () => new CdError('SERVER_NOT_FOUND', 'backend "app" has no server "node4"') }), target('lb2')]);
    expect(r.outcome).toBe('refused');
    expect(r.message).toBe(`could not build the new ${join(dirs.lb1, 'haproxy.cfg')} for lb1: backend "app" has no server "node4"; nothing was changed on any LB`);
    expect(r.targets[0]!.error).toMatchObject({ code: 'SERVER_NOT_FOUND' });
    expect(leftovers('lb2')).toEqual([]);
  });

  it('rolls back when a reload fails: that LB and those before it get their file back and are reloaded', async () => {
    const r = await apply([target('lb1'), target('lb2', { reloadFails: true })]);
    expect(r.outcome).toBe('rolled-back');
    expect(r.message).toBe('reload failed on lb2: the reload did not take: worker 10 is still serving; lb2 and lb1 were restored to their previous files and reloaded');
    expect([file('lb1'), file('lb2')]).toEqual([OLD, OLD]);
    expect(calls).toEqual(['reload lb1 new', 'verify lb1', 'reload lb2 new', 'reload lb2 old', 'reload lb1 old']);
    expect(r.targets.map((t) => t.outcome)).toEqual(['restored', 'restored']);
    expect(r.targets[1]!.steps.map((s) => `${s.step}:${s.ok}`)).toEqual(['read:true', 'stage:true', 'validate:true', 'backup:true', 'replace:true', 'reload:false', 'restore:true', 'reload:true']);
    expect(r.targets[0]!.steps.find((s) => s.step === 'restore')!.detail).toContain('because reload failed on lb2; byte-identical to the file before the change');
    expect(r.targets[1]!.error).toMatchObject({ code: 'HAPROXY_ERROR' });
    expect([...leftovers('lb1'), ...leftovers('lb2')]).toEqual([]);
  });

  it('rolls back when verify fails', async () => {
    const r = await apply([target('lb1'), target('lb2', { verifyFails: true })]);
    expect(r).toMatchObject({ outcome: 'rolled-back', message: expect.stringMatching(/^verification failed on lb2: node2: backup should be yes, HAProxy says no; lb2 and lb1 were restored/) });
    expect([file('lb1'), file('lb2')]).toEqual([OLD, OLD]);
  });

  it('a failed backup leaves that LB unchanged and rolls back the ones before', async () => {
    const ops = faultyOps(sshFileOps, (op, host) => (op === 'backup' && host === 'lb2' ? new CdError('IO_ERROR', 'lb2: No space left on device') : null));
    const r = await apply([target('lb1'), target('lb2')], { ops });
    expect(r.message).toBe('the backup failed on lb2: No space left on device; lb2 was not changed; lb1 was restored to its previous file and reloaded');
    expect(r.targets.map((t) => t.outcome)).toEqual(['restored', 'failed']);
    expect([file('lb1'), file('lb2')]).toEqual([OLD, OLD]);
    expect(leftovers('lb2')).toEqual([]);
  });

  it('a rename cut short is treated as maybe-replaced and restored', async () => {
    const ops = faultyOps(sshFileOps, (op, host) => (op === 'rename' && host === 'lb1' ? new CdError('SSH_DISCONNECTED', 'lb1: the connection was lost') : null));
    const r = await apply([target('lb1'), target('lb2')], { ops });
    expect(r.outcome).toBe('rolled-back');
    expect(r.targets[0]!.steps.map((s) => s.step)).toEqual(['read', 'stage', 'validate', 'backup', 'replace', 'restore', 'cleanup']);
    expect(r.targets[1]!.outcome).toBe('not-touched');
    expect([file('lb1'), file('lb2')]).toEqual([OLD, OLD]);
  });

  it('says which LB could not be restored, and where its old file is', async () => {
    let restores = 0;
    const ops = faultyOps(sshFileOps, (op, host) => (op === 'restore' && host === 'lb1' && ++restores > 0 ? new CdError('SSH_DISCONNECTED', 'lb1: the connection was lost') : null));
    const r = await apply([target('lb1'), target('lb2', { reloadFails: true })], { ops });
    expect(r.outcome).toBe('failed');
    expect(r.message).toMatch(/^reload failed on lb2: .*; lb2 was restored to its previous file and reloaded; could NOT restore lb1 \(lb1: the connection was lost; its previous file is kept at .*\.bak\): check it by hand/);
    expect(r.targets.map((t) => t.outcome)).toEqual(['failed', 'restored']);
  });

  it('refuses bad paths before any command is sent', async () => {
    const l1 = localLink('lb1');
    const l2 = localLink('lb2');
    const r = await apply([{ ...target('lb1', { link: l1 }), path: 'etc/haproxy/haproxy.cfg' }, { ...target('lb2', { link: l2 }), path: '/etc/haproxy/../shadow' }]);
    expect(r.outcome).toBe('refused');
    expect(r.message).toBe('lb1: refused path: "etc/haproxy/haproxy.cfg" is not an absolute path (also lb2: refused path: "/etc/haproxy/../shadow" contains a ".." segment); nothing was changed on any LB');
    expect([...l1.commands, ...l2.commands]).toEqual([]);
    const dup = await apply([target('lb1', { link: l1 }), target('lb1', { link: l1 })]);
    expect(dup.message).toContain('is listed twice');
    expect(l1.commands).toEqual([]);
  });

  it('fails without changing anything when the link is lost during validation', async () => {
    const l1 = localLink('lb1');
    const ops = faultyOps(sshFileOps, (op, host) => {
      if (op === 'validate' && host === 'lb1') l1.cut = true;
      return null;
    });
    const r = await apply([target('lb1', { link: l1 }), target('lb2')], { ops });
    expect(r.outcome).toBe('failed');
    expect(r.message).toBe(`validation failed on lb1: the connection was lost while validating ${r.targets[0]!.steps[1]!.detail.split(' ')[1]}; nothing was changed on any LB`);
    expect(r.targets[0]!.steps.pop()).toMatchObject({ step: 'cleanup', ok: false, detail: expect.stringContaining('stays until the next change') });
    expect([file('lb1'), file('lb2')]).toEqual([OLD, OLD]);
    expect(leftovers('lb2')).toEqual([]);
  });

  it('stops before changing anything when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await apply([target('lb1'), target('lb2')], { signal: ac.signal });
    expect(r).toMatchObject({ outcome: 'failed', message: 'cancelled; nothing was changed on any LB' });
    expect([...leftovers('lb1'), ...leftovers('lb2')]).toEqual([]);
  });

  it('keeps only keepBackups backups once a change stood', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await apply([target('lb1', { keepBackups: 2, render: (c) => `${c}# ${i}\n` })]);
      expect(r.outcome).toBe('ok');
      await new Promise((res) => setTimeout(res, 5)); // distinct millisecond stamps
    }
    expect(backups('lb1')).toHaveLength(2);
    const r = await apply([target('lb1', { keepBackups: 0 })]);
    expect(r).toMatchObject({ outcome: 'refused', message: expect.stringContaining('keepBackups must be a whole number from 1 to 100') });
  });
});

describe('previewConfigChange', () => {
  it('shows the diff and the validator verdict without changing anything', async () => {
    writeFileSync(join(dirs.lb2, 'haproxy.cfg'), NEW);
    const p = [
      ...(await previewConfigChange([target('lb1'), target('lb2')])),
      ...(await previewConfigChange([target('lb1', { render: () => 'nothing\n' })])),
    ];
    expect(p.map((x) => [x.changed, x.valid])).toEqual([[true, true], [false, null], [true, false]]);
    expect(p[0]!.message).toBe(`lb1: would change ${join(dirs.lb1, 'haproxy.cfg')} (1 line removed, 1 added); the new file passes validation`);
    expect(p[2]!.message).toMatch(/^lb1 would refuse the new file: \[ALERT\] config : parsing/);
    expect(file('lb1')).toBe(OLD);
    expect(leftovers('lb1')).toEqual([]);
  });
});

describe('creating a file that does not exist yet', () => {
  const path = (lb: 'lb1' | 'lb2', name = 'app.conf'): string => join(dirs[lb], name);
  const isRoot = process.getuid?.() === 0;
  const creating = (lb: 'lb1' | 'lb2', o: Opts & { attrs?: ConfigTarget['attrs']; name?: string } = {}): ConfigTarget => ({
    ...target(lb, { render: () => NEW, ...o }),
    path: path(lb, o.name),
    create: true,
    ...(o.attrs ? { attrs: o.attrs } : {}),
  });

  it('creates it with the declared owner and mode, without a backup', async () => {
    const r = await apply([creating('lb1', { attrs: { owner: 'root', group: 'root', mode: '0640' } })], { kind: 'managed-file' });
    expect(r.outcome).toBe('ok');
    expect(readFileSync(path('lb1'), 'utf8')).toBe(NEW);
    const t = r.targets[0]!;
    expect(t.backup).toBeNull();
    expect(t.steps.find((s) => s.step === 'read')!.detail).toContain('does not exist yet: it will be created');
    expect(t.steps.find((s) => s.step === 'backup')!.detail).toContain('nothing to back up');
    expect(t.steps.find((s) => s.step === 'stage')!.detail).toContain('mode 0640 root:root as declared');
    if (isRoot) expect((statSync(path('lb1')).mode & 0o777).toString(8)).toBe('640');
    expect(backups('lb1')).toEqual([]);
  });

  it('a failed reload removes the created file again and reloads', async () => {
    const r = await apply([creating('lb1', { reloadFails: true })], { kind: 'managed-file' });
    expect(r.outcome).toBe('rolled-back');
    expect(r.message).toMatch(/^reload failed on lb1: .*; lb1 was restored to its previous file and reloaded$/);
    expect(existsSync(path('lb1'))).toBe(false);
    expect(r.targets[0]!.steps.find((s) => s.step === 'restore')!.detail).toContain('did not exist before the change');
    expect(calls.filter((c) => c.startsWith('reload lb1'))).toHaveLength(2);
    expect(leftovers('lb1')).toEqual([]);
  });

  it('refuses a file that appeared after it was read, and a missing file without create', async () => {
    const t = creating('lb1', { validate: `touch ${path('lb1')} && true {file}` });
    const r = await apply([t], { kind: 'managed-file' });
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain('did not exist when ClusterDeck read it, but does now');
    expect(readFileSync(path('lb1'), 'utf8')).toBe('');
    const r2 = await apply([{ ...target('lb2'), path: path('lb2', 'none.conf') }], { kind: 'managed-file' });
    expect(r2).toMatchObject({ outcome: 'failed', message: expect.stringContaining('does not exist') });
  });

  it('refuses a file under a symlinked directory, and writes nothing there', async () => {
    const real = join(dirs.lb2, 'real');
    mkdirSync(real);
    symlinkSync(real, join(dirs.lb2, 'linked'));
    const r = await apply([{ ...creating('lb2'), path: join(dirs.lb2, 'linked', 'app.conf') }], { kind: 'managed-file' });
    expect(r.outcome).toBe('failed');
    expect(r.message).toContain(`lb2: ${join(dirs.lb2, 'linked', 'app.conf')} is reached through a symlinked directory (real path ${join(real, 'app.conf')})`);
    expect(readdirSync(real)).toEqual([]);
  });

  it('previews a creation', async () => {
    const [p] = await previewConfigChange([creating('lb1')]);
    expect(p).toMatchObject({ changed: true, valid: true, message: expect.stringContaining('would create') });
    expect(p!.diff).toContain('+  server a 10.0.0.1:80 check inter 500ms');
    expect(existsSync(path('lb1'))).toBe(false);
    expect(leftovers('lb1')).toEqual([]);
  });
});
