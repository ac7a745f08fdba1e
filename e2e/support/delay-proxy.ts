import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy that holds every chunk `delayMs` before passing it on, each way: a far link (a VPN,
 * a satellite) in front of a lab host, where the kernel has no netem. Bytes keep their order; the
 * bandwidth is not limited. Listens on 127.0.0.1 only and forwards to one target. Bounded: at
 * most `maxConnections` at once, and a side whose queue exceeds `maxQueuedBytes` is paused until
 * the queue drains, so nothing grows without limit. close() drops every connection and timer.
 */
export interface DelayProxy {
  host: string;
  port: number;
  /** Connections accepted so far. */
  accepted(): number;
  close(): Promise<void>;
}

export interface DelayProxyOptions {
  target: { host: string; port: number };
  /** Held per chunk, per direction: a round trip through the proxy costs twice this. */
  delayMs: number;
  maxConnections?: number;
  maxQueuedBytes?: number;
}

export async function startDelayProxy(o: DelayProxyOptions): Promise<DelayProxy> {
  const maxConnections = o.maxConnections ?? 16;
  const maxQueued = o.maxQueuedBytes ?? 4 * 1024 * 1024;
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let accepted = 0;
  let closed = false;

  const later = (fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, o.delayMs);
    timers.add(t);
  };

  /** from → to, each chunk (and the end) `delayMs` late, in order (timers of one delay fire in order). */
  const pipeLate = (from: Socket, to: Socket): void => {
    let queued = 0;
    from.on('data', (chunk: Buffer) => {
      queued += chunk.length;
      if (queued > maxQueued) from.pause();
      later(() => {
        queued -= chunk.length;
        if (!to.destroyed) to.write(chunk);
        if (queued <= maxQueued && from.isPaused()) from.resume();
      });
    });
    from.on('end', () => later(() => to.end()));
  };

  const server = createServer((client) => {
    if (closed) {
      client.destroy();
      return;
    }
    accepted++;
    const upstream = createConnection({ host: o.target.host, port: o.target.port });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => sockets.delete(s));
      // A failing side closes; the close handlers below end the pair.
      s.on('error', () => undefined);
    }
    // One side gone ends the other, after the delay, as the far end would notice.
    client.on('close', () => later(() => upstream.destroy()));
    upstream.on('close', () => later(() => client.destroy()));
    pipeLate(client, upstream);
    pipeLate(upstream, client);
  });
  server.maxConnections = maxConnections;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('delay proxy: no TCP address');

  return {
    host: '127.0.0.1',
    port: addr.port,
    accepted: () => accepted,
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      sockets.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
