/**
 * The exact commands a push or rollback runs on each host, for the audit log: the host's SSH link
 * wrapped so every exec (and every socket channel it opens) is written down with its outcome.
 */
import type { HostCommand } from '../../shared/domain/managed-files';
import type { SshLink } from '../ssh/ssh-link';

export interface CommandLog {
  add(c: HostCommand): void;
  /** In the order they finished. */
  list(): HostCommand[];
}

export function createCommandLog(): CommandLog {
  const all: HostCommand[] = [];
  return { add: (c) => void all.push(c), list: () => [...all] };
}

const since = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;

/** The same link, recording what it runs under `host`; nothing else changes (channels, heartbeat, close). */
export function recordingLink(link: SshLink, host: string, log: CommandLog): SshLink {
  const timed = async <T>(command: string, fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    const t0 = performance.now();
    try {
      const v = await fn();
      log.add({ host, command, ok: ok(v), ms: since(t0) });
      return v;
    } catch (e) {
      log.add({ host, command, ok: false, ms: since(t0) });
      throw e;
    }
  };
  return {
    get name() {
      return link.name;
    },
    get key() {
      return link.key;
    },
    status: () => link.status(),
    connect: () => link.connect(),
    exec: (command, opts) => timed(command, () => link.exec(command, opts), (r) => r.code === 0),
    openUnixSocket: (path) => timed(`(channel to the unix socket ${path})`, () => link.openUnixSocket(path), () => true),
    // Port waits record themselves once (they poll); a single channel here is not worth a line.
    openTcp: (h, p) => link.openTcp(h, p),
    ping: (t) => link.ping(t),
    rttHistory: () => link.rttHistory(),
    setHeartbeat: (hb) => link.setHeartbeat(hb),
    channelsInUse: () => link.channelsInUse(),
    retryNow: () => link.retryNow(),
    close: () => link.close(),
  };
}
