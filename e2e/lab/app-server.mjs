#!/usr/bin/env node
// ClusterDeck lab app node: a dependency-free HTTP service a test can make healthy, unhealthy or busy.
// Runs inside the node's network and mount namespaces, so /srv/app is that node's own directory.
import { existsSync } from 'node:fs';
import http from 'node:http';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const name = arg('name', 'node');
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '8080'));
// Exists → /health answers 503 while the service keeps running, so a test can fail a check in place.
const failFile = arg('fail-file', '/srv/app/health-fail');
const MAX_HOLD_S = 600;

const log = (msg) => process.stdout.write(`${new Date().toISOString()} ${name} ${msg}\n`);
const held = new Set();

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://lab');
  const reply = (status, body) => {
    res.writeHead(status, { 'content-type': 'text/plain', 'x-cd-node': name, connection: 'close' });
    res.end(body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');
  if (url.pathname === '/health') {
    return existsSync(failFile) ? reply(503, `fail ${name}`) : reply(200, `ok ${name}`);
  }
  if (url.pathname === '/hold') {
    const s = Number(url.searchParams.get('s') ?? '1');
    if (!Number.isFinite(s) || s < 0 || s > MAX_HOLD_S) return reply(400, `s must be 0..${MAX_HOLD_S}`);
    log(`hold ${s}s from ${req.socket.remoteAddress}`);
    const timer = setTimeout(() => {
      held.delete(timer);
      reply(200, `held ${s}s ${name}`);
    }, s * 1000);
    held.add(timer);
    req.socket.on('close', () => {
      clearTimeout(timer);
      held.delete(timer);
    });
    return undefined;
  }
  if (url.pathname === '/') return reply(200, name);
  return reply(404, 'not found');
});

server.on('error', (e) => {
  log(`error: ${e.message}`);
  process.exit(1);
});
server.listen(port, host, () => log(`listening on ${host}:${port}`));

// Stop at once, held requests included: a stopped service in a fault test must look like a dead one.
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    log(`${sig}, exiting with ${held.size} held request(s)`);
    for (const t of held) clearTimeout(t);
    process.exit(0);
  });
}
