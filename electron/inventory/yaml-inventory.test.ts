import { describe, expect, it } from 'vitest';
import { groupHosts, hostGroups } from './inventory-model';
import { Problems } from './problems';
import { parseYamlInventory } from './yaml-inventory';

function parse(text: string) {
  const problems = new Problems();
  const inv = parseYamlInventory(text, '/inv/hosts.yml', problems);
  return { inv, problems: problems.list };
}

describe('parseYamlInventory', () => {
  it('reads groups, nested children, host vars and group vars with their lines', () => {
    const { inv, problems } = parse(
      [
        'all:', // 1
        '  vars:', // 2
        '    ansible_user: ops', // 3
        '  children:', // 4
        '    site:', // 5
        '      children:', // 6
        '        web:', // 7
        '          hosts:', // 8
        '            web[1:2]:', // 9
        '              lb_server: w', // 10
        '            web3:2222:', // 11
        '    lbservers:', // 12
        '      hosts: lb1', // 13
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    if (!inv) throw new Error('no inventory');
    expect([...inv.hosts.keys()]).toEqual(['web1', 'web2', 'web3', 'lb1']);
    expect(inv.hosts.get('web2')?.vars.get('lb_server')).toEqual({ value: 'w', file: '/inv/hosts.yml', line: 10 });
    expect(inv.hosts.get('web3')?.vars.get('ansible_port')).toEqual({ value: 2222, file: '/inv/hosts.yml', line: 11 });
    expect(inv.groups.get('all')?.vars.get('ansible_user')).toEqual({ value: 'ops', file: '/inv/hosts.yml', line: 3 });
    expect(inv.groups.get('web')?.line).toBe(7);
    expect(inv.depth.get('site')).toBe(1);
    expect(inv.depth.get('web')).toBe(2);
    expect(groupHosts(inv, 'site')).toEqual(['web1', 'web2', 'web3']);
    expect(groupHosts(inv, 'lbservers')).toEqual(['lb1']);
    expect(hostGroups(inv, 'web1').sort()).toEqual(['all', 'site', 'web']);
  });

  it('merges a group mentioned in several places; the later definition of a var wins', () => {
    const { inv, problems } = parse(
      [
        'web:', // 1
        '  hosts:', // 2
        '    w1: {color: red}', // 3
        '  vars: {tier: front}', // 4
        'prod:', // 5
        '  children:', // 6
        '    web:', // 7
        '      hosts:', // 8
        '        w2:', // 9
        '        w1: {color: blue}', // 10
        '      vars: {tier: edge}', // 11
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    if (!inv) throw new Error('no inventory');
    expect(inv.groups.get('web')?.hosts).toEqual(['w1', 'w2']);
    expect(inv.groups.get('web')?.parents).toEqual(['prod']);
    expect(inv.hosts.get('w1')?.vars.get('color')).toMatchObject({ value: 'blue', line: 10 });
    expect(inv.groups.get('web')?.vars.get('tier')).toMatchObject({ value: 'edge', line: 11 });
    expect(inv.groups.get('web')?.line).toBe(1);
  });

  it('reports unknown keys, wrong shapes and bad ranges with their lines', () => {
    const { problems } = parse(
      [
        'web:', // 1
        '  host:', // 2
        '    w1:', // 3
        '  hosts:', // 4
        '    w1: 10.0.0.1', // 5
        '    n[2:1]:', // 6
        'db:', // 7
        '  hosts:', // 8
        '    - d1', // 9
        'cache: yes', // 10
      ].join('\n'),
    );
    expect(problems.map((p) => [p.line, p.severity, p.message])).toEqual([
      [2, 'error', 'unknown key "host" in group "web": only hosts, vars and children are allowed (is it a host or var at the wrong indentation?)'],
      [5, 'error', 'host "w1" must map to its variables (a mapping) or be empty, not the string "10.0.0.1"'],
      [6, 'error', 'host range [2:1] in "n[2:1]" starts after it ends (2 > 1)'],
      [8, 'error', '"hosts" of group "db" must be a mapping, not a list'],
      [10, 'error', 'group "cache" must be a mapping with hosts, vars or children (or empty), not the value true'],
    ]);
  });

  it('reports a YAML syntax error with its line and returns no inventory', () => {
    const { inv, problems } = parse(['all:', '  hosts:', '    w1:', '      a: [1, 2', '    w2:'].join('\n'));
    expect(inv).toBeUndefined();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]).toMatchObject({ file: '/inv/hosts.yml', line: 5, severity: 'error' });
    expect(problems[0]?.message).toMatch(/^YAML syntax error: /);
  });

  it('warns about duplicate keys and keeps the last, as PyYAML does', () => {
    const { inv, problems } = parse(['web:', '  hosts:', '    w1:', '      p: 1', '      p: 2'].join('\n'));
    expect(inv?.hosts.get('w1')?.vars.get('p')).toMatchObject({ value: 2, line: 5 });
    expect(problems).toEqual([
      { file: '/inv/hosts.yml', line: 4, severity: 'warning', message: 'duplicate key "p": the one on line 5 wins and this one is ignored' },
    ]);
  });

  it('understands merge keys, !unsafe and !vault, and only PyYAML booleans', () => {
    const { inv, problems } = parse(
      [
        'web:', // 1
        '  vars:', // 2
        '    base: &b {ansible_user: ops, zone: eu}', // 3
        '  hosts:', // 4
        '    w1:', // 5
        '      <<: *b', // 6
        '      zone: us', // 7
        '      raw: !unsafe "{{ x }}"', // 8
        '      secret: !vault |', // 9
        '        $ANSIBLE_VAULT;1.1;AES256', // 10
        '      letter: y', // 11
        '      word: yes', // 12
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    const vars = inv?.hosts.get('w1')?.vars;
    expect(vars?.get('ansible_user')).toMatchObject({ value: 'ops', line: 3 });
    expect(vars?.get('zone')).toMatchObject({ value: 'us', line: 7 });
    expect(vars?.get('raw')).toMatchObject({ value: '{{ x }}', unsafe: true });
    expect(vars?.get('secret')).toMatchObject({ vault: true, line: 9 });
    expect(vars?.get('letter')?.value).toBe('y');
    expect(vars?.get('word')?.value).toBe(true);
  });

  it('rejects non-inventories: empty, a list, a plugin config', () => {
    expect(parse('').problems).toEqual([{ file: '/inv/hosts.yml', line: 0, severity: 'error', message: 'the inventory is empty' }]);
    expect(parse('- a\n- b\n').problems[0]?.message).toBe('a YAML inventory must be a mapping of groups, not a list');
    expect(parse('plugin: aws_ec2\nregions: [eu-west-1]\n').problems[0]).toMatchObject({ line: 1, severity: 'error' });
  });

  it('refuses making all a child and children loops', () => {
    const { problems } = parse(['a:', '  children:', '    b:', '      children:', '        a:', '        all:'].join('\n'));
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, 'adding group "a" as a child of "b" creates a loop'],
      [6, 'group "all" cannot be a child of "b"'],
    ]);
  });
});
