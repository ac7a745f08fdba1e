import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanupAllLabs, labAvailable, startLab, type Lab } from './index';
import { isAlive, run } from './exec';
import { ensureForwardRule, listNetns } from './netns';
import { LOCK_DIR, bridgeName, lockPath, slotOfName } from './plan';
import { freeSlot, ssh, traces } from './testing';

const avail = labAvailable();
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TSX = `${REPO}node_modules/.bin/tsx`;
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

interface Crashed {
  slot: number;
  dir: string;
  pids: number[];
}

/** Starts a lab in a child process and SIGKILLs that child: a real crashed owner, services left running. */
async function crashALab(slot?: number): Promise<Crashed> {
  // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild, and SIGKILL must hit the lab's owner.
  const child = spawn(process.execPath, ['--import', 'tsx', fixture('crash-child.ts'), ...(slot === undefined ? [] : [String(slot)])], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  try {
    for (let i = 0; i < 300 && !out.includes('\n'); i++) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!out.includes('\n')) throw new Error(`crash child did not start a lab: ${err}`);
    return JSON.parse(out.split('\n')[0] ?? '') as Crashed;
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

describe.skipIf(!avail.ok)(`lab: slots, locks and crash cleanup (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  it('runs two labs side by side on different slots, isolated from each other', async () => {
    const [a, b] = await Promise.all([startLab(), startLab()]);
    const labs: Lab[] = [a, b];
    try {
      expect(a.slot).not.toBe(b.slot);
      expect(existsSync(lockPath(a.slot)) && existsSync(lockPath(b.slot))).toBe(true);
      for (const lab of labs) {
        const r = await ssh(lab, 'node1', 'cat /srv/app/app.conf');
        expect(r.stdout).toContain(`slot = ${lab.slot}`);
        expect((await lab.serverStatus('lb2', 'node1')).status).toBe('UP');
      }
      // No default route in the namespaces: lab a cannot reach lab b.
      const cross = await ssh(a, 'node1', `timeout 3 bash -c 'echo > /dev/tcp/${b.hosts.node1.ip}/22' 2>&1; echo rc=$?`);
      expect(cross.stdout).toMatch(/Network is unreachable|rc=1/);
      await expect(startLab({ slot: a.slot })).rejects.toThrow(new RegExp(`slot ${a.slot} is not free: in use by pid ${process.pid}`));
    } finally {
      await Promise.all(labs.map((l) => l.stop()));
    }
    for (const lab of labs) expect(await traces(lab.slot, lab.dir, [])).toEqual([]);
  });

  it('reclaims the slot of a crashed owner: stale lock, running services and all', async () => {
    const crashed = await crashALab();
    expect(crashed.pids.some(isAlive)).toBe(true);
    expect((await listNetns()).filter((n) => slotOfName(n) === crashed.slot)).toHaveLength(5);
    const lab = await startLab({ slot: crashed.slot });
    try {
      expect(crashed.pids.filter(isAlive)).toEqual([]);
      expect(existsSync(crashed.dir)).toBe(false);
      expect((await ssh(lab, 'node2', 'true')).code).toBe(0);
    } finally {
      await lab.stop();
    }
    expect(await traces(crashed.slot, crashed.dir, crashed.pids)).toEqual([]);
  });

  it('cleanupAllLabs removes a crashed lab but leaves a live one alone', async () => {
    const live = await startLab();
    try {
      const crashed = await crashALab();
      const removed = await cleanupAllLabs();
      expect(removed).toContain(`netns cdl${crashed.slot}-node1`);
      expect(removed).toContain(`link ${bridgeName(crashed.slot)}`);
      expect(removed).toContain(`dir ${crashed.dir}`);
      expect(await traces(crashed.slot, crashed.dir, crashed.pids)).toEqual([]);
      expect((await live.serverStatus('lb1', 'node1')).status).toBe('UP');
      expect(removed.some((r) => r.includes(`cdl${live.slot}`))).toBe(false);
    } finally {
      await live.stop();
    }
  });

  it('a stale lock file alone (dead pid, no leftovers) does not block its slot', async () => {
    const dead = await run(['sh', '-c', 'echo $$']);
    const pid = Number(dead.stdout.trim());
    await cleanupAllLabs();
    const slot = await freeSlot();
    writeFileSync(lockPath(slot), JSON.stringify({ pid, startTime: 1, dir: '/nonexistent-lab-dir', createdAt: 0 }));
    const lab = await startLab({ slot });
    try {
      expect(lab.slot).toBe(slot);
    } finally {
      await lab.stop();
    }
    expect(existsSync(lockPath(slot))).toBe(false);
    expect(existsSync(LOCK_DIR)).toBe(true);
  });

  it('removes its FORWARD rule on stop, and cleanup finds rules of crashed labs', async () => {
    const hasRule = async (slot: number): Promise<boolean> =>
      (await run(['iptables', '-S', 'FORWARD'])).stdout.includes(`--comment clusterdeck-lab-${slot} `);
    const lab = await startLab();
    // This machine's FORWARD policy is ACCEPT, so force the DROP-policy code path.
    expect(await ensureForwardRule(lab.slot, true)).toBe(true);
    expect(await hasRule(lab.slot)).toBe(true);
    await lab.stop();
    expect(await hasRule(lab.slot)).toBe(false);
    const orphanSlot = await freeSlot();
    await ensureForwardRule(orphanSlot, true);
    expect(await cleanupAllLabs()).toContain(`iptables FORWARD rule for slot ${orphanSlot}`);
    expect(await hasRule(orphanSlot)).toBe(false);
  });

  it('refuses plainly when not root', async () => {
    const r = await run(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'env', 'HOME=/tmp', TSX, fixture('not-root.ts')], {
      allowFail: true,
      timeoutMs: 30_000,
    });
    const res = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { started: boolean; avail: { ok: boolean }; message: string };
    expect(res.started).toBe(false);
    expect(res.avail.ok).toBe(false);
    expect(res.message).toMatch(/needs root/);
    expect(res.message).toMatch(/network namespaces/);
    expect(res.message).toMatch(/sudo/);
  });

  it('rejects a bad slot and a non-empty dir without leaving anything', async () => {
    await expect(startLab({ slot: 16 })).rejects.toThrow(/0\.\.15/);
    const before = await listNetns();
    const slot = await freeSlot();
    await expect(startLab({ slot, dir: `${REPO}e2e` })).rejects.toThrow(/not empty/);
    expect(await listNetns()).toEqual(before);
    expect(existsSync(lockPath(slot))).toBe(false);
    expect(existsSync(`${REPO}e2e/lab`)).toBe(true);
  });
});
