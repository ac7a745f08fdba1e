import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from './delay-proxy';

/** An echo server on 127.0.0.1. */
async function echo(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port };
}

/** Waits for `n` bytes on the socket, with a deadline. */
function receive(s: Socket, n: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const t = setTimeout(() => reject(new Error(`only ${JSON.stringify(got)} within ${timeoutMs} ms`)), timeoutMs);
    const on = (d: Buffer) => {
      got += d.toString();
      if (got.length >= n) {
        clearTimeout(t);
        s.off('data', on);
        resolve(got);
      }
    };
    s.on('data', on);
  });
}

describe('the delaying TCP proxy of the slow-link lab test', () => {
  let proxy: DelayProxy | null = null;
  let target: Server | null = null;
  afterEach(async () => {
    await proxy?.close();
    await new Promise<void>((r) => (target ? target.close(() => r()) : r()));
  });

  it('holds each chunk the delay each way, and keeps the order', async () => {
    const e = await echo();
    target = e.server;
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: e.port }, delayMs: 150 });
    const c = createConnection({ host: proxy.host, port: proxy.port });
    await new Promise<void>((r) => c.once('connect', () => r()));
    const t0 = performance.now();
    c.write('a');
    expect(await receive(c, 1, 5_000)).toBe('a');
    // the round trip is the delay twice at least (an upper bound would be a timing test)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(2 * 150 - 5);
    c.write('b');
    c.write('c');
    c.write('d');
    expect(await receive(c, 3, 5_000)).toBe('bcd');
    expect(proxy.accepted()).toBe(1);
    c.destroy();
  });

  it('drops every connection on close', async () => {
    const e = await echo();
    target = e.server;
    proxy = await startDelayProxy({ target: { host: '127.0.0.1', port: e.port }, delayMs: 50 });
    const c = createConnection({ host: proxy.host, port: proxy.port });
    c.on('error', () => undefined);
    await new Promise<void>((r) => c.once('connect', () => r()));
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    await proxy.close();
    await closed;
    expect(c.destroyed).toBe(true);
  });
});
