import { describe, expect, it } from 'vitest';
import { parseHaproxySocket } from './haproxy-socket';

describe('parseHaproxySocket', () => {
  it.each([
    ['/var/lib/haproxy/stats', { kind: 'unix', path: '/var/lib/haproxy/stats' }],
    ['unix@/run/haproxy/admin.sock', { kind: 'unix', path: '/run/haproxy/admin.sock' }],
    ['127.0.0.1:9999', { kind: 'tcp', host: '127.0.0.1', port: 9999 }],
    ['ipv4@10.1.2.3:8404', { kind: 'tcp', host: '10.1.2.3', port: 8404 }],
    ['localhost:9999', { kind: 'tcp', host: 'localhost', port: 9999 }],
    ['[::1]:9999', { kind: 'tcp', host: '::1', port: 9999 }],
    ['ipv6@::1:9999', { kind: 'tcp', host: '::1', port: 9999 }],
    ['ipv6@[fd00::5]:7000', { kind: 'tcp', host: 'fd00::5', port: 7000 }],
  ])('reads %s', (text, socket) => {
    expect(parseHaproxySocket(text)).toEqual({ ok: true, socket });
  });

  it('reaches a listen-on-everything address at 127.0.0.1, with a warning', () => {
    expect(parseHaproxySocket('*:9999')).toEqual({
      ok: true,
      socket: { kind: 'tcp', host: '127.0.0.1', port: 9999 },
      warning: 'haproxy_socket "*:9999" listens on every address; ClusterDeck will reach it at 127.0.0.1:9999 on the load balancer',
    });
  });

  it.each([
    ['run/haproxy.sock', 'is not understood'],
    ['unix@run/haproxy.sock', 'a unix socket path must be absolute'],
    ['127.0.0.1:0', 'invalid port "0"'],
    ['127.0.0.1:70000', 'invalid port "70000"'],
    ['host:port', 'invalid port "port"'],
    ['abns@haproxy', 'the "abns@" address family is not supported'],
    ['ipv4@127.0.0.1', 'expected an absolute unix socket path'],
    ['/run/my socket', 'contains spaces'],
    ['', 'is empty'],
  ])('rejects %j', (text, fragment) => {
    const r = parseHaproxySocket(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(fragment);
  });
});
