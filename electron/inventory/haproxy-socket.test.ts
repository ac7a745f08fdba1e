import { describe, expect, it } from 'vitest';
import { parseHaproxySocket } from './haproxy-socket';

describe('parseHaproxySocket', () => {
  it.each([
    ['/var/lib/haproxy/stats', { kind: 'unix', path: '/var/lib/haproxy/stats' }],
    ['unix@/run/haproxy/admin.sock', { kind: 'unix', path: '/run/haproxy/admin.sock' }],
    ['127.0.0.1:9999', { kind: 'tcp', host: '127.0.0.1', port: 9999 }],
    ['localhost:9999', { kind: 'tcp', host: 'localhost', port: 9999 }],
    ['[::1]:9999', { kind: 'tcp', host: '::1', port: 9999 }],
    ['ipv6@::1:9999', { kind: 'tcp', host: '::1', port: 9999 }],
  ])('reads %s', (text, socket) => {
    expect(parseHaproxySocket(text)).toEqual({ ok: true, socket });
  });

  it.each([
    ['ipv4@10.1.2.3:8404', { kind: 'tcp', host: '10.1.2.3', port: 8404 }],
    ['ipv6@[fd00::5]:7000', { kind: 'tcp', host: 'fd00::5', port: 7000 }],
  ])('reads %s, warning that an unauthenticated admin CLI is open to the network, with the fix', (text, socket) => {
    const r = parseHaproxySocket(text);
    expect(r).toMatchObject({ ok: true, socket });
    expect(r.ok && r.warning).toMatch(/no authentication, so anyone who can reach that port can drain, stop or reconfigure its servers\. Fix: bind it to the loopback \(stats socket ipv4@127\.0\.0\.1:\d+ level admin\) or use a unix socket/);
  });

  it('reaches a listen-on-everything address at 127.0.0.1, warning that it is exposed', () => {
    const r = parseHaproxySocket('*:9999');
    expect(r).toMatchObject({ ok: true, socket: { kind: 'tcp', host: '127.0.0.1', port: 9999 } });
    expect(r.ok && r.warning).toMatch(/^haproxy_socket "\*:9999" binds the load balancer's runtime API to \*:9999 \(every address of the LB\) at level admin: HAProxy's CLI has no authentication.*ClusterDeck will reach it at 127\.0\.0\.1:9999 on the load balancer$/);
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
