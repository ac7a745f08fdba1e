// Variable precedence, end to end: for each layer, the winning value AND that a problem about the
// var points at the winning definition's file and line.
import { describe, expect, it } from 'vitest';
import { memFs } from './fixtures/mem-fs';
import { previewInventory } from './preview';
import type { InventoryPreview } from '../../shared/domain/inventory';

const INV = '/inv/hosts.yml';

// Line numbers matter: tests below point at them.
const inventory = (childHostVars = '') =>
  [
    'all:', // 1
    '  vars:', // 2
    '    lb_backend: from_all_inline', // 3
    '  children:', // 4
    '    parent:', // 5
    '      vars:', // 6
    '        lb_backend: from_parent_inline', // 7
    '      children:', // 8
    '        child:', // 9
    '          vars:', // 10
    '            lb_backend: from_child_inline', // 11
    '          hosts:', // 12
    '            n1:', // 13
    '              lb_server: s1', // 14
    childHostVars, // 15
    '    lbservers:', // 16
    '      hosts:', // 17
    '        lb1:', // 18
  ].join('\n');

async function run(files: Record<string, string>): Promise<InventoryPreview> {
  const fs = memFs(files);
  return previewInventory({ path: INV }, { cluster: 'c' }, { ...fs, localUser: 'deploy', homeDir: '/home/deploy', now: () => new Date(0) });
}

function backend(p: InventoryPreview): string | undefined {
  return p.cluster?.nodes[0]?.backend;
}

function errors(p: InventoryPreview) {
  return p.problems.filter((x) => x.severity === 'error').map(({ file, line, message }) => ({ file, line, message }));
}

