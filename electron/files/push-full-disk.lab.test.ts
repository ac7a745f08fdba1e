import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from '../../e2e/lab';
import { ssh } from '../../e2e/lab/testing';
import type { PushResult } from '../../shared/domain/managed-files';
import { formatPushResult } from '../cli/format-push';
import { APP_CONF, openCore, type PushLab } from './push-lab-test-support';

const avail = labAvailable();

// A small tmpfs over /srv/full on node1, mounted through SSH: a session runs in the node's own mount
// namespace, so later sessions (ClusterDeck's) see it, and it goes with the lab. The test process
// does not see it, so every reading is taken on the node.
const DIR = '/srv/full';
const TARGET = `${DIR}/app.conf`;
const TMPFS = `mount -t tmpfs -o size=128k,mode=0755 tmpfs ${DIR}`;
const FILE_ID = 'full.conf';

/** Valid app.conf lines (check-conf accepts them), `kib` KiB of them. */
const conf = (tag: string, kib: number): string => {
  const lines = [`# ${tag}`];
  for (let i = 0; lines.join('\n').length < kib * 1024; i++) lines.push(`${tag}${i} = ${'v'.repeat(40)}`);
  return `${lines.join('\n')}\n`;
};

describe.skipIf(!avail.ok)(`push onto a full or read-only disk leaves nothing behind (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let pl: PushLab;

  const on = async (cmd: string): Promise<string> => {
    const r = await ssh(lab, 'node1', cmd);
    if (r.code !== 0) throw new Error(`node1: ${cmd} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  const free = async (): Promise<number> => {
    const [avail, bsize] = (await on(`stat -f -c '%a %S' ${DIR}`)).trim().split(' ').map(Number);
    return avail! * bsize!;
  };
  const listing = async (): Promise<string[]> => (await on(`ls -a ${DIR}`)).split('\n').filter((l) => l !== '').sort();
  const targetSha = async (): Promise<string> => (await on(`sha256sum ${TARGET}`)).split(' ')[0]!;
  /** Writes `content` as the target, then fills the disk until only `leaveKib` KiB stay free. */
  const seed = async (content: string, leaveKib: number): Promise<void> => {
    await on(`cat > ${TARGET} <<'EOF'\n${content}EOF`);
    const fill = (await free()) - leaveKib * 1024;
    if (fill > 0) await on(`head -c ${fill} /dev/zero > ${DIR}/filler`);
  };
  const push = async (content: string): Promise<PushResult> => {
    await pl.api.call('files.put', {
      cluster: 'demo',
      settings: { ...APP_CONF, id: FILE_ID, path: TARGET, hosts: ['node1'], reload: { kind: 'none' }, servicePort: null, process: null },
      content,
      source: 'test',
    });
    return pl.api.call('push.run', { cluster: 'demo', request: { hosts: ['node1'], files: [FILE_ID], mode: 'all-at-once', drainWaitSec: 0, portWaitSec: 5 } });
  };

  beforeAll(async () => {
    lab = await startLab();
    pl = await openCore(lab);
  });
  afterAll(async () => {
    await pl?.close();
    if (lab) await ssh(lab, 'node1', `umount ${DIR} 2>/dev/null; rmdir ${DIR}`);
    await lab?.stop();
  });
  beforeEach(async () => {
    await on(`if mountpoint -q ${DIR}; then umount ${DIR}; fi; mkdir -p ${DIR} && ${TMPFS}`);
  });
  afterEach(async () => {
    await pl.api.call('files.remove', { cluster: 'demo', file: FILE_ID }).catch(() => undefined);
  });

  it('a full disk: the push fails at the stage step, the target is untouched, no temp stays, the space is back, and it says so', async () => {
    await seed('a = 1\n', 16);
    const before = { sha: await targetSha(), files: await listing(), free: await free() };
    expect(before.files).toEqual(['.', '..', 'app.conf', 'filler']);
    expect(before.free).toBeLessThanOrEqual(16 * 1024);

    const r = await push(conf('big', 40));

    expect(r.outcome).toBe('failed');
    const steps = r.hosts[0]!.files[0]!.steps;
    expect(steps.map((s) => [s.step, s.ok])).toEqual([['read', true], ['stage', false]]);
    const sentence = /No space left on device; the partial temp file \/srv\/full\/\.app\.conf\.clusterdeck-[0-9a-f]{16}\.tmp was removed/;
    expect(steps[1]!.detail).toMatch(new RegExp(`^node1: could not stage the new /srv/full/app\\.conf: .*${sentence.source}$`));
    expect(r.hosts[0]!.error?.message).toMatch(sentence);
    expect(r.message).toMatch(sentence);
    const cli = formatPushResult(r);
    expect(cli).toMatch(new RegExp(`FAIL full\\.conf +stage +node1: could not stage .*${sentence.source}`));
    console.info(`full disk, as the CLI prints it:\n${cli}`);

    expect(await targetSha()).toBe(before.sha);
    expect(await listing()).toEqual(before.files);
    expect(await free()).toBe(before.free);
  });

  it('a read-only file system: the temp cannot even be created, nothing is written, and it says so', async () => {
    await seed('a = 1\n', 64);
    await on(`mount -o remount,ro ${DIR}`);
    const before = { sha: await targetSha(), files: await listing(), free: await free() };

    const r = await push(conf('ro', 8));

    expect(r.outcome).toBe('failed');
    const stage = r.hosts[0]!.files[0]!.steps.find((s) => s.step === 'stage')!;
    expect(stage.ok).toBe(false);
    expect(stage.detail).toMatch(/^node1: could not stage the new \/srv\/full\/app\.conf: .*Read-only file system; no temp file was created, so none is left behind$/);
    expect(r.message).toContain('Read-only file system; no temp file was created, so none is left behind');
    expect(await targetSha()).toBe(before.sha);
    expect(await listing()).toEqual(before.files);
    expect(await free()).toBe(before.free);
  });

  it('room for the new file but not for the backup: the .bak.partial is removed, then the staged temp, the target untouched', async () => {
    const old = conf('old', 40);
    await seed(old, 60);
    const before = { sha: await targetSha(), files: await listing(), free: await free() };
    expect(before.free).toBeGreaterThanOrEqual(44 * 1024);
    expect(before.free).toBeLessThan(2 * 40 * 1024);

    const r = await push(conf('new', 40));

    expect(r.outcome).toBe('failed');
    const steps = r.hosts[0]!.files[0]!.steps;
    expect(steps.map((s) => [s.step, s.ok])).toEqual([['read', true], ['stage', true], ['validate', true], ['backup', false], ['cleanup', true]]);
    const sentence = /No space left on device; the partial backup \/srv\/full\/app\.conf\.clusterdeck-\d{8}T\d{6}\.\d{3}Z\.bak\.partial was removed/;
    expect(steps[3]!.detail).toMatch(new RegExp(`^node1: could not back up /srv/full/app\\.conf to .*\\.bak: .*${sentence.source}$`));
    expect(steps[4]!.detail).toMatch(/^removed \/srv\/full\/\.app\.conf\.clusterdeck-[0-9a-f]{16}\.tmp$/);
    expect(r.message).toMatch(sentence);
    expect(await targetSha()).toBe(before.sha);
    expect(await listing()).toEqual(before.files);
    expect(await free()).toBe(before.free);
  });

  // Immutable directories (chattr +i) cannot be tried here: tmpfs has no such attribute, and the
  // lab's /srv is a bind mount of whatever filesystem holds the lab directory.
});
