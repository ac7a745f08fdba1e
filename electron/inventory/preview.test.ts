import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '../../shared/domain/cluster';
import type { InventoryOptionsInput } from '../../shared/domain/inventory';
import { inventoryPreviewSchema } from '../../shared/domain/inventory';
import { detectFormat } from './detect-format';
import { previewInventory } from './preview';

const FIX = fileURLToPath(new URL('./fixtures', import.meta.url));
const env = { localUser: 'deploy', homeDir: '/home/deploy', now: () => new Date('2024-05-06T07:08:09.000Z') };
const WSO2 = { cluster: 'wso2-prd', backendVar: 'wso2ei_lb_backend', serverVar: 'wso2ei_lb_server' };

const wso2Nodes = [1, 2, 3].map((i) => ({
  name: `wso2ei0${i}.yenlo.com`,
  ssh: { host: `wso2ei0${i}.yenlo.com`, port: 22, user: 'deploy' },
  backend: 'PRD_wso2ei',
  server: `node${i}`,
}));
const wso2Lbs = [1, 2].map((i) => ({
  name: `haproxy0${i}.yenlo.com`,
  ssh: { host: `haproxy0${i}.yenlo.com`, port: 22, user: 'haproxy-admin' },
  socket: { kind: 'unix', path: '/var/lib/haproxy/stats' },
  configPath: '/etc/haproxy/haproxy.cfg', masterSocket: '/run/haproxy-master.sock',
}));

function preview(content: string, options: InventoryOptionsInput = { cluster: 'c' }, name = 'hosts.yml') {
  return previewInventory({ content, name }, options, env);
}

describe('previewInventory: the seed inventory (WSO2 EI behind two HAProxy LBs)', () => {
  it('imports the YAML inventory with host_vars/ and group_vars/', async () => {
    const file = path.join(FIX, 'seed-yaml', 'inventory.yml');
    const p = await previewInventory({ path: file }, WSO2, env);
    expect(inventoryPreviewSchema.parse(p)).toEqual(p);
    expect(p.problems).toEqual([]);
    expect(p.format).toBe('yaml');
    expect(p.file).toBe(file);
    expect(p.filesRead).toEqual([
      path.join(FIX, 'seed-yaml/group_vars/lbservers.yml'),
      path.join(FIX, 'seed-yaml/group_vars/wso2ei.yml'),
      path.join(FIX, 'seed-yaml/host_vars/wso2ei01.yenlo.com.yml'),
      path.join(FIX, 'seed-yaml/host_vars/wso2ei02.yenlo.com.yml'),
      path.join(FIX, 'seed-yaml/host_vars/wso2ei03.yenlo.com.yml'),
    ]);
    expect(p.cluster).toEqual({
      name: 'wso2-prd',
      nodes: wso2Nodes,
      lbs: wso2Lbs,
      settings: { heartbeatIntervalMs: 1000, failoverHeartbeats: 3, riseCount: 2, activeNodes: null, standbyNodes: [], minActive: 1, vip: null, connectTimeoutMs: 20_000 },
      source: {
        kind: 'ansible',
        file,
        importedAt: '2024-05-06T07:08:09.000Z',
        options: { cluster: 'wso2-prd', lbGroup: 'lbservers', backendVar: 'wso2ei_lb_backend', serverVar: 'wso2ei_lb_server' },
      },
    });
    expect(clusterSpecSchema.parse(p.cluster)).toEqual(p.cluster);
  });

  it('imports the INI equivalent (an extension-less file) to the same cluster', async () => {
    const file = path.join(FIX, 'seed-ini', 'hosts');
    const p = await previewInventory({ path: file }, { ...WSO2, nodesGroup: 'wso2ei' }, env);
    expect(p.problems).toEqual([]);
    expect(p.format).toBe('ini');
    expect(p.filesRead).toEqual([]);
    expect(p.cluster?.nodes).toEqual(wso2Nodes);
    expect(p.cluster?.lbs).toEqual(wso2Lbs);
    expect(p.cluster?.source).toMatchObject({ kind: 'ansible', file, options: { nodesGroup: 'wso2ei' } });
  });

  it('given as text, reads no group_vars/host_vars: the per-node vars are then missing', async () => {
    const text = readFileSync(path.join(FIX, 'seed-yaml', 'inventory.yml'), 'utf8');
    const p = await previewInventory({ content: text, name: 'inventory.yml' }, { ...WSO2, nodesGroup: 'wso2ei' }, env);
    expect(p.filesRead).toEqual([]);
    expect(p.cluster).toBeUndefined();
    const errs = p.problems.filter((x) => x.severity === 'error');
    expect(errs.map((e) => [e.file, e.line, e.message])).toEqual([
      ['inventory.yml', 11, 'node "wso2ei01.yenlo.com" has no "wso2ei_lb_server" variable (its HAProxy server name)'],
      ['inventory.yml', 11, 'node "wso2ei01.yenlo.com" has no "wso2ei_lb_backend" variable (its HAProxy backend name)'],
      ['inventory.yml', 15, 'node "wso2ei02.yenlo.com" has no "wso2ei_lb_server" variable (its HAProxy server name)'],
      ['inventory.yml', 15, 'node "wso2ei02.yenlo.com" has no "wso2ei_lb_backend" variable (its HAProxy backend name)'],
      ['inventory.yml', 19, 'node "wso2ei03.yenlo.com" has no "wso2ei_lb_server" variable (its HAProxy server name)'],
      ['inventory.yml', 19, 'node "wso2ei03.yenlo.com" has no "wso2ei_lb_backend" variable (its HAProxy backend name)'],
    ]);
  });
});

