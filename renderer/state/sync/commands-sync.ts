import type { Api } from '../../api/client';
import { app } from '../store';
import type { CommandLog } from '../types';

const FLUSH_MS = 150;

/**
 * The command drawer's feed. A watched cluster reads every LB each heartbeat, so lines arrive in
 * bursts: they are batched into one store update per FLUSH_MS instead of one render per line.
 */
export function startCommandsSync(api: Api): void {
  let buf: CommandLog[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  api.subscribe('commands.log', (c) => {
    buf.push(c);
    timer ??= setTimeout(() => {
      timer = null;
      const lines = buf;
      buf = [];
      app().appendCommands(lines);
    }, FLUSH_MS);
  });
}
