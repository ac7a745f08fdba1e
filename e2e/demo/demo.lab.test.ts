import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { protocolsFor } from '../../electron/host/auth';
import { labAvailable } from '../lab';
import { run } from '../lab/exec';

const avail = labAvailable();

async function leftovers(before: Set<string>): Promise<string[]> {
  const netns = (await run(['ip', 'netns', 'list'], { allowFail: true })).stdout
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n && !before.has(`netns ${n}`))
    .map((n) => `netns ${n}`);
  const dirs = readdirSync(tmpdir())
    .filter((d) => d.startsWith('clusterdeck-demo-') && !before.has(`dir ${d}`))
    .map((d) => `dir ${d}`);
  return [...netns, ...dirs];
}

// The README's launch command, as a user runs it: it comes up, shows the demo cluster, and Ctrl-C
// (SIGINT to the whole foreground process group, as a terminal sends it) leaves nothing behind.
describe.skipIf(!avail.ok)(`npm run demo (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  it('comes up on the demo cluster and Ctrl-C leaves nothing running', async () => {
    const before = new Set(await leftovers(new Set()));
    const child = spawn('npm', ['run', 'demo'], { cwd: process.cwd(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    // The pipes close when every process holding them (npm, the launcher, the demo) has exited: the
    // event that the demo's last line, if any, has been written.
    const pipesClosed = Promise.all([once(child.stdout, 'close'), once(child.stderr, 'close')]).then(() => 'closed' as const);
    const exited = new Promise<string>((resolve) => child.on('exit', (code, sig) => resolve(sig ?? `exit ${code}`)));
    const deadline = Date.now() + 60_000;
    while (!out.includes('Ctrl-C here stops') && Date.now() < deadline) {
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(out).toContain('Cluster demo: 2/3 active, 1 standby');
    expect(out).toMatch(/node1\s+active\s+active\s+UP 0 sess/);
    expect(out).toContain('5/5 SSH links up');
    expect(out).toMatch(/VIP 10\.88\.\d+\.100: on lb1/);
    expect(out).toContain('Quorum: 3/3 healthy, majority 2, tolerates 1 failure');
    expect(out).toContain('app.conf managed on node1-node3');
    const dataDir = /CLUSTERDECK_DATA_DIR=(\S+)/.exec(out)?.[1];
    expect(dataDir).toBeTruthy();

    // No Electron binary here: the printed URL serves the UI, and its token opens the contract,
    // where the demo cluster is already imported.
    const url = /Open ClusterDeck: (http:\/\/127\.0\.0\.1:\d+\/#token=([A-Za-z0-9_-]+))/.exec(out);
    expect(url, out).toBeTruthy();
    const origin = new URL(url![1]!).origin;
    const page = await fetch(`${origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>ClusterDeck</title>');
    const clusters = await new Promise<unknown>((resolve, reject) => {
      const ws = new WebSocket(`${origin.replace('http', 'ws')}/rpc`, protocolsFor(url![2]!), { origin });
      ws.on('open', () => ws.send(JSON.stringify({ t: 'req', id: 1, method: 'clusters.list', params: {} })));
      ws.on('message', (d) => {
        resolve(JSON.parse(d.toString()));
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(clusters).toMatchObject({ ok: true, value: [{ name: 'demo', nodes: 3, lbs: 2 }] });

    process.kill(-child.pid!, 'SIGINT');
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    // npm itself ends by the signal (as in a terminal); the demo below it must have cleaned up first
    expect(['SIGINT', 'exit 0', 'exit 130']).toContain(code);
    // npm ends first; the demo below it goes on cleaning up (seconds under load): wait for its pipes.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = await Promise.race([pipesClosed, new Promise<'open'>((r) => (timer = setTimeout(() => r('open'), 30_000)))]);
    clearTimeout(timer);
    expect(closed, out).toBe('closed');
    expect(out).toContain('nothing is left running');
    expect(await leftovers(before)).toEqual([]);
    const procs = (await run(['ps', '-eo', 'args'], { allowFail: true })).stdout.split('\n').filter((l) => l.includes(dataDir!) || /e2e\/demo\/demo\.ts/.test(l));
    expect(procs).toEqual([]);
    const stillServing = await fetch(`${origin}/`).then(() => true, () => false);
    expect(stillServing).toBe(false);
  });
});
