import { describe, expect, it } from 'vitest';
import { findServerRow, parseServersState, parseShowStat } from './haproxy-stats';
import { bindsFor } from './layout';
import { needsForwardRule } from './netns';
import { HOST_NAMES, bridgeName, planHost, planHosts, slotOfName, subnetOf } from './plan';
import {
  fingerprintOf,
  hostCommand,
  knownHostsLine,
  parsePublicKey,
  renderHaproxyConfig,
  renderInventoryIni,
  renderInventoryYaml,
  renderSshdConfig,
  shellQuote,
} from './render';

describe('address plan', () => {
  it('puts each slot on its own /24 with fixed host octets', () => {
    const hosts = planHosts(3);
    expect(subnetOf(3)).toBe('10.88.3.0/24');
    expect(Object.fromEntries(HOST_NAMES.map((h) => [h, hosts[h].ip]))).toEqual({
      node1: '10.88.3.11',
      node2: '10.88.3.12',
      node3: '10.88.3.13',
      lb1: '10.88.3.21',
      lb2: '10.88.3.22',
    });
    expect(hosts.lb2).toEqual({ name: 'lb2', role: 'lb', ip: '10.88.3.22', sshPort: 22, netns: 'cdl3-lb2', vethHost: 'cdl3l2' });
    expect(hosts.node1.role).toBe('node');
  });

  it('keeps every interface name within IFNAMSIZ for the largest slot', () => {
    for (const h of HOST_NAMES) expect(planHost(15, h).vethHost.length).toBeLessThanOrEqual(15);
    expect(bridgeName(15)).toBe('cdl15br');
  });

  it('rejects slots outside 0..15', () => {
    expect(() => planHost(16, 'node1')).toThrow(/0\.\.15/);
    expect(() => subnetOf(-1)).toThrow(/0\.\.15/);
    expect(() => subnetOf(1.5)).toThrow();
  });

  it('maps leftover names back to their slot and ignores foreign names', () => {
    expect(slotOfName('cdl3br')).toBe(3);
    expect(slotOfName('cdl12-node2')).toBe(12);
    expect(slotOfName('cdl0l1')).toBe(0);
    expect(slotOfName('cdl16br')).toBeNull();
    expect(slotOfName('cdl3-node4')).toBeNull();
    expect(slotOfName('docker0')).toBeNull();
    expect(slotOfName('xcdl3br')).toBeNull();
  });
});

describe('config rendering', () => {
  const hosts = planHosts(7);

  it('renders the HAProxy config the brief asks for', () => {
    const cfg = renderHaproxyConfig({ lb: hosts.lb1, nodes: [hosts.node1, hosts.node2, hosts.node3] });
    expect(cfg).toContain('stats socket /run/haproxy/admin.sock mode 660 level admin');
    expect(cfg).toContain('stats timeout 2m');
    expect(cfg).toContain('server-state-file /var/lib/haproxy/server-state');
    expect(cfg).toMatch(/defaults[\s\S]*load-server-state-from-file global/);
    expect(cfg).toContain('bind 10.88.7.21:80');
    expect(cfg).toContain('balance roundrobin');
    expect(cfg).toContain('option httpchk GET /health');
    expect(cfg).toContain('http-check expect status 200');
    expect(cfg).toContain('server node1 10.88.7.11:8080 check inter 1s fall 3 rise 2\n');
    expect(cfg).toContain('server node3 10.88.7.13:8080 check inter 1s fall 3 rise 2 backup\n');
    expect(cfg).toContain('use-server node2 if { req.hdr(x-cd-server) -m str node2 }');
    expect(cfg).not.toMatch(/chroot|daemon/);
    // the only TCP runtime API is on the LB's own loopback, reachable only through its SSH connection
    expect([...cfg.matchAll(/stats socket (ipv4@)?(\S+)/g)].map((m) => m[2])).toEqual(['/run/haproxy/admin.sock', '127.0.0.1:9999', '/run/haproxy/operator.sock']);
    const serverTimeout = Number(/timeout server (\d+)s/.exec(cfg)?.[1]);
    expect(serverTimeout).toBeGreaterThan(60);
  });

  it('renders an sshd config that is key-only and self-contained', () => {
    const cfg = renderSshdConfig(hosts.node2, { hostKeys: ['/l/k1', '/l/k2'], authorizedKeys: '/l/keys/authorized_keys', pidFile: '/l/sshd.pid' });
    for (const line of [
      'ListenAddress 10.88.7.12:22',
      'HostKey /l/k1',
      'HostKey /l/k2',
      'PidFile /l/sshd.pid',
      'AuthorizedKeysFile /l/keys/authorized_keys',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'AllowStreamLocalForwarding yes',
      'AllowTcpForwarding yes',
    ]) {
      expect(cfg.split('\n')).toContain(line);
    }
    expect(cfg.split('\n').filter((l) => !l.startsWith('#') && l.includes('/etc/ssh'))).toEqual([]);
  });

  it('renders YAML and INI inventories with the same hosts and vars', () => {
    const yaml = renderInventoryYaml({ hosts, keyFile: '/lab/keys/id_ed25519' });
    expect(yaml).toContain('    ansible_ssh_private_key_file: "/lab/keys/id_ed25519"');
    expect(yaml).toContain('        node3: { ansible_host: 10.88.7.13, lb_server: node3 }');
    expect(yaml).toContain('        lb2: { ansible_host: 10.88.7.22 }');
    expect(yaml).toContain('    lb_backend: app');
    const ini = renderInventoryIni({ hosts, keyFile: '/lab/keys/id_ed25519' });
    expect(ini).toContain('[app_nodes]\nnode1 ansible_host=10.88.7.11 lb_server=node1\n');
    expect(ini).toContain('[lbservers]\nlb1 ansible_host=10.88.7.21\nlb2 ansible_host=10.88.7.22\n');
    expect(ini).toContain('[all:vars]\nansible_user=root\nansible_ssh_private_key_file=/lab/keys/id_ed25519\nlb_backend=app\n');
  });

  it('wraps a service in netns + private mount namespace with the host binds', () => {
    const argv = hostCommand(hosts.lb1, bindsFor("/tmp/it's", hosts.lb1), ['/usr/sbin/haproxy', '-W']);
    expect(argv.slice(0, 10)).toEqual(['ip', 'netns', 'exec', 'cdl7-lb1', 'unshare', '--mount', '--propagation', 'private', '--', 'sh']);
    const script = argv[11] ?? '';
    expect(script).toContain(`mount --bind '/tmp/it'\\''s/lb1/etc-haproxy' '/etc/haproxy'`);
    expect(script).toContain(`'/run/haproxy'`);
    expect(script).toContain(`'/var/lib/haproxy'`);
    expect(script.endsWith('exec "$@"')).toBe(true);
    expect(argv.slice(-2)).toEqual(['/usr/sbin/haproxy', '-W']);
    expect(script).toContain(`mount --bind '/tmp/it'\\''s/lb1/root' '/root'`);
    expect(bindsFor('/d', hosts.node1)).toEqual([
      ['/d/node1/root', '/root'],
      ['/d/node1/srv', '/srv'],
    ]);
  });

  it('quotes for sh', () => {
    expect(shellQuote(`a'b c`)).toBe(`'a'\\''b c'`);
  });
});

