import { CdError } from '../../shared/errors';

export interface ChannelLimit {
  /** Waits for a free slot (bounded by waitMs) and returns its release function; release is idempotent. */
  acquire(waitMs: number, what: string): Promise<() => void>;
  inUse(): number;
  /** Fails every waiter, e.g. when the connection drops. */
  failWaiters(err: CdError): void;
}

/**
 * OpenSSH's MaxSessions (10 by default) counts every open session channel; the 11th fails with
 * ADMINISTRATIVELY_PROHIBITED, and a leaked channel keeps its slot. So channels queue here, below that.
 */
export function createChannelLimit(max: number): ChannelLimit {
  let used = 0;
  const waiters: Array<{ grant: () => void; fail: (e: CdError) => void }> = [];

  const makeRelease = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = waiters.shift();
      if (next) next.grant();
      else used--;
    };
  };

  return {
    acquire(waitMs, what) {
      if (used < max) {
        used++;
        return Promise.resolve(makeRelease());
      }
      return new Promise((resolve, reject) => {
        const w = {
          grant: () => {
            clearTimeout(timer);
            resolve(makeRelease());
          },
          fail: (e: CdError) => {
            clearTimeout(timer);
            reject(e);
          },
        };
        const timer = setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i >= 0) waiters.splice(i, 1);
          reject(new CdError('SSH_CHANNEL_FAILED', `${what}: all ${max} SSH channels stayed busy for ${waitMs} ms`));
        }, waitMs);
        waiters.push(w);
      });
    },
    inUse: () => used,
    failWaiters(err) {
      for (const w of waiters.splice(0)) w.fail(err);
    },
  };
}
