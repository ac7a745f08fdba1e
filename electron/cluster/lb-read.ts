import type { CliLevel } from '../../shared/domain/reloads';
import type { ServerStat } from '../../shared/domain/status';
import type { CdError } from '../../shared/errors';

/** What one LB said when read, or why it could not be read. Input to the pure derivations. */
export type LbRead =
  | {
      lb: string;
      ok: true;
      servers: ServerStat[];
      /** BACKEND row status per backend. */
      backends: Record<string, string>;
      info: { version: string | null; pid: number | null; uptimeSec: number | null } | null;
      readMs: number;
      /** Epoch ms the read was sent: the data is at least this old. */
      at: number;
      /** The runtime session's level (`show cli level`), null when not probed. */
      level: CliLevel | null;
    }
  | { lb: string; ok: false; error: CdError };

export function findServer(read: LbRead, backend: string, server: string): ServerStat | null {
  if (!read.ok) return null;
  return read.servers.find((s) => s.backend === backend && s.server === server) ?? null;
}