describe('host keys', () => {
  const pub = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBLU/x6ZZl5x1KFSsJkXrA2pgdAiG6FhmTfVmo0u0is+ x';

  it('computes the same fingerprint as ssh-keygen -lf', () => {
    expect(fingerprintOf(parsePublicKey(pub).blob)).toBe('SHA256:wcZhlVCEGuM9B8Lpo+f7He4EtbI+b4fxDKgFwVUZYzY');
  });

  it('writes bare hosts for port 22 and [host]:port otherwise', () => {
    const { type, blob } = parsePublicKey(pub);
    expect(knownHostsLine('10.88.1.11', 22, type, blob)).toBe(`10.88.1.11 ssh-ed25519 ${blob}`);
    expect(knownHostsLine('10.88.1.11', 2222, type, blob)).toBe(`[10.88.1.11]:2222 ssh-ed25519 ${blob}`);
    expect(() => parsePublicKey('garbage')).toThrow(/not an OpenSSH public key/);
  });
});

describe('HAProxy runtime answers', () => {
  const stat = [
    '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,',
    'web,FRONTEND,,,0,1,4096,3,,,,,,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,1,,',
    'app,node1,0,0,1,1,,1,,,,,,,,,,UP,1,1,0,0,0,5,0,,1,3,1,,1,,2,0,,1,L7OK,',
    'app,node3,0,0,0,0,,0,,,,,,,,,,DOWN,1,0,1,3,1,2,2,,1,3,3,,0,,2,0,,0,L7STS,',
    '',
  ].join('\n');
  const state = [
    '1',
    '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight',
    '3 app 1 node1 10.88.0.11 2 0 1',
    '3 app 3 node3 10.88.0.13 0 1 1',
    '',
  ].join('\n');

  it('parses show stat by header names', () => {
    const rows = parseShowStat(stat);
    expect(findServerRow(rows, 'app', 'node1')).toMatchObject({ scur: '1', status: 'UP', bck: '0', check_status: 'L7OK' });
    expect(findServerRow(rows, 'app', 'node3')).toMatchObject({ status: 'DOWN', bck: '1' });
    expect(findServerRow(rows, 'app', 'node2')).toBeUndefined();
    expect(() => parseShowStat('Unknown command\n')).toThrow(/unexpected show stat/);
  });

  it('parses show servers state', () => {
    const rows = parseServersState(state);
    expect(findServerRow(rows, 'app', 'node3')?.srv_admin_state).toBe('1');
    expect(findServerRow(rows, 'app', 'node1')?.srv_op_state).toBe('2');
  });
});

describe('FORWARD rule decision', () => {
  it('adds a rule only when bridged traffic hits a dropping FORWARD chain', () => {
    expect(needsForwardRule('1\n', '-P FORWARD DROP\n-A FORWARD -j DOCKER-USER\n')).toBe(true);
    expect(needsForwardRule('1\n', '-P FORWARD ACCEPT\n')).toBe(false);
    expect(needsForwardRule('0\n', '-P FORWARD DROP\n')).toBe(false);
  });
});
