import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { PARTIAL_MARKS, partialOutcome } from './partial-file';
import {
  backupPathFor,
  backupScript,
  restoreScript,
  writeAtomicScript,
  backupStampOf,
  backupsToPrune,
  boundOutput,
  isTempPath,
  metaProblem,
  parseStatLine,
  stageScript,
  statusOf,
  tempPathFor,
  validateScript,
} from './remote-scripts';
import { splitPath } from './shell';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('names of temps and backups', () => {
  const at = new Date('2026-03-04T05:06:07.089Z');

  it('puts temps beside the target, hidden, and recognises only those', () => {
    const t = tempPathFor('/etc/haproxy/haproxy.cfg', 'abc123def');
    expect(t).toBe('/etc/haproxy/.haproxy.cfg.clusterdeck-abc123def.tmp');
    expect(isTempPath(t)).toBe(true);
    expect(tempPathFor('/x.cfg', 'abcdef12')).toBe('/.x.cfg.clusterdeck-abcdef12.tmp');
    for (const p of ['/etc/haproxy/haproxy.cfg', '/etc/haproxy/haproxy.cfg.clusterdeck-20260304T050607.089Z.bak', '/etc/.x.tmp']) expect(isTempPath(p)).toBe(false);
    expect(() => tempPathFor('/x', '../../x')).toThrow();
  });

  it('names backups by UTC timestamp and finds their stamp', () => {
    const b = backupPathFor('/etc/haproxy/haproxy.cfg', at);
    expect(b).toBe('/etc/haproxy/haproxy.cfg.clusterdeck-20260304T050607.089Z.bak');
    expect(backupStampOf('haproxy.cfg', 'haproxy.cfg.clusterdeck-20260304T050607.089Z.bak')).toBe('20260304T050607.089Z');
    expect(backupStampOf('haproxy.cfg', 'haproxy.cfg.clusterdeck-20260304T050607.089Z.bak.partial')).toBeNull();
    expect(backupStampOf('haproxy.cfg', 'other.cfg.clusterdeck-20260304T050607.089Z.bak')).toBeNull();
    // a dot in the name is literal, not "any character"
    expect(backupStampOf('haproxy.cfg', 'haproxyXcfg.clusterdeck-20260304T050607.089Z.bak')).toBeNull();
  });

  it('prunes the oldest backups beyond keep, never the newest', () => {
    const names = ['20260101T000000.000Z', '20260301T000000.000Z', '20260201T000000.000Z', '20251201T000000.000Z'].map((s) => `a.cfg.clusterdeck-${s}.bak`);
    expect(backupsToPrune('a.cfg', [...names, 'a.cfg', 'b.cfg.clusterdeck-20200101T000000.000Z.bak'], 2)).toEqual([
      'a.cfg.clusterdeck-20260101T000000.000Z.bak',
      'a.cfg.clusterdeck-20251201T000000.000Z.bak',
    ]);
    expect(backupsToPrune('a.cfg', names, 0)).toHaveLength(3);
    expect(backupsToPrune('a.cfg', names, 10)).toEqual([]);
  });
});

describe('script text', () => {
  it('quotes every path and substitutes {file} quoted', () => {
    const s = validateScript("haproxy -c -f {file} && echo ok '{file}'", "/etc/x/.a'b.cfg.clusterdeck-abcdef12.tmp");
    expect(s).toBe(`exec 2>&1\nhaproxy -c -f '/etc/x/.a'\\''b.cfg.clusterdeck-abcdef12.tmp' && echo ok ''/etc/x/.a'\\''b.cfg.clusterdeck-abcdef12.tmp''`);
    expect(stageScript('/e/.x.clusterdeck-abcdef12.tmp', { mode: '640', uid: 0, gid: 113 })).toContain('chown 0:113 -- "$t"\nchmod 640 -- "$t"');
  });

  it('checks mode/owner before they reach chmod/chown', () => {
    expect(metaProblem({ mode: '0644', uid: 0, gid: 0 })).toBeNull();
    expect(metaProblem({ mode: '644; rm -rf /', uid: 0, gid: 0 })).toContain('not octal');
    expect(metaProblem({ mode: '644', uid: -1, gid: 0 })).not.toBeNull();
  });
});

