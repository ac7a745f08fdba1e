import { describe, expect, it } from 'vitest';
import { previewInventory } from './preview';
import type { VarDef } from './problems';
import { parsePlaceholders, resolveVar } from './templating';

const F = '/inv/h.yml';
function ctx(vars: Record<string, unknown>, extra: Record<string, Partial<VarDef>> = {}) {
  let line = 1;
  const map = new Map<string, VarDef>();
  for (const [k, value] of Object.entries(vars)) map.set(k, { value, file: F, line: line++, ...extra[k] });
  return { vars: map, magic: { inventory_hostname: 'web1.example.com', inventory_hostname_short: 'web1' } };
}

describe('parsePlaceholders', () => {
  it('splits text and simple references', () => {
    expect(parsePlaceholders('srv-{{ inventory_hostname_short }}-{{x}}')).toEqual(['srv-', { ref: 'inventory_hostname_short' }, '-', { ref: 'x' }]);
  });
  it('refuses anything beyond a variable name', () => {
    expect(parsePlaceholders('{{ x | upper }}')).toBeUndefined();
    expect(parsePlaceholders("{{ lookup('env', 'HOME') }}")).toBeUndefined();
    expect(parsePlaceholders('{% if x %}a{% endif %}')).toBeUndefined();
    expect(parsePlaceholders("{{ hostvars['a'].b }}")).toBeUndefined();
  });
});

describe('resolveVar', () => {
  it('substitutes exact and embedded references, recursively, keeping the type of an exact one', () => {
    const c = ctx({ base_port: 2200, port: '{{ base_port }}', name: 'srv-{{ short }}-{{ base_port }}', short: '{{ inventory_hostname_short }}' });
    expect(resolveVar(c, 'port')).toMatchObject({ ok: true, value: 2200 });
    expect(resolveVar(c, 'name')).toMatchObject({ ok: true, value: 'srv-web1-2200' });
    expect(resolveVar(c, 'inventory_hostname')).toEqual({ ok: true, value: 'web1.example.com' });
    expect(resolveVar(c, 'missing')).toBeUndefined();
  });

  it('keeps the winning definition of the var asked for', () => {
    const c = ctx({ a: 'x', b: '{{ a }}' });
    const r = resolveVar(c, 'b');
    expect(r?.ok && r.def?.line).toBe(2);
  });

  it('reports loops, undefined references and unsupported templating at the offending definition', () => {
    const c = ctx({ a: '{{ b }}', b: '{{ a }}', u: '{{ nowhere }}', f: '{{ a | int }}', via: 'x{{ f }}' });
    expect(resolveVar(c, 'a')).toEqual({ ok: false, file: F, line: 2, message: 'b refers to itself through a → b → a' });
    expect(resolveVar(c, 'u')).toEqual({ ok: false, file: F, line: 3, message: 'u refers to "nowhere", which is not defined for this host' });
    const viaF = resolveVar(c, 'via');
    expect(viaF).toMatchObject({ ok: false, file: F, line: 4 });
    expect(viaF?.ok === false && viaF.message).toBe(
      'f (reached from via) uses templating ClusterDeck cannot evaluate: "{{ a | int }}"; only {{ variable }} references are supported, so write the value out',
    );
  });

  it('never templates !unsafe values and refuses !vault ones', () => {
    const c = ctx({ raw: '{{ a | b }}', secret: 'x' }, { raw: { unsafe: true }, secret: { vault: true } });
    expect(resolveVar(c, 'raw')).toMatchObject({ ok: true, value: '{{ a | b }}' });
    expect(resolveVar(c, 'secret')).toMatchObject({ ok: false, line: 2, message: 'secret is vault-encrypted (!vault); ClusterDeck cannot decrypt it' });
  });
});

describe('templated vars in an inventory', () => {
  const inv = (serverLine: string, extra = '') =>
    [
      'nodes:', // 1
      '  vars:', // 2
      '    lb_backend: be_app', // 3
      '    base_port: 2201', // 4
      '    ansible_port: "{{ base_port }}"', // 5
      '    motd: "{{ lookup(\'file\', \'/etc/motd\') }}"', // 6  (not needed: ignored)
      '  hosts:', // 7
      '    app1.example.com:', // 8
      `      ${serverLine}`, // 9
      '      ansible_host: "{{ inventory_hostname }}"', // 10
      extra, // 11
      'lbservers:', // 12
      '  hosts:', // 13
      '    lb1: {haproxy_socket: "/run/{{ sock }}", sock: haproxy.sock}', // 14
    ].join('\n');
  const opts = { cluster: 'c' };
  const env = { localUser: 'me', homeDir: '/home/me', now: () => new Date(0) };

  it('substitutes references in needed vars and ignores templating elsewhere', async () => {
    const p = await previewInventory({ content: inv('lb_server: "{{ inventory_hostname_short }}"'), name: 't.yml' }, opts, env);
    expect(p.problems).toEqual([]);
    expect(p.cluster?.nodes).toEqual([
      { name: 'app1.example.com', ssh: { host: 'app1.example.com', port: 2201, user: 'me' }, backend: 'be_app', server: 'app1' },
    ]);
    expect(p.cluster?.lbs[0]?.socket).toEqual({ kind: 'unix', path: '/run/haproxy.sock' });
  });

  it('reports unsupported templating in a needed var, naming it and its line', async () => {
    const p = await previewInventory({ content: inv('lb_server: "{{ inventory_hostname | upper }}"'), name: 't.yml' }, opts, env);
    expect(p.cluster).toBeUndefined();
    expect(p.problems).toEqual([
      {
        file: 't.yml',
        line: 9,
        severity: 'error',
        message: `host "app1.example.com": lb_server uses templating ClusterDeck cannot evaluate: "{{ inventory_hostname | upper }}"; only {{ variable }} references are supported, so write the value out`,
      },
    ]);
  });

  it('reports a reference to an undefined var at the referring line', async () => {
    const p = await previewInventory({ content: inv('lb_server: s1', '      ansible_user: "{{ deploy_user }}"'), name: 't.yml' }, opts, env);
    expect(p.problems).toEqual([
      { file: 't.yml', line: 11, severity: 'error', message: 'host "app1.example.com": ansible_user refers to "deploy_user", which is not defined for this host' },
    ]);
  });
});
