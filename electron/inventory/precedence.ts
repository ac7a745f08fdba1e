// The variables a host ends up with, merged like Ansible's VariableManager.get_vars with the
// default VARIABLE_PRECEDENCE (low -> high; later replaces earlier, key by key):
//   1. inventory-file vars of `all`
//   2. inventory-file vars of the host's other groups, in sort_groups order
//      (depth from `all`, then ansible_group_priority, then name)
//   3. group_vars/all
//   4. group_vars/<group> for the same groups, same order
//   5. inventory-file host vars
//   6. host_vars/<host>
// Each value keeps the file and line of its winning definition.
import type { Inventory } from './inventory-model';
import { ALL, hostGroups, sortGroups } from './inventory-model';
import type { VarMap } from './problems';
import type { VarsFiles } from './vars-dirs';

export interface VarLayer {
  /** For tests and diagnostics: which layer this is. */
  label: string;
  vars: VarMap;
}

/** The layers that apply to one host, lowest precedence first. */
export function hostVarLayers(inv: Inventory, host: string, files?: VarsFiles): VarLayer[] {
  const layers: VarLayer[] = [];
  const push = (label: string, vars: VarMap | undefined): void => {
    if (vars && vars.size > 0) layers.push({ label, vars });
  };
  const groups = sortGroups(inv, hostGroups(inv, host).filter((g) => g !== ALL));
  push('inventory group all', inv.groups.get(ALL)?.vars);
  for (const g of groups) push(`inventory group ${g}`, inv.groups.get(g)?.vars);
  push('group_vars/all', files?.groups.get(ALL));
  for (const g of groups) push(`group_vars/${g}`, files?.groups.get(g));
  push(`inventory host ${host}`, inv.hosts.get(host)?.vars);
  push(`host_vars/${host}`, files?.hosts.get(host));
  return layers;
}

export function mergeHostVars(inv: Inventory, host: string, files?: VarsFiles): VarMap {
  const out: VarMap = new Map();
  for (const layer of hostVarLayers(inv, host, files)) for (const [k, v] of layer.vars) out.set(k, v);
  return out;
}
