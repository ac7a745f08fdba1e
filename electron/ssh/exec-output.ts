import type { ClientChannel } from 'ssh2';
import { CdError } from '../../shared/errors';

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/**
 * Feeds stdin to an exec channel and collects what it prints until it closes, bounded in time and
 * in size (the channel is destroyed past either). `exit` is filled by the channel's exit event,
 * which the caller attaches as soon as the channel opens (ssh2 may emit it during the open).
 */
export function collectExec(
  ch: ClientChannel,
  o: { where: string; command: string; timeoutMs: number; maxBytes: number; stdin?: string | Buffer; exit: { code: number | null; signal: string | null } },
): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      ch.destroy();
      reject(new CdError('TIMEOUT', `${o.where}: "${o.command}" did not finish within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    const take = (arr: Buffer[]) => (d: Buffer) => {
      size += d.length;
      if (size > o.maxBytes) {
        clearTimeout(timer);
        ch.destroy();
        reject(new CdError('SSH_CHANNEL_FAILED', `${o.where}: "${o.command}" produced more than ${o.maxBytes} bytes`));
        return;
      }
      arr.push(d);
    };
    ch.on('data', take(out));
    ch.stderr.on('data', take(err));
    ch.on('close', () => {
      clearTimeout(timer);
      resolve({ code: o.exit.code, signal: o.exit.signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    if (o.stdin !== undefined) ch.end(o.stdin);
    else ch.end();
  });
}
