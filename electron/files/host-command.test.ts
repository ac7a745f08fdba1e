import { describe, expect, it } from 'vitest';
import { localLink } from '../config/config-test-support';
import { createCommandLog, recordingLink } from './command-recorder';
import { runHostCommand, waitForPort } from './host-command';

// Commands run in a local POSIX sh standing in for the host (the same text as over SSH).
describe('a managed file’s own commands', () => {
  it('returns the output of a command that succeeds, stderr included in order', async () => {
    expect(await runHostCommand(localLink('node1'), 'echo one; echo two >&2', 'reload')).toBe('one\ntwo');
  });

  it('a non-zero exit is a failure naming the host, the command and its output', async () => {
    await expect(runHostCommand(localLink('node1'), "echo 'app rejected it: line 2' >&2; exit 3", 'reload')).rejects.toMatchObject({
      code: 'NOT_CONFIRMED',
      message: 'node1: the reload command exited with 3: app rejected it: line 2',
    });
    const cut = localLink('node2');
    cut.cut = true;
    await expect(runHostCommand(cut, 'true', 'check')).rejects.toMatchObject({ code: 'SSH_DISCONNECTED', message: 'node2: the connection was lost while running the check command' });
  });

  it('records what a link runs, with its outcome', async () => {
    const log = createCommandLog();
    const l = recordingLink(localLink('node3'), 'node3', log);
    await l.exec('true');
    await l.exec('exit 1');
    expect(log.list().map((c) => [c.host, c.command, c.ok])).toEqual([
      ['node3', 'true', true],
      ['node3', 'exit 1', false],
    ]);
    expect(l.name).toBe('node3');
  });

  it('the port wait is bounded: it gives up after its seconds, says why, and records one line', async () => {
    const log = createCommandLog();
    const t0 = Date.now();
    await expect(waitForPort(localLink('node1'), '10.0.0.1', 8080, 1, { log })).rejects.toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/^node1: nothing answered on 10\.0\.0\.1:8080 within 1 s \(last attempt: openTcp is not available on a local test link\)$/),
    });
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(log.list()).toEqual([{ host: 'node1', command: '(wait for a connection to 10.0.0.1:8080 through the SSH link, up to 1 s)', ok: false, ms: expect.any(Number) }]);
  });
});
