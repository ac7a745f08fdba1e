import { describe, expect, it } from 'vitest';
import { CdError } from '../../shared/errors';
import { formatTimeMs, parseTimeMs, splitLines, joinLines, tokenize } from './cfg-tokens';
import { loadsServerState, parseSections, readGlobal, rewriteBackendServers, rewriteServerLine } from './haproxy-cfg';

// Debian 12's /etc/haproxy/haproxy.cfg as shipped (tabs and spaces mixed, as in the package), plus a backend.
const DEBIAN = `global
\tlog /dev/log\tlocal0
\tlog /dev/log\tlocal1 notice
\tchroot /var/lib/haproxy
\tstats socket /run/haproxy/admin.sock mode 660 level admin
\tstats timeout 30s
\tuser haproxy
\tgroup haproxy
\tdaemon

\t# Default SSL material locations
\tca-base /etc/ssl/certs
\tcrt-base /etc/ssl/private

\t# See: https://ssl-config.mozilla.org/#server=haproxy&server-version=2.0.3&config=intermediate
        ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256
        ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256
        ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets

defaults
\tlog\tglobal
\tmode\thttp
\toption\thttplog
\toption\tdontlognull
        timeout connect 5000
        timeout client  50000
        timeout server  50000
\terrorfile 400 /etc/haproxy/errors/400.http
\terrorfile 503 /etc/haproxy/errors/503.http

frontend www
\tbind :80
\tdefault_backend app

# The application servers. node3 is the standby.
backend app
\tbalance roundrobin
\toption httpchk GET /health   # must answer 200
\tserver node1 10.0.0.11:8443 ssl verify required ca-file /etc/ssl/certs/internal.pem cookie n1 check inter 2s fall 3 rise 2
\tserver node2 10.0.0.12:8443 ssl verify none cookie "n 2" check   # second node
    server  node3   10.0.0.13:8443   ssl verify none cookie check inter 1000 backup
\t#server node4 10.0.0.14:8443 check

backend static
\tserver node1 10.0.0.21:80 check
`;

const PLAN = {
  node1: { inter: 500, fall: 4, rise: 2, backup: false },
  node2: { inter: 500, fall: 4, rise: 2, backup: true },
  node3: { inter: 500, fall: 4, rise: 2, backup: true },
};

function changedLines(a: string, b: string): Array<[string, string]> {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(y.length).toBe(x.length);
  return x.flatMap((l, i) => (l === y[i] ? [] : [[l, y[i]!] as [string, string]]));
}

describe('tokenize', () => {
  it('keeps offsets, quotes, escapes and finds the comment', () => {
    const line = `\tserver a 1.2.3.4:80 cookie "x y" sni str(a\\ b) check # primary "quoted"`;
    const { tokens, commentAt } = tokenize(line);
    expect(tokens.map((t) => t.value)).toEqual(['server', 'a', '1.2.3.4:80', 'cookie', 'x y', 'sni', 'str(a b)', 'check']);
    expect(tokens.every((t) => line.slice(t.start, t.end) === t.raw)).toBe(true);
    expect(line.slice(commentAt)).toBe('# primary "quoted"');
    expect(tokenize(`a '#not' \\#x`).tokens.map((t) => t.value)).toEqual(['a', '#not', '#x']);
  });

  it('splits and joins lines byte for byte (LF, CRLF, no final newline)', () => {
    for (const t of ['a\nb\n', 'a\r\nb\r\n', 'a\r\nb', '', '\n\n', 'x']) expect(joinLines(splitLines(t))).toBe(t);
    expect(splitLines('a\r\nb').map((l) => l.eol)).toEqual(['\r\n', '']);
  });

  it('reads and writes HAProxy time values exactly', () => {
    expect([parseTimeMs('1s'), parseTimeMs('1000'), parseTimeMs('500ms'), parseTimeMs('2m'), parseTimeMs('x')]).toEqual([1000, 1000, 500, 120000, NaN]);
    expect([formatTimeMs(500), formatTimeMs(1000), formatTimeMs(1500), formatTimeMs(60000)]).toEqual(['500ms', '1s', '1500ms', '60s']);
  });
});

