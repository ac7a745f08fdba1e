import { describe, expect, it } from 'vitest';
import { parseIniInventory } from './ini-inventory';
import { groupHosts } from './inventory-model';
import { Problems } from './problems';

function parse(text: string) {
  const problems = new Problems();
  const inv = parseIniInventory(text, 'hosts.ini', problems);
  return { inv, problems: problems.list };
}

const valueOf = (m: Map<string, { value: unknown; line: number }> | undefined, k: string) => {
  const d = m?.get(k);
  return d ? { value: d.value, line: d.line } : undefined;
};

describe('parseIniInventory', () => {
  it('reads hosts, typed vars, group vars and children with their lines', () => {
    const { inv, problems } = parse(
      [
        'bastion ansible_port=2200', // 1: ungrouped
        '',
        '[web]', // 3
        'web[1:2]:2222 ansible_user=deploy note="two words" flag=True # comment', // 4
        '; a comment', // 5
        '[web:vars]', // 6
        'lb_backend = "be_web"', // 7
        'http_port=8080', // 8
        '[site:children]', // 9
        'web', // 10
      ].join('\n'),
    );
    expect(problems).toEqual([]);
    expect([...inv.hosts.keys()]).toEqual(['bastion', 'web1', 'web2']);
    expect(inv.hosts.get('bastion')?.groups).toEqual(['ungrouped']);
    expect(valueOf(inv.hosts.get('bastion')?.vars, 'ansible_port')).toEqual({ value: 2200, line: 1 });
    const web2 = inv.hosts.get('web2')?.vars;
    expect(valueOf(web2, 'ansible_port')).toEqual({ value: 2222, line: 4 });
    expect(valueOf(web2, 'ansible_user')).toEqual({ value: 'deploy', line: 4 });
    expect(valueOf(web2, 'note')).toEqual({ value: 'two words', line: 4 });
    expect(valueOf(web2, 'flag')).toEqual({ value: true, line: 4 });
    expect(valueOf(inv.groups.get('web')?.vars, 'lb_backend')).toEqual({ value: 'be_web', line: 7 });
    expect(valueOf(inv.groups.get('web')?.vars, 'http_port')).toEqual({ value: 8080, line: 8 });
    expect(inv.groups.get('site')?.children).toEqual(['web']);
    expect(inv.groups.get('web')?.line).toBe(3);
    expect(inv.depth.get('site')).toBe(1);
    expect(inv.depth.get('web')).toBe(2);
    expect(groupHosts(inv, 'site')).toEqual(['web1', 'web2']);
  });

  it('accepts children declared before their group, nested children, and [all:vars]', () => {
    const { inv, problems } = parse(
      ['[all:vars]', 'ansible_user=ops', '[prod:children]', 'eu', '[eu:children]', 'eu_web', '[eu_web]', 'w1', '[eu]'].join('\n'),
    );
    expect(problems).toEqual([]);
    expect(inv.groups.get('prod')?.children).toEqual(['eu']);
    expect(inv.groups.get('eu')?.children).toEqual(['eu_web']);
    expect(inv.depth.get('eu_web')).toBe(3);
    expect(groupHosts(inv, 'prod')).toEqual(['w1']);
    expect(valueOf(inv.groups.get('all')?.vars, 'ansible_user')).toEqual({ value: 'ops', line: 2 });
  });

  it('reports a [group:vars] line without "=" with its line', () => {
    const { problems } = parse(['[web]', 'w1', '[web:vars]', 'lb_backend be_web'].join('\n'));
    expect(problems).toEqual([
      { file: 'hosts.ini', line: 4, severity: 'error', message: 'expected key=value in [web:vars], got "lb_backend be_web"' },
    ]);
  });

  it('reports every bad line, not just the first', () => {
    const { problems } = parse(
      [
        '[web]', // 1
        'w1 novalue', // 2
        'w2 a="open', // 3
        'n[3:1]', // 4
        '[web:nonsense]', // 5
        'ignored line', // 6
        '[bad name]', // 7
        '[lb]', // 8
        'lb1:', // 9
      ].join('\n'),
    );
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, 'expected key=value after host "w1", got "novalue"'],
      [3, 'cannot parse host line: No closing quotation'],
      [4, 'host range [3:1] in "n[3:1]" starts after it ends (3 > 1)'],
      [5, 'section [web:nonsense] has an unknown type "nonsense" (expected vars or children)'],
      [7, 'invalid section header "[bad name]": no spaces are allowed and the form is [group], [group:vars] or [group:children]'],
      [9, 'host "lb1:" ends in ":", which is reserved for a port (host:port)'],
    ]);
  });

  it('reports undefined children and vars-only groups at their lines, as Ansible does', () => {
    const { problems } = parse(['[web]', 'w1', '[site:children]', 'web', 'db', '[ghost:vars]', 'x=1'].join('\n'));
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, 'section [site:children] includes "db", which is not defined anywhere (add a [db] section)'],
      [6, 'section [ghost:vars] is for group "ghost", which is not defined anywhere (add a [ghost] section)'],
    ]);
  });

  it('refuses a children loop', () => {
    const { problems } = parse(['[a:children]', 'b', '[b:children]', 'a'].join('\n'));
    expect(problems).toEqual([{ file: 'hosts.ini', line: 4, severity: 'error', message: 'adding group "a" as a child of "b" creates a loop' }]);
  });

  it('keeps the value of [group:vars] lines verbatim after "=" (no inline comments)', () => {
    const { inv } = parse(['[web]', 'w1', '[web:vars]', 'motd=hello # world', 'eq=a=b'].join('\n'));
    expect(inv.groups.get('web')?.vars.get('motd')?.value).toBe('hello # world');
    expect(inv.groups.get('web')?.vars.get('eq')?.value).toBe('a=b');
  });

  it('sets ansible_group_priority as the group priority, not as a var', () => {
    const { inv, problems } = parse(['[web]', 'w1', '[web:vars]', 'ansible_group_priority=7', '[db]', 'd1', '[db:vars]', 'ansible_group_priority=high'].join('\n'));
    expect(inv.groups.get('web')?.priority).toBe(7);
    expect(inv.groups.get('web')?.vars.has('ansible_group_priority')).toBe(false);
    expect(problems).toEqual([
      { file: 'hosts.ini', line: 8, severity: 'error', message: 'ansible_group_priority of group "db" must be an integer, got "high"' },
    ]);
  });

  it('moves hosts out of ungrouped once they are in a group', () => {
    const { inv } = parse(['w1', '[web]', 'w1'].join('\n'));
    expect(inv.hosts.get('w1')?.groups).toEqual(['web']);
    expect(inv.groups.get('ungrouped')?.hosts).toEqual([]);
  });
});
