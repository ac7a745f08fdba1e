import { appendFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { labAvailable, startLab } from './index';
import { sshdConfigPath } from './layout';
import { freeSlot, traces } from './testing';

// A real failure mid-start: lb2's sshd gets a config it refuses, after the network and every other
// service are already up. startLab must say which host/service failed, show its log, and undo it all.
vi.mock('./sshd', async (importOriginal) => {
  const orig = await importOriginal<typeof import('./sshd')>();
  return {
    ...orig,
    writeSshdConfig: (core: Parameters<typeof orig.writeSshdConfig>[0], host: Parameters<typeof orig.writeSshdConfig>[1]) => {
      orig.writeSshdConfig(core, host);
      if (host === 'lb2') appendFileSync(sshdConfigPath(core.dir, host), 'NoSuchLabOption yes\n');
    },
  };
});

const avail = labAvailable();

describe.skipIf(!avail.ok)(`lab: a failed start (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  it('names the failing host and service, includes its log tail, and leaves nothing behind', async () => {
    const slot = await freeSlot();
    const t0 = Date.now();
    const err = await startLab({ slot }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    const msg = err?.message ?? '';
    expect(msg).toMatch(/sshd on lb2 exited/);
    expect(msg).toMatch(/NoSuchLabOption/);
    expect(msg).not.toMatch(/node1|haproxy on/);
    // It gave up as soon as sshd died, not after the 20 s readiness deadline.
    expect(Date.now() - t0).toBeLessThan(10_000);
    const dir = /sshd log \((\/[^)]+)\/logs\//.exec(msg)?.[1] ?? '';
    expect(dir).toMatch(new RegExp(`clusterdeck-lab-${slot}-`));
    expect(await traces(slot, dir, [])).toEqual([]);
  });
});