describe('parseSections', () => {
  it('finds every section with its line range', () => {
    const s = parseSections(DEBIAN);
    expect(s.map((x) => `${x.keyword} ${x.name ?? ''}`.trim())).toEqual(['global', 'defaults', 'frontend www', 'backend app', 'backend static']);
    const app = s[3]!;
    const lines = DEBIAN.split('\n');
    expect(lines[app.start]).toBe('backend app');
    expect(lines[app.end]).toBe('backend static');
    expect(s[0]!.start).toBe(0);
    expect(s[4]!.end).toBe(splitLines(DEBIAN).length);
  });
});

describe('rewriteBackendServers', () => {
  it('sets inter/fall/rise/backup on the planned servers and leaves every other character alone', () => {
    const r = rewriteBackendServers(DEBIAN, 'app', PLAN);
    if (r instanceof CdError) throw r;
    expect(r.changed).toBe(true);
    expect(changedLines(DEBIAN, r.text)).toEqual([
      [
        '\tserver node1 10.0.0.11:8443 ssl verify required ca-file /etc/ssl/certs/internal.pem cookie n1 check inter 2s fall 3 rise 2',
        '\tserver node1 10.0.0.11:8443 ssl verify required ca-file /etc/ssl/certs/internal.pem cookie n1 check inter 500ms fall 4 rise 2',
      ],
      [
        '\tserver node2 10.0.0.12:8443 ssl verify none cookie "n 2" check   # second node',
        '\tserver node2 10.0.0.12:8443 ssl verify none cookie "n 2" check inter 500ms fall 4 rise 2 backup   # second node',
      ],
      [
        '    server  node3   10.0.0.13:8443   ssl verify none cookie check inter 1000 backup',
        // "cookie check": check is the cookie's value here, so a real check keyword is added.
        '    server  node3   10.0.0.13:8443   ssl verify none cookie check inter 500ms backup check fall 4 rise 2',
      ],
    ]);
    // the static backend's node1 and the commented-out node4 are untouched
    expect(r.text).toContain('\tserver node1 10.0.0.21:80 check\n');
    expect(r.text).toContain('\t#server node4 10.0.0.14:8443 check\n');
  });

  it('is idempotent: a second pass changes nothing', () => {
    const r1 = rewriteBackendServers(DEBIAN, 'app', PLAN);
    if (r1 instanceof CdError) throw r1;
    const r2 = rewriteBackendServers(r1.text, 'app', PLAN);
    expect(r2).toMatchObject({ changed: false, changes: [], text: r1.text });
  });

  it('returns the text unchanged when values are already right, whatever their spelling (1000 = 1s)', () => {
    const r = rewriteBackendServers(DEBIAN, 'app', { node3: { inter: 1000, backup: true } });
    // only `check` is missing on node3 (its "check" is a cookie value)
    if (r instanceof CdError) throw r;
    expect(changedLines(DEBIAN, r.text)).toHaveLength(1);
    const again = rewriteBackendServers(DEBIAN, 'static', { node1: { backup: false } });
    expect(again).toMatchObject({ changed: false, text: DEBIAN });
  });

  it('removes backup and writes exact inter values', () => {
    const r = rewriteBackendServers(DEBIAN, 'app', { node3: { inter: 1500, backup: false } });
    if (r instanceof CdError) throw r;
    expect(changedLines(DEBIAN, r.text)).toEqual([
      [
        '    server  node3   10.0.0.13:8443   ssl verify none cookie check inter 1000 backup',
        '    server  node3   10.0.0.13:8443   ssl verify none cookie check inter 1500ms check',
      ],
    ]);
  });

  it('preserves CRLF line endings', () => {
    const crlf = DEBIAN.replace(/\n/g, '\r\n');
    const r = rewriteBackendServers(crlf, 'app', PLAN);
    if (r instanceof CdError) throw r;
    expect(r.text.split('\r\n').length).toBe(crlf.split('\r\n').length);
    expect(r.text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(r.text).toContain('cookie n1 check inter 500ms fall 4 rise 2\r\n');
  });

  it('edits a listen section of that name, with default-server lines left alone but overridden', () => {
    const cfg = [
      'defaults',
      '  mode http',
      '  default-server inter 3s fall 2 backup',
      '',
      'listen app',
      '  bind :8080',
      '  default-server check rise 5',
      '  server a 10.0.0.1:80',
      '  server b 10.0.0.2:80 no-backup',
      '',
    ].join('\n');
    const r = rewriteBackendServers(cfg, 'app', { a: { inter: 500, fall: 4, rise: 2, backup: false }, b: { backup: true } });
    if (r instanceof CdError) throw r;
    expect(r.text.split('\n').slice(6, 9)).toEqual([
      '  default-server check rise 5',
      // a inherits `backup` from defaults: no-backup is the way to say "not a backup" on the server line
      '  server a 10.0.0.1:80 check inter 500ms fall 4 rise 2 no-backup',
      // b: dropping its no-backup lets the inherited backup apply
      '  server b 10.0.0.2:80 check',
    ]);
    expect(r.notes.join('\n')).toContain('default-server left as it is');
  });

  it('returns errors for a missing backend or server (never throws)', () => {
    const nb = rewriteBackendServers(DEBIAN, 'api', PLAN, { where: 'lb1:/etc/haproxy/haproxy.cfg' });
    expect(nb).toBeInstanceOf(CdError);
    if (nb instanceof CdError) {
      expect(nb.code).toBe('NOT_FOUND');
      expect(nb.message).toBe('lb1:/etc/haproxy/haproxy.cfg: no backend or listen section "api" (found: backend app, backend static)');
    }
    const ns = rewriteBackendServers(DEBIAN, 'app', { ...PLAN, node4: { backup: true } }, { where: 'lb2:/etc/haproxy/haproxy.cfg' });
    expect(ns).toBeInstanceOf(CdError);
    if (ns instanceof CdError) {
      expect(ns.code).toBe('SERVER_NOT_FOUND');
      expect(ns.message).toContain('backend "app" has no server "node4" (its servers: node1, node2, node3)');
    }
    const bad = rewriteBackendServers(DEBIAN, 'app', { node1: { inter: 0.5, backup: false } });
    expect(bad).toBeInstanceOf(CdError);
    expect(rewriteBackendServers('backend x\n', 'y', {})).toMatchObject({ message: 'no backend or listen section "y" (found: backend x)' });
  });

  it('removes no-check when it turns checks on, and leaves `source ... usesrc` values alone', () => {
    const r = rewriteServerLine('server a 10.0.0.1:80 source 10.0.0.9 usesrc clientip no-check weight 10', { fall: 3, backup: false }, false);
    expect(r.line).toBe('server a 10.0.0.1:80 source 10.0.0.9 usesrc clientip weight 10 check fall 3');
    expect(r.changes).toEqual(['check added', 'no-check removed', 'fall 3 added']);
  });
});

describe('readGlobal / loadsServerState', () => {
  it('resolves server-state-file against server-state-base as HAProxy does', () => {
    expect(readGlobal('global\n  server-state-file /var/lib/haproxy/server-state\n')).toEqual({ serverStateFile: '/var/lib/haproxy/server-state' });
    expect(readGlobal('global\n  server-state-base /var/state/haproxy/\n  server-state-file global\n')).toEqual({
      serverStateBase: '/var/state/haproxy/',
      serverStateFile: '/var/state/haproxy/global',
    });
    expect(readGlobal('global\n  server-state-file state\n').note).toContain('relative');
    // only global counts
    expect(readGlobal('defaults\n  server-state-file /x\n')).toEqual({});
    expect(readGlobal(DEBIAN)).toEqual({});
  });

  it('tells whether a backend loads the state file', () => {
    const cfg = 'defaults\n  load-server-state-from-file global\nbackend a\n  server x 1.1.1.1:1\nbackend b\n  load-server-state-from-file none\n';
    expect(loadsServerState(cfg, 'a')).toBe('global');
    expect(loadsServerState(cfg, 'b')).toBe('none');
    expect(loadsServerState(DEBIAN, 'app')).toBe('none');
  });
});