const basic = (nodeLines: string[], lbLines = ['lbservers:', '  hosts:', '    lb1: {haproxy_socket: /run/haproxy/admin.sock}']) =>
  [...nodeLines, ...lbLines].join('\n');

describe('previewInventory: nodes and load balancers', () => {
  it('expands host ranges into nodes, with a port shorthand', async () => {
    const p = await preview(basic(['app:', '  vars: {lb_backend: be_app}', '  hosts:', '    app[1:3]:2222:', '      lb_server: "{{ inventory_hostname }}"']));
    expect(p.problems).toEqual([]);
    expect(p.cluster?.nodes.map((n) => [n.name, n.server, n.ssh.port])).toEqual([
      ['app1', 'app1', 2222],
      ['app2', 'app2', 2222],
      ['app3', 'app3', 2222],
    ]);
    expect(p.cluster?.lbs).toEqual([{ name: 'lb1', ssh: { host: 'lb1', port: 22, user: 'deploy' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' }, configPath: '/etc/haproxy/haproxy.cfg', masterSocket: '/run/haproxy-master.sock' }]);
  });

  it('takes a nodes group with nested children', async () => {
    const p = await preview(
      basic(['site:', '  vars: {lb_backend: be}', '  children:', '    eu:', '      children:', '        eu_a:', '          hosts: {a1: {lb_server: a1}}', '    us:', '      hosts: {u1: {lb_server: u1}}']),
      { cluster: 'c', nodesGroup: 'site' },
    );
    expect(p.problems).toEqual([]);
    expect(p.cluster?.nodes.map((n) => n.name)).toEqual(['a1', 'u1']);
  });

  it('reports a missing LB group at line 0 and an empty one at its line', async () => {
    const missing = await preview(basic(['app:', '  hosts: {a1: {lb_server: a1, lb_backend: be}}'], []));
    expect(missing.cluster).toBeUndefined();
    expect(missing.problems).toEqual([{ file: 'hosts.yml', line: 0, severity: 'error', message: 'the load balancer group "lbservers" is not in the inventory' }]);
    const empty = await preview(basic(['app:', '  hosts: {a1: {lb_server: a1, lb_backend: be}}'], ['', 'lbservers:', '  vars: {x: 1}']));
    expect(empty.problems).toEqual([{ file: 'hosts.yml', line: 4, severity: 'error', message: 'the load balancer group "lbservers" has no hosts' }]);
  });

  it('reports a node without the backend var at its host line', async () => {
    const p = await preview(basic(['app:', '  hosts:', '    a1: {lb_server: a1, lb_backend: be}', '    a2: {lb_server: a2}']));
    expect(p.cluster).toBeUndefined();
    expect(p.problems).toEqual([{ file: 'hosts.yml', line: 4, severity: 'error', message: 'node "a2" has no "lb_backend" variable (its HAProxy backend name)' }]);
  });

  it('reports two nodes claiming the same server on both lines', async () => {
    const p = await preview(
      basic(['app:', '  vars: {lb_backend: be}', '  hosts:', '    a1: {lb_server: s1}', '    a2: {lb_server: s2}', '    a3:', '      lb_server: s1']),
    );
    expect(p.cluster).toBeUndefined();
    expect(p.problems).toEqual([
      { file: 'hosts.yml', line: 4, severity: 'error', message: 'server be/s1 of node "a1" is also claimed by "a3"; each node needs its own server' },
      { file: 'hosts.yml', line: 7, severity: 'error', message: 'server be/s1 of node "a3" is also claimed by "a1"; each node needs its own server' },
    ]);
  });

  it('allows the same server name in different backends', async () => {
    const p = await preview(basic(['app:', '  hosts:', '    a1: {lb_server: s1, lb_backend: be1}', '    a2: {lb_server: s1, lb_backend: be2}']));
    expect(p.problems).toEqual([]);
    expect(p.cluster?.nodes.map((n) => `${n.backend}/${n.server}`)).toEqual(['be1/s1', 'be2/s1']);
  });

  it('reports a bad haproxy_socket at the line that defines it', async () => {
    const p = await preview(basic(['app:', '  hosts: {a1: {lb_server: a1, lb_backend: be}}'], ['lbservers:', '  vars:', '    haproxy_socket: haproxy.sock', '  hosts: {lb1: }']));
    expect(p.cluster).toBeUndefined();
    expect(p.problems).toEqual([
      {
        file: 'hosts.yml',
        line: 5,
        severity: 'error',
        message:
          'load balancer "lb1": haproxy_socket "haproxy.sock" is not understood; expected an absolute unix socket path (/run/haproxy/admin.sock, unix@/path) or HOST:PORT (ipv4@HOST:PORT, [v6]:PORT, ipv6@v6:PORT)',
      },
    ]);
  });

  it('uses the default socket, with a warning, and reads a TCP socket', async () => {
    const p = await preview(basic(['app:', '  hosts: {a1: {lb_server: a1, lb_backend: be}}'], ['lbservers:', '  hosts:', '    lb1:', '    lb2: {haproxy_socket: "ipv4@127.0.0.1:9999"}']));
    expect(p.cluster?.lbs.map((l) => l.socket)).toEqual([
      { kind: 'unix', path: '/run/haproxy/admin.sock' },
      { kind: 'tcp', host: '127.0.0.1', port: 9999 },
    ]);
    expect(p.problems).toEqual([{ file: 'hosts.yml', line: 5, severity: 'warning', message: 'load balancer "lb1" has no haproxy_socket; using the default /run/haproxy/admin.sock' }]);
  });

  it('reports a bad ansible_port at its line (INI)', async () => {
    const ini = ['[app]', 'a1 lb_server=a1 lb_backend=be', 'a2 lb_server=a2 lb_backend=be ansible_port=99999', '[lbservers]', 'lb1 haproxy_socket=/run/h.sock'].join('\n');
    const p = await preview(ini, { cluster: 'c' }, 'hosts.ini');
    expect(p.format).toBe('ini');
    expect(p.cluster).toBeUndefined();
    expect(p.problems).toEqual([{ file: 'hosts.ini', line: 3, severity: 'error', message: 'host "a2": ansible_port must be an integer from 1 to 65535, got 99999' }]);
  });

  it('reports an invalid server name at its line', async () => {
    const p = await preview(basic(['app:', '  hosts:', '    a1:', '      lb_backend: be', '      lb_server: "node 1"']));
    expect(p.problems).toEqual([
      { file: 'hosts.yml', line: 5, severity: 'error', message: `node "a1": lb_server "node 1" is not a valid HAProxy server name: may only contain letters, digits, '-', '_', '.', ':'` },
    ]);
  });

  it('reports a host that is both a node and a load balancer', async () => {
    const p = await preview(['all:', '  vars: {lb_server: x, lb_backend: be}', '  hosts:', '    a1:', 'lbservers:', '  hosts:', '    lb1: {lb_server: lb}'].join('\n'));
    expect(p.cluster).toBeUndefined();
    expect(p.problems).toEqual([{ file: 'hosts.yml', line: 7, severity: 'error', message: 'host "lb1" is both a node and a load balancer (in group "lbservers")' }]);
  });

  it('requires the server var on every host of the nodes group', async () => {
    const p = await preview(basic(['app:', '  vars: {lb_backend: be}', '  hosts:', '    a1: {lb_server: a1}', '    a2:']), { cluster: 'c', nodesGroup: 'app' });
    expect(p.problems).toEqual([{ file: 'hosts.yml', line: 5, severity: 'error', message: 'node "a2" has no "lb_server" variable (its HAProxy server name)' }]);
  });

  it('reports when no host carries the server var, or the nodes group is missing', async () => {
    const none = await preview(basic(['app:', '  hosts: {a1: }']));
    expect(none.problems).toEqual([
      { file: 'hosts.yml', line: 0, severity: 'error', message: 'no host has the "lb_server" variable (its HAProxy server name), so there are no nodes; set it on each node or choose a nodes group' },
    ]);
    const missing = await preview(basic(['app:', '  hosts: {a1: }']), { cluster: 'c', nodesGroup: 'web' });
    expect(missing.problems).toEqual([{ file: 'hosts.yml', line: 0, severity: 'error', message: 'the nodes group "web" is not in the inventory' }]);
  });
});

describe('previewInventory: broken input never throws', () => {
  it('a YAML syntax error gives its line, and no cluster', async () => {
    const p = await preview(['all:', '  hosts:', '    a1: {lb_server: a1', '    a2:'].join('\n'));
    expect(p.cluster).toBeUndefined();
    expect(p.format).toBe('yaml');
    expect(p.problems).toEqual([
      { file: 'hosts.yml', line: 4, severity: 'error', message: 'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }' },
    ]);
  });

  it('an INI syntax error gives its line, and no cluster even though the rest is fine', async () => {
    const ini = ['[app]', 'a1 lb_server=a1 lb_backend=be', '[app:vars]', 'lb_backend', '[lbservers]', 'lb1'].join('\n');
    const p = await preview(ini, { cluster: 'c' }, 'inventory');
    expect(p.format).toBe('ini');
    expect(p.cluster).toBeUndefined();
    expect(p.problems.filter((x) => x.severity === 'error')).toEqual([
      { file: 'inventory', line: 4, severity: 'error', message: 'expected key=value in [app:vars], got "lb_backend"' },
    ]);
  });

  it('an unreadable file is a whole-inventory problem', async () => {
    const p = await previewInventory({ path: path.join(FIX, 'does-not-exist.yml') }, { cluster: 'c' }, env);
    expect(p.cluster).toBeUndefined();
    expect(p.format).toBe('yaml');
    expect(p.problems).toHaveLength(1);
    expect(p.problems[0]).toMatchObject({ file: path.join(FIX, 'does-not-exist.yml'), line: 0, severity: 'error' });
    expect(p.problems[0]?.message).toMatch(/^cannot read the inventory: ENOENT/);
  });

  it('invalid options are reported at line 0 and the rest is still checked', async () => {
    const p = await preview(basic(['app:', '  hosts: {a1: {lb_server: a1}}']), { cluster: 'bad name!', serverVar: '' } as InventoryOptionsInput);
    expect(p.cluster).toBeUndefined();
    expect(p.problems.map((x) => [x.line, x.severity, x.message])).toEqual([
      [0, 'error', 'option serverVar: Too small: expected string to have >=1 characters'],
      [0, 'error', `cluster name "bad name!": must start with a letter or digit and contain only letters, digits, '.', '_', '-'`],
      [2, 'error', 'node "a1" has no "lb_backend" variable (its HAProxy backend name)'],
    ]);
  });

  it('an invalid cluster name is reported', async () => {
    const p = await preview(basic(['app:', '  hosts: {a1: {lb_server: a1, lb_backend: be}}']), { cluster: '-x' });
    expect(p.cluster).toBeUndefined();
    expect(p.problems).toEqual([
      { file: 'hosts.yml', line: 0, severity: 'error', message: 'cluster name "-x": must start with a letter or digit and contain only letters, digits, \'.\', \'_\', \'-\'' },
    ]);
  });
});

describe('detectFormat', () => {
  it('follows the extension when it is telling', () => {
    expect(detectFormat('a.yaml', '[web]\nw1')).toBe('yaml');
    expect(detectFormat('a.json', '{"all": {}}')).toBe('yaml');
    expect(detectFormat('a.ini', 'all:\n  hosts:\n')).toBe('ini');
  });
  it('otherwise looks at the content', () => {
    expect(detectFormat('hosts', 'all:\n  hosts:\n    w1:\n')).toBe('yaml');
    expect(detectFormat('hosts', '[web]\nw1 ansible_port=22\n')).toBe('ini');
    expect(detectFormat('hosts', 'w1\nw2\n')).toBe('ini');
    expect(detectFormat('hosts', '# comment\nall:\n  hosts: [oops\n')).toBe('yaml');
    expect(detectFormat('hosts', '; comment\nw1:2222 a=b\n')).toBe('ini');
  });
});

describe('previewInventory: group_vars/ directories on disk', () => {
  it('reads the LB vars for the config file, the master CLI and the reload command, and refuses relative paths', async () => {
    const inv = `all:
  children:
    lbservers:
      hosts:
        lb1: { haproxy_config: /srv/haproxy/haproxy.cfg, haproxy_master_socket: /run/haproxy/master.sock, haproxy_reload_command: "systemctl reload haproxy" }
        lb2: { haproxy_config: haproxy.cfg }
    app:
      hosts:
        n1: { lb_server: n1, lb_backend: app }
`;
    const bad = await preview(inv);
    expect(bad.cluster).toBeUndefined();
    expect(bad.problems.filter((x) => x.severity === 'error').map((x) => [x.line, x.message])).toEqual([[6, 'load balancer "lb2": haproxy_config must be an absolute path, got "haproxy.cfg"']]);
    const good = await preview(inv.replace('haproxy_config: haproxy.cfg', 'ansible_host: 10.0.0.2'));
    expect(good.cluster?.lbs[0]).toMatchObject({ configPath: '/srv/haproxy/haproxy.cfg', masterSocket: '/run/haproxy/master.sock', reloadCommand: 'systemctl reload haproxy' });
    expect(good.cluster?.lbs[1]).toMatchObject({ configPath: '/etc/haproxy/haproxy.cfg', masterSocket: '/run/haproxy-master.sock' });
    expect(good.cluster?.lbs[1]?.reloadCommand).toBeUndefined();
  });

  it('reads group_vars/<group>/ files in lexical order, skipping other extensions', async () => {
    const dir = path.join(FIX, 'vars-dir');
    const p = await previewInventory({ path: path.join(dir, 'hosts.ini') }, { cluster: 'app' }, env);
    expect(p.format).toBe('ini');
    expect(p.filesRead).toEqual([
      path.join(dir, 'group_vars/all/00-connection.yml'),
      path.join(dir, 'group_vars/all/10-haproxy.yaml'),
      path.join(dir, 'group_vars/app/00-backend.yml'),
      path.join(dir, 'group_vars/app/50-site.json'),
      path.join(dir, 'host_vars/app02.internal.yml'),
    ]);
    const key = path.join(dir, 'keys/ops_ed25519');
    const ssh = (port: number) => ({ host: '', port, user: 'ops', keyFile: key });
    expect(p.cluster?.nodes).toEqual([
      { name: 'app01.internal', ssh: { ...ssh(2200), host: 'app01.internal' }, backend: 'be_app_site', server: 'app01' },
      { name: 'app02.internal', ssh: { ...ssh(2202), host: 'app02.internal' }, backend: 'be_app_site', server: 'app02' },
      { name: 'app03.internal', ssh: { ...ssh(2200), host: 'app03.internal' }, backend: 'be_app_site', server: 'app03' },
    ]);
    expect(p.cluster?.lbs).toEqual([
      { name: 'lb1.internal', ssh: { host: '10.0.0.10', port: 22, user: 'ops', keyFile: key }, socket: { kind: 'tcp', host: '127.0.0.1', port: 9999 }, configPath: '/etc/haproxy/haproxy.cfg', masterSocket: '/run/haproxy-master.sock' },
    ]);
    // group_vars/all beats [all:vars]; the relative key path is resolved with a warning at its definition
    const warnings = p.problems.filter((x) => x.severity === 'warning');
    expect(p.problems.filter((x) => x.severity === 'error')).toEqual([]);
    expect(new Set(warnings.map((w) => `${w.file}:${w.line}`))).toEqual(new Set([`${path.join(dir, 'group_vars/all/00-connection.yml')}:3`]));
    expect(warnings).toHaveLength(4);
  });
});
