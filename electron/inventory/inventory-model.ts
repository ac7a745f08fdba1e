// Groups, hosts and their inline vars, built the way Ansible's InventoryData builds them:
// groups and hosts merge across every place they are mentioned, `all` and `ungrouped` always
// exist, parentless groups become children of `all`, and a group's depth is its longest
// distance from `all` (Group.depth), which drives the group-vars merge order.
import type { Problems, VarDef, VarMap } from './problems';
import { show } from './problems';

export interface GroupNode {
  name: string;
  /** First mention in the inventory file; 0 for the implicit `all` / `ungrouped`. */
  line: number;
  vars: VarMap;
  children: string[];
  parents: string[];
  /** Hosts listed directly under this group, in order of first mention. */
  hosts: string[];
  /** ansible_group_priority; default 1. */
  priority: number;
}

export interface HostNode {
  name: string;
  /** First mention in the inventory file. */
  line: number;
  vars: VarMap;
  /** Groups the host is listed in directly. */
  groups: string[];
}

export interface Inventory {
  file: string;
  groups: Map<string, GroupNode>;
  /** In order of first mention. */
  hosts: Map<string, HostNode>;
  /** Longest distance from `all` (0 for `all`). */
  depth: Map<string, number>;
}

export const ALL = 'all';
export const UNGROUPED = 'ungrouped';

export class InventoryBuilder {
  readonly groups = new Map<string, GroupNode>();
  readonly hosts = new Map<string, HostNode>();

  constructor(
    readonly file: string,
    private readonly problems: Problems,
  ) {
    this.group(ALL, 0);
    this.group(UNGROUPED, 0);
  }

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  /** Declares (or finds) a group; the first real mention gives it its line. */
  group(name: string, line: number): GroupNode {
    let g = this.groups.get(name);
    if (!g) {
      g = { name, line, vars: new Map(), children: [], parents: [], hosts: [], priority: 1 };
      this.groups.set(name, g);
    } else if (g.line === 0 && line > 0) {
      g.line = line;
    }
    return g;
  }

  /** Makes `child` a child of `parent`; refuses loops as Ansible does. */
  addChild(parent: string, child: string, line: number): boolean {
    const p = this.group(parent, line);
    const c = this.group(child, line);
    if (child === ALL) {
      this.problems.error(this.file, line, `group "all" cannot be a child of "${parent}"`);
      return false;
    }
    if (parent === child) {
      this.problems.error(this.file, line, `group "${parent}" cannot be a child of itself`);
      return false;
    }
    if (p.children.includes(child)) return true;
    if (this.isDescendant(parent, child)) {
      this.problems.error(this.file, line, `adding group "${child}" as a child of "${parent}" creates a loop`);
      return false;
    }
    p.children.push(child);
    c.parents.push(parent);
    return true;
  }

  /**
   * Adds a host occurrence, optionally in a group. A `host:port` shorthand sets ansible_port
   * only when the host is first created (Ansible's Host(name, port)).
   */
  host(name: string, line: number, group?: string, port?: number): HostNode {
    let h = this.hosts.get(name);
    if (!h) {
      h = { name, line, vars: new Map(), groups: [] };
      this.hosts.set(name, h);
      if (port !== undefined) h.vars.set('ansible_port', { value: port, file: this.file, line });
    }
    if (group !== undefined) {
      const g = this.group(group, line);
      if (!g.hosts.includes(name)) g.hosts.push(name);
      if (!h.groups.includes(group)) h.groups.push(group);
    }
    return h;
  }

  setHostVar(host: string, key: string, def: VarDef): void {
    this.host(host, def.line).vars.set(key, def);
  }

