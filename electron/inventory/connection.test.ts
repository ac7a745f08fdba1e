import { describe, expect, it } from 'vitest';
import { expandKeyPath, sshEndpoint } from './connection';
import type { HostContext } from './connection';
import { Problems } from './problems';
import type { VarDef } from './problems';

const F = '/inv/hosts.yml';
function ctx(vars: Record<string, unknown>, over: Partial<HostContext> = {}): HostContext {
  const map = new Map<string, VarDef>();
  let line = 10;
  for (const [k, value] of Object.entries(vars)) map.set(k, { value, file: F, line: line++ });
  return {
    host: 'web1',
    loc: { file: F, line: 3 },
    tctx: { vars: map, magic: { inventory_hostname: 'web1' } },
    inventoryDir: '/inv',
    homeDir: '/home/me',
    localUser: 'me',
    ...over,
  };
}

function run(c: HostContext) {
  const problems = new Problems();
  return { ssh: sshEndpoint(c, problems), problems: problems.list };
}

describe('sshEndpoint', () => {
  it('defaults to the inventory name, port 22 and the local user', () => {
    expect(run(ctx({}))).toEqual({ ssh: { host: 'web1', port: 22, user: 'me' }, problems: [] });
  });

  it('reads ansible_host, ansible_port (also as text), ansible_user and the key file', () => {
    expect(run(ctx({ ansible_host: '10.0.0.1', ansible_port: '2222', ansible_user: 'deploy', ansible_ssh_private_key_file: '/keys/id' }))).toEqual({
      ssh: { host: '10.0.0.1', port: 2222, user: 'deploy', keyFile: '/keys/id' },
      problems: [],
    });
  });

  it('accepts the old ansible_ssh_* aliases, which win as in Ansible, with a warning when they disagree', () => {
    const r = run(ctx({ ansible_host: 'a.example', ansible_ssh_host: 'b.example', ansible_ssh_port: 2022, ansible_ssh_user: 'old' }));
    expect(r.ssh).toEqual({ host: 'b.example', port: 2022, user: 'old' });
    expect(r.problems).toEqual([
      { file: F, line: 11, severity: 'warning', message: 'host "web1": ansible_ssh_host ("b.example") is used rather than ansible_host ("a.example"), as Ansible does' },
    ]);
  });

  it.each([[0], [65536], ['ssh'], [22.5], [true]])('rejects ansible_port %j at its line', (port) => {
    const r = run(ctx({ other: 1, ansible_port: port }));
    expect(r.ssh).toBeUndefined();
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ file: F, line: 11, severity: 'error' });
    expect(r.problems[0]?.message).toMatch(/^host "web1": ansible_port must be an integer from 1 to 65535, got /);
  });

  it('rejects a host address with spaces and an empty user', () => {
    const r = run(ctx({ ansible_host: 'a b', ansible_user: '' }));
    expect(r.ssh).toBeUndefined();
    expect(r.problems.map((p) => [p.line, p.message])).toEqual([
      [10, 'host "web1": ansible_host "a b" is not a valid host name or address'],
      [11, 'host "web1": ansible_user must be a non-empty string, got ""'],
    ]);
  });

  it('needs a user when the local one is unknown', () => {
    const r = run(ctx({}, { localUser: undefined }));
    expect(r.problems).toEqual([
      { file: F, line: 3, severity: 'error', message: 'host "web1" has no ansible_user and the local user name is unknown; set ansible_user' },
    ]);
  });

  it('resolves a relative key file against the inventory directory, with a warning', () => {
    const r = run(ctx({ ansible_ssh_private_key_file: 'keys/id_ed25519' }));
    expect(r.ssh?.keyFile).toBe('/inv/keys/id_ed25519');
    expect(r.problems).toEqual([
      {
        file: F,
        line: 10,
        severity: 'warning',
        message: `host "web1": ansible_ssh_private_key_file "keys/id_ed25519" is relative; resolved against the inventory's directory as /inv/keys/id_ed25519 (Ansible would resolve it against the directory it runs in)`,
      },
    ]);
  });
});

describe('expandKeyPath', () => {
  const base = { homeDir: '/home/me', localUser: 'me', inventoryDir: '/inv' };
  it('expands ~ and ~me', () => {
    expect(expandKeyPath('~/.ssh/id', base)).toEqual({ ok: true, path: '/home/me/.ssh/id' });
    expect(expandKeyPath('~me/.ssh/id', base)).toEqual({ ok: true, path: '/home/me/.ssh/id' });
  });
  it("refuses another user's home and relative paths without a directory", () => {
    expect(expandKeyPath('~bob/.ssh/id', base)).toMatchObject({ ok: false, message: '"~bob/.ssh/id": cannot expand "~bob" here; use an absolute path' });
    expect(expandKeyPath('id', { homeDir: '/h', localUser: 'me' })).toMatchObject({ ok: false });
  });
});