describe('variable precedence', () => {
  it('inventory group vars: all < parent < child', async () => {
    const p = await run({ [INV]: inventory() });
    expect(backend(p)).toBe('from_child_inline');
    const bad = await run({ [INV]: inventory().replace('from_child_inline', '"bad name"') });
    expect(errors(bad)).toEqual([
      { file: INV, line: 11, message: `node "n1": lb_backend "bad name" is not a valid HAProxy backend name: may only contain letters, digits, '-', '_', '.', ':'` },
    ]);
    expect(bad.cluster).toBeUndefined();
  });

  it('the parent wins over all when the child does not set the var', async () => {
    const p = await run({ [INV]: inventory().replace('            lb_backend: from_child_inline', '            other: 1') });
    expect(backend(p)).toBe('from_parent_inline');
  });

  const ties = (alphaVars: string) =>
    [
      'alpha:', // 1
      '  vars:', // 2
      '    lb_backend: from_alpha', // 3
      alphaVars, // 4
      '  hosts:', // 5
      '    n1: {lb_server: s1}', // 6
      'beta:', // 7
      '  vars:', // 8
      '    lb_backend: from_beta', // 9
      '  hosts:', // 10
      '    n1:', // 11
      'lbservers:', // 12
      '  hosts: lb1', // 13
    ].join('\n');

  it('groups at the same depth merge in alphabetical order (the later name wins)', async () => {
    const p = await run({ [INV]: ties('') });
    expect(backend(p)).toBe('from_beta');
    const bad = await run({ [INV]: ties('').replace('from_beta', '"be ta"') });
    expect(errors(bad)).toMatchObject([{ file: INV, line: 9 }]);
  });

  it('ansible_group_priority reorders groups of the same depth', async () => {
    const p = await run({ [INV]: ties('    ansible_group_priority: 5') });
    expect(backend(p)).toBe('from_alpha');
    const bad = await run({ [INV]: ties('    ansible_group_priority: 5').replace('from_alpha', '"al pha"') });
    expect(errors(bad)).toMatchObject([{ file: INV, line: 3 }]);
  });

  it('ansible_group_priority does not override depth (a child still beats its parent)', async () => {
    const p = await run({ [INV]: inventory().replace('        lb_backend: from_parent_inline', '        lb_backend: from_parent_inline\n        ansible_group_priority: 100') });
    expect(backend(p)).toBe('from_child_inline');
  });

  it('group_vars/all beats every inventory-file group var', async () => {
    const files = { [INV]: inventory(), '/inv/group_vars/all.yml': '---\nlb_backend: from_gv_all\n' };
    const p = await run(files);
    expect(backend(p)).toBe('from_gv_all');
    expect(p.filesRead).toEqual(['/inv/group_vars/all.yml']);
    const bad = await run({ ...files, '/inv/group_vars/all.yml': '---\nlb_backend: "gv all"\n' });
    expect(errors(bad)).toMatchObject([{ file: '/inv/group_vars/all.yml', line: 2 }]);
  });

  it('group_vars/<group> beats group_vars/all, and the child group beats its parent', async () => {
    const files = {
      [INV]: inventory(),
      '/inv/group_vars/all.yml': 'lb_backend: from_gv_all\n',
      '/inv/group_vars/parent.yaml': 'lb_backend: from_gv_parent\n',
      '/inv/group_vars/child.json': '{\n  "lb_backend": "from_gv_child"\n}\n',
    };
    const p = await run(files);
    expect(backend(p)).toBe('from_gv_child');
    expect(p.filesRead).toEqual(['/inv/group_vars/all.yml', '/inv/group_vars/parent.yaml', '/inv/group_vars/child.json']);
    const bad = await run({ ...files, '/inv/group_vars/child.json': '{\n  "lb_backend": "gv child"\n}\n' });
    expect(errors(bad)).toMatchObject([{ file: '/inv/group_vars/child.json', line: 2 }]);
    const noChild = await run({ ...files, '/inv/group_vars/child.json': '{}' });
    expect(backend(noChild)).toBe('from_gv_parent');
  });

  it('inline host vars beat group_vars/<group>', async () => {
    const files = { [INV]: inventory('              lb_backend: from_host_inline'), '/inv/group_vars/child.yml': 'lb_backend: from_gv_child\n' };
    expect(backend(await run(files))).toBe('from_host_inline');
    const bad = await run({ ...files, [INV]: inventory('              lb_backend: "host inline"') });
    expect(errors(bad)).toMatchObject([{ file: INV, line: 15 }]);
  });

  it('host_vars/<host> beats inline host vars', async () => {
    const files = {
      [INV]: inventory('              lb_backend: from_host_inline'),
      '/inv/host_vars/n1': '# no extension is fine\nlb_backend: from_host_vars\n',
    };
    const p = await run(files);
    expect(backend(p)).toBe('from_host_vars');
    expect(p.filesRead).toEqual(['/inv/host_vars/n1']);
    const bad = await run({ ...files, '/inv/host_vars/n1': '# no extension is fine\nlb_backend: "host vars"\n' });
    expect(errors(bad)).toMatchObject([{ file: '/inv/host_vars/n1', line: 2 }]);
  });

  it('a group_vars directory loads its files in lexical order, later ones winning', async () => {
    const files = {
      [INV]: inventory(),
      '/inv/group_vars/child/10-b.yml': 'lb_backend: from_dir_10\nlb_server: s_dir\n',
      '/inv/group_vars/child/02-a.yaml': 'lb_backend: from_dir_02\nhaproxy_socket: /x\n',
      '/inv/group_vars/child/sub/30-c.yml': 'lb_backend: from_dir_sub\n',
      '/inv/group_vars/child/.hidden.yml': 'lb_backend: hidden\n',
      '/inv/group_vars/child/99-backup.yml~': 'lb_backend: backup\n',
      '/inv/group_vars/child/notes.txt': 'lb_backend: txt\n',
      '/inv/group_vars/child.yml': 'lb_backend: shadowed_by_dir\n',
    };
    const p = await run(files);
    // '10-b.yml' < 'sub', so the sub-directory's file is read last.
    expect(backend(p)).toBe('from_dir_sub');
    expect(p.filesRead).toEqual([
      '/inv/group_vars/child/02-a.yaml',
      '/inv/group_vars/child/10-b.yml',
      '/inv/group_vars/child/sub/30-c.yml',
    ]);
    expect(p.problems).toContainEqual({
      file: '/inv/group_vars/child.yml',
      line: 0,
      severity: 'warning',
      message: 'ignored: Ansible reads only the first of child, child.yml for group "child", here child',
    });
    // host inline lb_server (line 14) beats the group_vars directory's lb_server
    expect(p.cluster?.nodes[0]?.server).toBe('s1');
  });

  it('reports YAML errors in vars files with their own file and line', async () => {
    const p = await run({ [INV]: inventory(), '/inv/group_vars/parent.yml': 'a: 1\nb: [1, 2\nc: 3\n' });
    expect(p.cluster).toBeUndefined();
    const errs = errors(p);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ file: '/inv/group_vars/parent.yml', line: 3 });
    expect(errs[0]?.message).toMatch(/^YAML syntax error: .*flow sequence/i);
    expect(p.filesRead).toEqual(['/inv/group_vars/parent.yml']);
  });

  it('rejects a vars file that is not a mapping, at its line', async () => {
    const p = await run({ [INV]: inventory(), '/inv/host_vars/n1.yml': '# list\n- a\n- b\n' });
    expect(errors(p)).toEqual([{ file: '/inv/host_vars/n1.yml', line: 2, message: 'a vars file must be a mapping of variables, not a list' }]);
  });

  it('skips vault-encrypted vars files with a warning', async () => {
    const p = await run({ [INV]: inventory(), '/inv/group_vars/all/vault.yml': '$ANSIBLE_VAULT;1.1;AES256\n6162\n' });
    expect(backend(p)).toBe('from_child_inline');
    expect(p.problems).toContainEqual({
      file: '/inv/group_vars/all/vault.yml',
      line: 1,
      severity: 'warning',
      message: 'vault-encrypted file skipped: ClusterDeck cannot decrypt it, so its variables are not used',
    });
  });
});