  /** Sets an inline group var; ansible_group_priority sets the priority instead (Group.set_variable). */
  setGroupVar(group: string, key: string, def: VarDef): void {
    const g = this.group(group, def.line);
    if (key === 'ansible_group_priority') {
      const v = def.value;
      const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[-+]?[0-9]+\s*$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n)) {
        this.problems.error(def.file, def.line, `ansible_group_priority of group "${group}" must be an integer, got ${show(v)}`);
        return;
      }
      g.priority = n;
      return;
    }
    g.vars.set(key, def);
  }

  /** Ansible's reconcile_inventory: parentless groups under `all`, lonely hosts in `ungrouped`. */
  finish(): Inventory {
    for (const g of this.groups.values()) {
      if (g.name !== ALL && g.parents.length === 0) this.addChild(ALL, g.name, 0);
    }
    const ungrouped = this.group(UNGROUPED, 0);
    for (const h of this.hosts.values()) {
      const real = h.groups.filter((n) => n !== ALL && n !== UNGROUPED);
      if (real.length === 0 && !h.groups.includes(UNGROUPED)) {
        h.groups.push(UNGROUPED);
        ungrouped.hosts.push(h.name);
      } else if (real.length > 0 && h.groups.includes(UNGROUPED)) {
        h.groups = h.groups.filter((n) => n !== UNGROUPED);
        ungrouped.hosts = ungrouped.hosts.filter((n) => n !== h.name);
      }
    }
    return { file: this.file, groups: this.groups, hosts: this.hosts, depth: computeDepths(this.groups) };
  }

  private isDescendant(name: string, of: string): boolean {
    const seen = new Set<string>();
    const stack = [of];
    while (stack.length > 0) {
      const cur = stack.pop() as string;
      if (cur === name) return true;
      if (seen.has(cur)) continue;
      seen.add(cur);
      stack.push(...(this.groups.get(cur)?.children ?? []));
    }
    return false;
  }
}

function computeDepths(groups: Map<string, GroupNode>): Map<string, number> {
  const depth = new Map<string, number>();
  const visit = (name: string, trail: Set<string>): number => {
    const known = depth.get(name);
    if (known !== undefined) return known;
    const g = groups.get(name);
    let d = 0;
    if (g && name !== ALL && !trail.has(name)) {
      trail.add(name);
      for (const p of g.parents) d = Math.max(d, visit(p, trail) + 1);
      trail.delete(name);
    }
    depth.set(name, d);
    return d;
  };
  for (const name of groups.keys()) visit(name, new Set());
  return depth;
}

/** Every group a host belongs to, directly or through parents, `all` included. */
export function hostGroups(inv: Inventory, host: string): string[] {
  const h = inv.hosts.get(host);
  const out = new Set<string>();
  const stack = [...(h?.groups ?? [])];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    stack.push(...(inv.groups.get(name)?.parents ?? []));
  }
  out.add(ALL);
  return [...out];
}

/** A group and all its descendants. */
export function descendantGroups(inv: Inventory, group: string): Set<string> {
  const out = new Set<string>();
  const stack = [group];
  while (stack.length > 0) {
    const name = stack.pop() as string;
    if (out.has(name)) continue;
    out.add(name);
    stack.push(...(inv.groups.get(name)?.children ?? []));
  }
  return out;
}

/** Hosts of a group including its children's, in inventory order. */
export function groupHosts(inv: Inventory, group: string): string[] {
  if (group === ALL) return [...inv.hosts.keys()];
  const groups = descendantGroups(inv, group);
  return [...inv.hosts.values()].filter((h) => h.groups.some((g) => groups.has(g))).map((h) => h.name);
}

/** Ansible's sort_groups: by depth, then ansible_group_priority, then name. */
export function sortGroups(inv: Inventory, names: Iterable<string>): string[] {
  const key = (n: string): [number, number] => [inv.depth.get(n) ?? 0, inv.groups.get(n)?.priority ?? 1];
  return [...names].sort((a, b) => {
    const [da, pa] = key(a);
    const [db, pb] = key(b);
    if (da !== db) return da - db;
    if (pa !== pb) return pa - pb;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
