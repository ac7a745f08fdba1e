import { describe, expect, it } from 'vitest';
import { exposedSockets, statsSockets } from './stats-sockets';

const CFG = [
  'global',
  '    stats socket /run/haproxy/admin.sock mode 660 level admin expose-fd listeners',
  '    stats socket ipv4@127.0.0.1:9999 level admin',
  '    stats socket ipv4@0.0.0.0:9998 level admin',
  '    stats socket *:9997',
  '    stats socket 10.0.0.5:9996 level user',
  '    stats socket [::1]:9995 level admin',
  '    stats timeout 2m',
  '',
  'frontend web',
  '    stats socket 0.0.0.0:1 level admin # not the global section: not a runtime API',
  '',
].join('\n');

describe('statsSockets', () => {
  it('reads every global stats socket with its line, address and level (operator by default)', () => {
    expect(statsSockets(CFG).map((s) => [s.line, s.address, s.kind, s.host, s.port, s.level])).toEqual([
      [2, '/run/haproxy/admin.sock', 'unix', null, null, 'admin'],
      [3, 'ipv4@127.0.0.1:9999', 'tcp', '127.0.0.1', 9999, 'admin'],
      [4, 'ipv4@0.0.0.0:9998', 'tcp', '0.0.0.0', 9998, 'admin'],
      [5, '*:9997', 'tcp', '*', 9997, 'operator'],
      [6, '10.0.0.5:9996', 'tcp', '10.0.0.5', 9996, 'user'],
      [7, '[::1]:9995', 'tcp', '::1', 9995, 'admin'],
    ]);
  });

  it('calls exposed only TCP sockets beyond the loopback', () => {
    expect(exposedSockets(statsSockets(CFG)).map((s) => s.address)).toEqual(['ipv4@0.0.0.0:9998', '*:9997', '10.0.0.5:9996']);
  });
});
