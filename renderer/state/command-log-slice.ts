import type { Slice } from './slice';
import type { CommandLog } from './types';

export interface CommandLine extends CommandLog {
  seq: number;
}

export interface CommandLogSlice {
  /** The last MAX_COMMANDS lines, oldest first (the drawer shows the newest at the bottom). */
  commandLog: CommandLine[];
  commandSeq: number;
  /** Periodic status reads (`show …`) are most of the traffic; hidden unless asked for. */
  showReads: boolean;
  appendCommands(lines: CommandLog[]): void;
  setShowReads(v: boolean): void;
  clearCommands(): void;
}

export const MAX_COMMANDS = 500;

export const createCommandLogSlice: Slice<CommandLogSlice> = (set) => ({
  commandLog: [],
  commandSeq: 0,
  showReads: false,
  appendCommands: (lines) =>
    set((s) => {
      let seq = s.commandSeq;
      const added = lines.map((l) => ({ ...l, seq: ++seq }));
      const all = s.commandLog.concat(added);
      return { commandLog: all.length > MAX_COMMANDS ? all.slice(all.length - MAX_COMMANDS) : all, commandSeq: seq };
    }),
  setShowReads: (showReads) => set({ showReads }),
  clearCommands: () => set({ commandLog: [] }),
});
