import type { Api } from '../../api/client';
import { isReadCommand } from '../../activity/audit-view';
import { app } from '../store';
import type { CommandLog } from '../types';

const FLUSH_MS = 150;

/**
 * The command drawer's feed. A watched cluster reads every LB each heartbeat, so lines arrive in
 * bursts: reads are batched into one store update per FLUSH_MS instead of one render per line. A
 * command that changes something flushes at once, so it is never shown after its own outcome.
 */
export function startCommandsSync(api: Api): void {
  let buf: CommandLog[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    const lines = buf;
    buf = [];
    if (lines.length) app().appendCommands(lines);
  };
  api.subscribe('commands.log', (c) => {
    buf.push(c);
    if (!isReadCommand(c.command)) flush();
    else timer ??= setTimeout(flush, FLUSH_MS);
  });
}