describe('reply parsing', () => {
  it('reads the status line and stat line', () => {
    expect(statusOf('changed abc\nmore')).toEqual({ status: 'changed', arg: 'abc', lines: ['changed abc', 'more'] });
    expect(parseStatLine('640 0 113 root haproxy 2048')).toEqual({ mode: '640', uid: 0, gid: 113, owner: 'root', group: 'haproxy', size: 2048 });
    expect(parseStatLine('garbage')).toBeNull();
  });

  it('bounds long output, keeping head and tail', () => {
    const long = `${'a'.repeat(5000)}[ALERT] at the end`;
    const b = boundOutput(long, 1000);
    expect(b.length).toBeLessThan(1100);
    expect(b).toContain('[ALERT] at the end');
    expect(b.startsWith('aaa')).toBe(true);
    expect(boundOutput('  short \n')).toBe('short');
  });
});

// The scripts run for real in dash (the unit tests' sh) and bash (root's login shell on Debian,
// which is what sshd runs them with). A full disk is simulated by stubs of cat/cp placed first on
// PATH: they write a few bytes into the file, note that it exists, then fail as ENOSPC makes them.
describe('temp and partial files are removed on every failure, in the same command', () => {
  const root = mkdtempSync(join(tmpdir(), 'cd-rs-'));
  const stubs = join(root, 'stubs');
  const stubLog = join(root, 'stub.log');
  mkdirSync(stubs);
  writeFileSync(join(stubs, 'cat'), '#!/bin/sh\nhead -c 5\nls "/proc/self/fd/1" >/dev/null && echo "partial existed" >> "$STUB_LOG"\necho "cat: write error: No space left on device" >&2\nexit 1\n', { mode: 0o755 });
  writeFileSync(
    join(stubs, 'cp'),
    '#!/bin/sh\nsrc=; dst=; for a in "$@"; do src=$dst; dst=$a; done\nhead -c 5 -- "$src" > "$dst"\n[ -s "$dst" ] && echo "partial existed" >> "$STUB_LOG"\necho "cp: error writing \'$dst\': No space left on device" >&2\nexit 1\n',
    { mode: 0o755 },
  );
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  let dir: string;
  let n = 0;
  beforeEach(() => {
    dir = join(root, `it's $d ${n++}`);
    mkdirSync(dir);
    rmSync(stubLog, { force: true });
  });

  const run = (shell: string, script: string, o: { stdin?: string; full?: boolean } = {}) => {
    const r = spawnSync(shell, ['-c', script], {
      input: o.stdin ?? '',
      env: { ...process.env, STUB_LOG: stubLog, PATH: o.full ? `${stubs}:${process.env['PATH']}` : process.env['PATH'] },
      encoding: 'utf8',
      timeout: 10_000,
    });
    return { code: r.status, stderr: r.stderr };
  };
  const stubSawPartial = (): boolean => existsSync(stubLog) && readFileSync(stubLog, 'utf8').includes('partial existed');
  const tmpOf = (p: string): string => tempPathFor(p, 'abcdef123456');

  for (const shell of ['sh', 'bash']) {
    describe(shell, () => {
      it('stage: a full disk (cat fails mid-write) leaves no temp, and says it removed it', () => {
        const t = tmpOf(join(dir, 'app.conf'));
        const r = run(shell, stageScript(t, null, sha('new content\n')), { stdin: 'new content\n', full: true });
        expect(r.code).not.toBe(0);
        expect(stubSawPartial(), 'the stub wrote into the temp file').toBe(true);
        expect(readdirSync(dir)).toEqual([]);
        expect(r.stderr).toContain('cat: write error: No space left on device');
        expect(r.stderr).toContain(`${PARTIAL_MARKS.removed}${t}\n`);
        expect(partialOutcome(r.stderr, t)).toEqual({ fate: 'removed', cause: 'cat: write error: No space left on device' });
      });

      it('stage: a failing chown (unknown owner) after the write leaves no temp', () => {
        const t = tmpOf(join(dir, 'app.conf'));
        const r = run(shell, stageScript(t, { mode: '640', uid: 'cd-no-such-user', gid: 0 }, sha('x\n')), { stdin: 'x\n' });
        expect(r.code).not.toBe(0);
        expect(readdirSync(dir)).toEqual([]);
        expect(partialOutcome(r.stderr, t)).toMatchObject({ fate: 'removed', cause: expect.stringMatching(/chown: invalid user/) });
      });

      it('stage: an upload cut short (fewer bytes than sent) is refused and removed by the script itself', () => {
        const t = tmpOf(join(dir, 'app.conf'));
        const r = run(shell, stageScript(t, null, sha('the whole file\n')), { stdin: 'the who' });
        expect(r.code).toBe(1);
        expect(readdirSync(dir)).toEqual([]);
        expect(partialOutcome(r.stderr, t)).toMatchObject({ fate: 'removed', cause: expect.stringContaining('the upload was cut short') });
      });

      it('stage: success keeps the temp (the trap is cleared) and prints nothing about partials', () => {
        const t = tmpOf(join(dir, 'app.conf'));
        const r = run(shell, stageScript(t, null, sha('ok\n')), { stdin: 'ok\n' });
        expect(r).toEqual({ code: 0, stderr: '' });
        expect(readFileSync(t, 'utf8')).toBe('ok\n');
      });

      it("stage: a name collision fails before anything is written and never removes the other file", () => {
        const t = tmpOf(join(dir, 'app.conf'));
        writeFileSync(t, 'not ours');
        const r = run(shell, stageScript(t, null, sha('new\n')), { stdin: 'new\n' });
        expect(r.code).not.toBe(0);
        expect(readFileSync(t, 'utf8')).toBe('not ours');
        expect(partialOutcome(r.stderr, t).fate).toBe('not-created');
      });

      it('backup: a full disk (cp fails) leaves no .partial and the target untouched', () => {
        const p = join(dir, 'app.conf');
        writeFileSync(p, 'old content\n');
        const b = backupPathFor(p, new Date('2026-01-02T03:04:05.678Z'));
        const r = run(shell, backupScript(p, b, sha('old content\n')), { full: true });
        expect(r.code).not.toBe(0);
        expect(stubSawPartial()).toBe(true);
        expect(readdirSync(dir)).toEqual(['app.conf']);
        expect(readFileSync(p, 'utf8')).toBe('old content\n');
        expect(partialOutcome(r.stderr, `${b}.partial`)).toMatchObject({ fate: 'removed', cause: expect.stringContaining('No space left on device') });
      });

      it('restore: a full disk leaves no temp and the target untouched', () => {
        const p = join(dir, 'app.conf');
        writeFileSync(p, 'current\n');
        const b = backupPathFor(p, new Date('2026-01-02T03:04:05.678Z'));
        writeFileSync(b, 'backed up\n');
        const r = run(shell, restoreScript(b, p, tmpOf(p)), { full: true });
        expect(r.code).not.toBe(0);
        expect(stubSawPartial()).toBe(true);
        expect(readdirSync(dir).sort()).toEqual(['app.conf', splitPath(b).name].sort());
        expect(readFileSync(p, 'utf8')).toBe('current\n');
        expect(partialOutcome(r.stderr, tmpOf(p)).fate).toBe('removed');
      });

      it('write (stage + rename in one command): a full disk leaves no temp and the target untouched', () => {
        const p = join(dir, 'state');
        writeFileSync(p, 'before\n');
        const r = run(shell, writeAtomicScript(tmpOf(p), p, sha('after\n'), null), { stdin: 'after\n', full: true });
        expect(r.code).not.toBe(0);
        expect(stubSawPartial()).toBe(true);
        expect(readdirSync(dir)).toEqual(['state']);
        expect(readFileSync(p, 'utf8')).toBe('before\n');
      });

      for (const sig of ['SIGHUP', 'SIGTERM', 'SIGPIPE', 'SIGINT'] as const) {
        it(`stage: ${sig} to the session while cat waits, then stdin closed (an SSH connection cut) removes the temp`, async () => {
          const t = tmpOf(join(dir, 'app.conf'));
          // Its own process group, like a session under sshd; stdin stays open so cat is mid-upload.
          const child = spawn(shell, ['-c', stageScript(t, null, sha('never complete\n'))], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
          child.stdin.write('half of it');
          const pid = child.pid!;
          const catRunning = (): boolean => {
            try {
              return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
                .trim()
                .split(/\s+/)
                .some((c) => c !== '' && readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'cat');
            } catch {
              return false;
            }
          };
          const deadline = Date.now() + 5_000;
          while (!catRunning() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
          expect(existsSync(t) && catRunning(), 'the temp exists and cat is writing it').toBe(true);
          process.kill(-pid, sig);
          // sshd closes the session's pipes once the connection is gone.
          child.stdin.end();
          const code = await exited;
          expect(code).not.toBe(0);
          expect(readdirSync(dir)).toEqual([]);
          expect(partialOutcome(stderr, t).fate).toBe('removed');
        });
      }
    });
  }
});
