import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The `clusterdeck` bin as npm installs it: the JS shim, running the TypeScript through tsx.
const bin = join(process.cwd(), 'scripts', 'clusterdeck.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('the clusterdeck bin', () => {
  it('prints help listing every command and the exit codes', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const cmd of ['import-inventory', 'status', 'drain', 'maint', 'ready', 'host-keys', 'audit', 'clusters']) expect(r.stdout).toContain(cmd);
    expect(r.stdout).toContain('4  refused by the safety gate');
  });

  it('names bad input and exits with the documented codes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-bin-'));
    const wait = run('--data-dir', dir, 'drain', 'demo', 'node1', '--wait', '2s5');
    expect(wait.status).toBe(7);
    expect(wait.stderr).toContain('--wait takes a positive number of seconds, got "2s5"');
    const missing = run('--data-dir', dir, 'status', 'nope');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('error [NOT_FOUND]: no cluster named "nope"');
    const usage = run('drain', 'demo');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("missing required argument 'node'");
    const inv = run('--data-dir', dir, 'import-inventory', join(dir, 'absent.yml'), '--cluster', 'x');
    expect(inv.status).toBe(7);
    expect(inv.stdout + inv.stderr).toContain('absent.yml');
  });
});
