import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { formatRollback } from '../cli/format-push';
import { applyConfigChange } from './config-change';
import { localLink } from './config-test-support';
import {
  listBackups,
  pruneBackups,
  readRemoteFile,
  removeRemote,
  replaceRemoteFile,
  restoreRemoteFile,
  sha256Of,
  stageRemoteFile,
  sweepStale,
  validateRemote,
  writeRemoteFileAtomic,
  backupRemoteFile,
  renameRemoteFile,
} from './remote-file';

// The remote-file scripts run here in a local POSIX sh, in a directory whose name needs quoting.
const root = mkdtempSync(join(tmpdir(), 'cd-rf-'));
const isRoot = process.getuid?.() === 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let n = 0;
beforeEach(() => {
  dir = join(root, `it's $dir ${n++}`);
  mkdirSync(dir);
});

const ORIGINAL = Buffer.concat([Buffer.from('global\n  maxconn 10\n'), Buffer.from([0xff, 0x00, 0xfe]), Buffer.from('\n')]);

function target(content: Buffer | string = 'old\n', mode = 0o640): string {
  const p = join(dir, 'haproxy.cfg');
  writeFileSync(p, content);
  chmodSync(p, mode);
  if (isRoot) chownSync(p, 0, 4);
  return p;
}

describe('readRemoteFile', () => {
  it('reads bytes exactly (binary-safe), with sha256, mode and owner', async () => {
    const p = target(ORIGINAL);
    const f = await readRemoteFile(localLink('lb1'), p);
    expect(f.bytes.equals(ORIGINAL)).toBe(true);
    expect(f.sha256).toBe(sha256Of(ORIGINAL));
    expect(f.mode).toBe('640');
    expect(f.size).toBe(ORIGINAL.length);
    if (isRoot) expect([f.uid, f.gid]).toEqual([0, 4]);
  });

  it('says clearly what is wrong: missing, symlink, symlinked directory, not a file', async () => {
    const l = localLink('lb1');
    await expect(readRemoteFile(l, join(dir, 'nope.cfg'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: `lb1: ${join(dir, 'nope.cfg')} does not exist` });
    const real = target();
    symlinkSync(real, join(dir, 'link.cfg'));
    await expect(readRemoteFile(l, join(dir, 'link.cfg'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining(`is a symlink to ${real}`) });
    symlinkSync(dir, join(root, `via ${n}`));
    await expect(readRemoteFile(l, join(root, `via ${n}`, 'haproxy.cfg'))).rejects.toMatchObject({ message: expect.stringContaining(`real path ${real}`) });
    await expect(readRemoteFile(l, dir)).rejects.toMatchObject({ message: expect.stringContaining('not a regular file') });
  });

  it('refuses relative paths and .. before sending anything', async () => {
    const l = localLink('lb1');
    for (const p of ['etc/haproxy/haproxy.cfg', '/etc/haproxy/../passwd', '/etc/./x']) {
      await expect(readRemoteFile(l, p)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('lb1: refused path') });
      await expect(stageRemoteFile(l, p, 'x', null)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(restoreRemoteFile(l, `${p}.clusterdeck-20260101T000000.000Z.bak`, p)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
    expect(l.commands).toEqual([]);
  });
});

describe('stage, validate, replace, restore', () => {
  it('stages a whole copy beside the target with its mode and owner; the target is untouched', async () => {
    const p = target();
    const l = localLink('lb1');
    const next = Buffer.concat([Buffer.from('new '), Buffer.from([0, 1, 2, 0xff]), Buffer.from('\n')]);
    const s = await stageRemoteFile(l, p, next, { mode: '640', uid: 0, gid: 4 });
    expect(s.tmp).toMatch(new RegExp(`^${dir.replace(/[$]/g, '\\$')}/\\.haproxy\\.cfg\\.clusterdeck-[0-9a-f]{16}\\.tmp$`));
    expect(readFileSync(s.tmp).equals(next)).toBe(true);
    expect(s.sha256).toBe(sha256Of(next));
    expect((statSync(s.tmp).mode & 0o7777).toString(8)).toBe('640');
    if (isRoot) expect(statSync(s.tmp).gid).toBe(4);
    expect(readFileSync(p, 'utf8')).toBe('old\n');
  });

  it('validates with {file} quoted; the exit status decides; a lost link is an error, not a refusal', async () => {
    const p = target();
    const l = localLink('lb1');
    const s = await stageRemoteFile(l, p, 'bad line\n', null);
    const no = await validateRemote(l, 'grep -q "^global" {file} || { echo "[ALERT] line 1: no global in" {file} >&2; exit 1; }', s.tmp);
    expect(no.ok).toBe(false);
    expect(no.output).toBe(`[ALERT] line 1: no global in ${s.tmp}`);
    expect(await validateRemote(l, 'cat {file}', s.tmp)).toEqual({ ok: true, output: 'bad line' });
    await expect(validateRemote(l, 'true', s.tmp)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    l.cut = true;
    await expect(validateRemote(l, 'cat {file}', s.tmp)).rejects.toMatchObject({ code: 'SSH_DISCONNECTED' });
  });

  it('backs up (mode/owner kept) and renames over the target; restore puts it back; no temp stays', async () => {
    const p = target('old\n', 0o604);
    const l = localLink('lb1');
    const s = await stageRemoteFile(l, p, 'new\n', { mode: '604', uid: 0, gid: 4 });
    const backup = await replaceRemoteFile(l, s.tmp, p, { keepBackups: 3, expectSha256: sha256Of('old\n') });
    expect(backup).toMatch(/haproxy\.cfg\.clusterdeck-\d{8}T\d{6}\.\d{3}Z\.bak$/);
    expect(readFileSync(p, 'utf8')).toBe('new\n');
    expect(readFileSync(backup, 'utf8')).toBe('old\n');
    expect((statSync(backup).mode & 0o7777).toString(8)).toBe('604');
    expect(existsSync(s.tmp)).toBe(false);
    expect(await restoreRemoteFile(l, backup, p)).toBe(sha256Of('old\n'));
    expect(readFileSync(p, 'utf8')).toBe('old\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to replace a file someone changed since it was read', async () => {
    const p = target();
    const l = localLink('lb1');
    const s = await stageRemoteFile(l, p, 'new\n', null);
    await expect(backupRemoteFile(l, p, { expectSha256: sha256Of('something else') })).rejects.toMatchObject({ message: expect.stringContaining('was changed by someone else') });
    await expect(renameRemoteFile(l, s.tmp, p, { expectSha256: sha256Of('something else') })).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(readFileSync(p, 'utf8')).toBe('old\n');
    await expect(renameRemoteFile(l, join(dir, 'not-a-temp'), p)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('removes only its own temp files', async () => {
    const p = target();
    const l = localLink('lb1');
    await expect(removeRemote(l, p)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('not a ClusterDeck temp file') });
    expect(existsSync(p)).toBe(true);
    const s = await stageRemoteFile(l, p, 'x', null);
    await removeRemote(l, s.tmp);
    expect(existsSync(s.tmp)).toBe(false);
  });
});

describe('backups and leftovers', () => {
  it('lists backups newest first and prunes beyond keep', async () => {
    const p = target();
    const stamps = ['20260101T000000.000Z', '20260103T000000.000Z', '20260102T000000.000Z', '20251231T235959.999Z'];
    for (const s of stamps) writeFileSync(`${p}.clusterdeck-${s}.bak`, s);
    writeFileSync(`${p}.clusterdeck-20200101T000000.000Z.bak.partial`, 'cut');
    const l = localLink('lb1');
    expect((await listBackups(l, p)).map((b) => b.stamp)).toEqual(['20260103T000000.000Z', '20260102T000000.000Z', '20260101T000000.000Z', '20251231T235959.999Z']);
    const gone = await pruneBackups(l, p, 2);
    expect(gone.map((g) => g.slice(dir.length + 1))).toEqual(['haproxy.cfg.clusterdeck-20260101T000000.000Z.bak', 'haproxy.cfg.clusterdeck-20251231T235959.999Z.bak']);
    expect((await listBackups(l, p)).length).toBe(2);
  });

  it('sweeps temps and partial backups older than 10 minutes, keeps fresh ones', async () => {
    const p = target();
    const old = join(dir, '.haproxy.cfg.clusterdeck-aaaaaaaa.tmp');
    const fresh = join(dir, '.haproxy.cfg.clusterdeck-bbbbbbbb.tmp');
    const partial = `${p}.clusterdeck-20200101T000000.000Z.bak.partial`;
    for (const f of [old, fresh, partial]) writeFileSync(f, 'x');
    const t = Date.now() / 1000 - 3600;
    utimesSync(old, t, t);
    utimesSync(partial, t, t);
    const removed = await sweepStale(localLink('lb1'), p);
    expect(removed.sort()).toEqual([old, partial].sort());
    expect(existsSync(fresh)).toBe(true);
  });

  it('writes a small file atomically, creating it or keeping its mode', async () => {
    const l = localLink('lb1');
    const f = join(dir, 'server-state');
    await writeRemoteFileAtomic(l, f, '1\n# header\n', { mode: '644' });
    expect(readFileSync(f, 'utf8')).toBe('1\n# header\n');
    expect((statSync(f).mode & 0o777).toString(8)).toBe('644');
    chmodSync(f, 0o600);
    await writeRemoteFileAtomic(l, f, '2\n');
    expect((statSync(f).mode & 0o777).toString(8)).toBe('600');
    expect(readdirSync(dir)).toEqual(['server-state']);
  });
});

// A full disk, simulated: cat and cp stubs first on PATH write a few bytes, then fail as ENOSPC makes them.
describe('a failure while writing leaves no temp or partial file, and the error says so', () => {
  const stubs = join(root, 'stubs');
  mkdirSync(stubs);
  writeFileSync(join(stubs, 'cat'), '#!/bin/sh\nhead -c 5\necho "cat: write error: No space left on device" >&2\nexit 1\n', { mode: 0o755 });
  writeFileSync(join(stubs, 'cp'), '#!/bin/sh\nsrc=; dst=; for a in "$@"; do src=$dst; dst=$a; done\nhead -c 5 -- "$src" > "$dst"\necho "cp: error writing \'$dst\': No space left on device" >&2\nexit 1\n', { mode: 0o755 });
  const diskFull = async <T>(fn: () => Promise<T>): Promise<T> => {
    const path = process.env['PATH'];
    process.env['PATH'] = `${stubs}:${path}`;
    try {
      return await fn();
    } finally {
      process.env['PATH'] = path;
    }
  };
  const tmpRe = (p: string): string => `${p.slice(0, p.lastIndexOf('/'))}/\\.${p.slice(p.lastIndexOf('/') + 1)}\\.clusterdeck-[0-9a-f]{16}\\.tmp`.replace(/[$]/g, '\\$');

  it('stage on a full disk: names host, file and cause, and says the temp was removed', async () => {
    const p = target();
    const err = await diskFull(() => stageRemoteFile(localLink('lb1'), p, 'new\n', null)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'IO_ERROR', details: { host: 'lb1', path: p, partialState: 'removed' } });
    expect((err as Error).message).toMatch(
      new RegExp(`^lb1: could not stage the new ${p.replace(/[$]/g, '\\$')}: cat: write error: No space left on device; the partial temp file ${tmpRe(p)} was removed$`),
    );
    expect(readdirSync(dir)).toEqual(['haproxy.cfg']);
  });

  it('stage with an owner the host does not know: chown fails after the write, the temp goes', async () => {
    const p = target();
    await expect(stageRemoteFile(localLink('lb1'), p, 'new\n', { mode: '640', uid: 'cd-no-such-user', gid: 0 })).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringMatching(/could not stage the new .*: chown: invalid user: .*cd-no-such-user.*; the partial temp file .* was removed$/),
    });
    expect(readdirSync(dir)).toEqual(['haproxy.cfg']);
  });

  it('backup, restore and a small atomic write on a full disk: nothing left, target untouched', async () => {
    const p = target('old\n');
    const l = localLink('lb1');
    await expect(diskFull(() => backupRemoteFile(l, p, { expectSha256: sha256Of('old\n') }))).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringMatching(/^lb1: could not back up .* to .*\.bak: cp: error writing '.*\.bak\.partial': No space left on device; the partial backup .*\.bak\.partial was removed$/),
    });
    expect(readdirSync(dir)).toEqual(['haproxy.cfg']);
    const backup = await backupRemoteFile(l, p);
    writeFileSync(p, 'changed\n');
    await expect(diskFull(() => restoreRemoteFile(l, backup, p))).rejects.toMatchObject({ message: expect.stringMatching(/could not restore .*; the partial temp file .* was removed$/) });
    await expect(diskFull(() => writeRemoteFileAtomic(l, p, 'other\n'))).rejects.toMatchObject({ message: expect.stringMatching(/^lb1: could not write .*: cat: write error: No space left on device; the partial temp file .* was removed$/) });
    expect(readFileSync(p, 'utf8')).toBe('changed\n');
    expect(readdirSync(dir).sort()).toEqual(['haproxy.cfg', backup.slice(dir.length + 1)].sort());
  });

  it('when the script could not say (the connection went first): the temp may remain, where, and what removes it', async () => {
    const p = target();
    const l = localLink('lb1');
    l.cut = true;
    await expect(stageRemoteFile(l, p, 'new\n', null)).rejects.toMatchObject({
      code: 'SSH_DISCONNECTED',
      details: { partialState: 'unknown' },
      message: expect.stringMatching(
        new RegExp(`: the connection was lost before it finished; the partial temp file ${tmpRe(p)} may remain on lb1: the next change of ${p.replace(/[$]/g, '\\$')} removes leftovers older than 10 min$`),
      ),
    });
  });

  it('the engine records that sentence as the stage step detail and in the result; the CLI prints it', async () => {
    const p = target('old\n');
    const r = await diskFull(() =>
      applyConfigChange({ id: 'c1', cluster: 'demo', kind: 'managed-file', targets: [{ target: 'lb1', link: localLink('lb1'), path: p, render: () => 'new\n', create: true }] }),
    );
    expect(r.outcome).toBe('failed');
    const stage = r.targets[0]!.steps.find((s) => s.step === 'stage')!;
    expect(stage.ok).toBe(false);
    expect(stage.detail).toMatch(/^lb1: could not stage the new .*: cat: write error: No space left on device; the partial temp file .* was removed$/);
    expect(r.message).toMatch(/^preparing the new file failed on lb1: could not stage the new .*: No space left on device; the partial temp file .* was removed; nothing was changed on any host$/);
    expect(formatRollback(r)).toContain(`FAIL stage    ${stage.detail}`);
    expect(readFileSync(p, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['haproxy.cfg']);
  });
});
