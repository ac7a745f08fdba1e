import type { Frame, Transport, Unsubscribe } from './frames';

/**
 * Two connected in-memory transports. Frames are structured-cloned and delivered on a later
 * microtask, so nothing that would not survive IPC or a WebSocket can pass here either.
 */
export function createMemoryTransportPair(): [Transport, Transport] {
  const a = endpoint();
  const b = endpoint();
  a.peer = b;
  b.peer = a;
  return [a.transport, b.transport];
}

interface Endpoint {
  peer: Endpoint | null;
  closed: boolean;
  messageCbs: Set<(d: unknown) => void>;
  closeCbs: Set<() => void>;
  transport: Transport;
}

function endpoint(): Endpoint {
  const self: Endpoint = {
    peer: null,
    closed: false,
    messageCbs: new Set(),
    closeCbs: new Set(),
    transport: undefined as unknown as Transport,
  };
  const closeBoth = (): void => {
    for (const e of [self, self.peer]) {
      if (!e || e.closed) continue;
      e.closed = true;
      queueMicrotask(() => e.closeCbs.forEach((cb) => cb()));
    }
  };
  self.transport = {
    send(frame: Frame): void {
      if (self.closed) throw new Error('transport closed');
      const peer = self.peer;
      if (!peer) return;
      const copy = structuredClone(frame);
      queueMicrotask(() => {
        if (!peer.closed) peer.messageCbs.forEach((cb) => cb(copy));
      });
    },
    onMessage(cb): Unsubscribe {
      self.messageCbs.add(cb);
      return () => self.messageCbs.delete(cb);
    },
    onClose(cb): Unsubscribe {
      self.closeCbs.add(cb);
      return () => self.closeCbs.delete(cb);
    },
    close: closeBoth,
  };
  return self;
}
