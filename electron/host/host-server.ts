import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { CdError } from '../../shared/errors';
import type { Core } from '../core/create-core';
import { originAllowed, tokenMatches, WS_PROTOCOL } from './auth';
import { contentSecurityPolicy, readStatic } from './static-files';
import { wsServerTransport } from './ws-transport';

export interface HostOptions {
  core: Core;
  /** The built renderer (index.html and assets). */
  staticDir: string;
  /** Per-launch secret; the host refuses to start without one. */
  token: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface Host {
  /** http://127.0.0.1:PORT/ — the token goes in the fragment, never in a query string. */
  origin: string;
  urlWithToken(): string;
  close(): Promise<void>;
}

/**
 * The headless host: the built UI and the contract over a WebSocket, on 127.0.0.1 only. A WebSocket
 * is accepted only from this server's own page (Origin) carrying the launch token as a subprotocol.
 */
export async function startHost(opts: HostOptions): Promise<Host> {
  if (!opts.token || opts.token.length < 32) throw new CdError('UNAUTHORIZED', 'the headless host needs a launch token of at least 32 characters; refusing to start without one');
  let origin = '';
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await readStatic(opts.staticDir, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Security-Policy': contentSecurityPolicy(`'self' ${origin.replace(/^http/, 'ws')}`),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 8 * 1024 * 1024,
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  let peers = 0;
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const refuse = (code: number, why: string): void => {
      socket.end(`HTTP/1.1 ${code} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if ((req.url ?? '').split('?')[0] !== '/rpc') return refuse(404, 'Not Found');
    if (!originAllowed(req.headers.origin, [origin])) return refuse(403, 'Forbidden');
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (!offered.includes(WS_PROTOCOL) || !tokenMatches(offered, opts.token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const transport = wsServerTransport(ws);
      opts.core.attach(transport, `ui-${++peers}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    urlWithToken: () => `${origin}/#token=${opts.token}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}
