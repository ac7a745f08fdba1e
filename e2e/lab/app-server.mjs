#!/usr/bin/env node
// ClusterDeck lab app node: a dependency-free HTTP service a test can make healthy, unhealthy or busy.
// Runs inside the node's network and mount namespaces, so /srv/app is that node's own directory.
//
// Configuration: `key = value` lines (`#` comments, blank lines) read from --conf at start and on
// SIGHUP. A file with a malformed line is rejected and the previous configuration stays loaded.
// Every (re)load attempt is acknowledged in --state-file (gen, ok, sha256 or reason), which the
// lab's /srv/app/reload script waits for. `app-server.mjs --check FILE` checks a file the same way.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const MAX_CONF_BYTES = 1024 * 1024;

/** Parses `key = value` lines; returns { values } or { error } naming the first bad line. */
function parseConf(text) {
  const values = {};
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#.*)?$/.test(line)) continue;
    const m = /^\s*([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) return { error: `line ${i + 1}: expected "key = value", got ${JSON.stringify(line.slice(0, 80))}` };
    values[m[1]] = m[2];
  }
  return { values };
}

function readConf(file) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    return { error: `cannot read ${file}: ${e.code ?? e.message}` };
  }
  if (bytes.length > MAX_CONF_BYTES) return { error: `${file} is larger than ${MAX_CONF_BYTES} bytes` };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const parsed = parseConf(bytes.toString('utf8'));
  return parsed.error ? { error: `${file}: ${parsed.error}`, sha256 } : { values: parsed.values, sha256 };
}

const checkFile = arg('check', null);
if (checkFile !== null) {
  const r = readConf(checkFile);
  if (r.error) {
    process.stderr.write(`${r.error}\n`);
    process.exit(1);
  }
  process.stdout.write(`ok: ${Object.keys(r.values).length} keys, sha256 ${r.sha256}\n`);
  process.exit(0);
}

const name = arg('name', 'node');
const host = arg('host', '127.0.0.1');
const port = Number(arg('port', '8080'));
// Exists → /health answers 503 while the service keeps running, so a test can fail a check in place.
const failFile = arg('fail-file', '/srv/app/health-fail');
const confFile = arg('conf', '/srv/app/app.conf');
const pidFile = arg('pid-file', '/srv/app/app.pid');
const stateFile = arg('state-file', '/srv/app/app.state');
const MAX_HOLD_S = 600;

const log = (msg) => process.stdout.write(`${new Date().toISOString()} ${name} ${msg}\n`);
const held = new Set();

// The loaded configuration; `rejected` is the reason the last attempt kept it instead of a new file.
const conf = { gen: 0, values: {}, sha256: null, loadedAt: null, rejected: null };

function writeState() {
  const lines = [
    // pid in the generation: a restarted app never repeats a generation a waiting reload saw before.
    `gen=${process.pid}.${conf.gen}`,
    `ok=${conf.rejected === null ? 1 : 0}`,
    `sha256=${conf.sha256 ?? ''}`,
    `reason=${(conf.rejected ?? '').replace(/\n/g, ' ')}`,
    '',
  ];
  const tmp = `${stateFile}.tmp`;
  writeFileSync(tmp, lines.join('\n'));
  renameSync(tmp, stateFile);
}

function load(why) {
  const r = readConf(confFile);
  conf.gen += 1;
  if (r.error) {
    conf.rejected = r.error;
    log(`${why}: rejected ${confFile}: ${r.error}; keeping the configuration loaded before (sha256 ${conf.sha256 ?? 'none'})`);
  } else {
    Object.assign(conf, { values: r.values, sha256: r.sha256, loadedAt: Date.now(), rejected: null });
    log(`${why}: loaded ${confFile} (sha256 ${r.sha256})`);
  }
  try {
    writeState();
  } catch (e) {
    log(`could not write ${stateFile}: ${e.message}`);
  }
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://lab');
  const reply = (status, body, type = 'text/plain') => {
    res.writeHead(status, { 'content-type': type, 'x-cd-node': name, connection: 'close' });
    res.end(body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(405, 'method not allowed');
  if (url.pathname === '/health') {
    return existsSync(failFile) ? reply(503, `fail ${name}`) : reply(200, `ok ${name}`);
  }
  if (url.pathname === '/config') {
    return reply(200, JSON.stringify({ node: name, gen: conf.gen, sha256: conf.sha256, loadedAt: conf.loadedAt, rejected: conf.rejected, values: conf.values }), 'application/json');
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

try {
  writeFileSync(pidFile, `${process.pid}\n`);
} catch (e) {
  log(`could not write ${pidFile}: ${e.message}`);
}
load('start');
server.listen(port, host, () => log(`listening on ${host}:${port}`));

process.on('SIGHUP', () => load('SIGHUP'));

// Stop at once, held requests included: a stopped service in a fault test must look like a dead one.
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    log(`${sig}, exiting with ${held.size} held request(s)`);
    for (const t of held) clearTimeout(t);
    process.exit(0);
  });
}
