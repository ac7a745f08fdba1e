// From a parsed inventory (plus group_vars/host_vars) to a ClusterSpec: picks the nodes and the
// load balancers, reads their connection, server/backend and socket vars, and reports every
// problem with the file and line of the definition that won.
import { DEFAULT_HAPROXY_SOCKET, clusterSpecSchema } from '../../shared/domain/cluster';
import type { ClusterSpec, HaproxySocket, LbSpec, NodeSpec } from '../../shared/domain/cluster';
import type { InventoryOptions } from '../../shared/domain/inventory';
import { haproxyNameSchema, hostNameSchema } from '../../shared/domain/names';
import { lookupVar, sshEndpoint, stringVar } from './connection';
import type { HostContext } from './connection';
import { parseHaproxySocket } from './haproxy-socket';
import type { Inventory } from './inventory-model';
import { ALL, groupHosts, hostGroups } from './inventory-model';
import { mergeHostVars } from './precedence';
import type { Loc, Problems } from './problems';
import { show } from './problems';
import type { VarsFiles } from './vars-dirs';

export interface BuildInput {
  inv: Inventory;
  files?: VarsFiles;
  options: InventoryOptions;
  /** The inventory file: absolute path, or the name given with its content. */
  file: string;
  inventoryDir?: string;
  homeDir: string;
  localUser?: string;
  now: Date;
}

function firstIssue(r: { success: boolean; error?: { issues: { message: string }[] } }): string {
  return r.error?.issues[0]?.message ?? 'invalid';
}

export function hostContext(input: BuildInput, host: string): HostContext {
  const h = input.inv.hosts.get(host);
  const magic: Record<string, unknown> = {
    inventory_hostname: host,
    inventory_hostname_short: host.split('.')[0] ?? host,
    group_names: hostGroups(input.inv, host).filter((g) => g !== ALL).sort(),
  };
  if (input.inventoryDir !== undefined) {
    magic.inventory_file = input.file;
    magic.inventory_dir = input.inventoryDir;
  }
  const ctx: HostContext = {
    host,
    loc: { file: input.file, line: h?.line ?? 0 },
    tctx: { vars: mergeHostVars(input.inv, host, input.files), magic },
    homeDir: input.homeDir,
  };
  if (input.inventoryDir !== undefined) ctx.inventoryDir = input.inventoryDir;
  if (input.localUser !== undefined) ctx.localUser = input.localUser;
  return ctx;
}

/** Hosts of a required group (with its children); reports a missing or empty group. */
function requiredGroupHosts(input: BuildInput, group: string, role: string, problems: Problems): string[] {
  const g = input.inv.groups.get(group);
  if (!g) {
    problems.error(input.file, 0, `the ${role} group "${group}" is not in the inventory`);
    return [];
  }
  const hosts = groupHosts(input.inv, group);
  if (hosts.length === 0) problems.error(input.file, g.line, `the ${role} group "${group}" has no hosts`);
  return hosts;
}

/** Builds the cluster; undefined when any error was reported (all of them are). */
export function buildCluster(input: BuildInput, problems: Problems): ClusterSpec | undefined {
  const { inv, options } = input;
  const contexts = new Map<string, HostContext>();
  const ctxOf = (host: string): HostContext => {
    let c = contexts.get(host);
    if (!c) {
      c = hostContext(input, host);
      contexts.set(host, c);
    }
    return c;
  };

  const lbHosts = requiredGroupHosts(input, options.lbGroup, 'load balancer', problems);
  let nodeHosts: string[];
  if (options.nodesGroup !== undefined) {
    nodeHosts = requiredGroupHosts(input, options.nodesGroup, 'nodes', problems);
  } else {
    nodeHosts = [...inv.hosts.keys()].filter((h) => ctxOf(h).tctx.vars.has(options.serverVar));
    if (nodeHosts.length === 0) {
      problems.error(input.file, 0, `no host has the "${options.serverVar}" variable (its HAProxy server name), so there are no nodes; set it on each node or choose a nodes group`);
    }
  }

  const lbSet = new Set(lbHosts);
  for (const h of nodeHosts) {
    if (lbSet.has(h)) {
      problems.error(input.file, ctxOf(h).loc.line, `host "${h}" is both a node and a load balancer (in group "${options.lbGroup}")`);
      lbSet.delete(h);
    }
  }

  const nodes: NodeSpec[] = [];
  const claims = new Map<string, { host: string; loc: Loc }[]>();
  for (const h of nodeHosts) {
    const ctx = ctxOf(h);
    const nameOk = checkHostName(ctx, problems);
    const ssh = sshEndpoint(ctx, problems);
    const server = haproxyName(ctx, options.serverVar, 'server', problems);
    const backend = haproxyName(ctx, options.backendVar, 'backend', problems);
    if (server && backend) {
      const key = `${backend.value}/${server.value}`;
      claims.set(key, [...(claims.get(key) ?? []), { host: h, loc: server.loc }]);
    }
    if (nameOk && ssh && server && backend) nodes.push({ name: h, ssh, backend: backend.value, server: server.value });
  }
  for (const [key, owners] of claims) {
    if (owners.length < 2) continue;
    for (const o of owners) {
      const others = owners.filter((x) => x.host !== o.host).map((x) => `"${x.host}"`).join(', ');
      problems.error(o.loc.file, o.loc.line, `server ${key} of node "${o.host}" is also claimed by ${others}; each node needs its own server`);
    }
  }

  const lbs: LbSpec[] = [];
  for (const h of lbHosts.filter((x) => lbSet.has(x))) {
    const ctx = ctxOf(h);
    const nameOk = checkHostName(ctx, problems);
    const ssh = sshEndpoint(ctx, problems);
    const socket = haproxySocket(ctx, problems);
    const extras = lbExtras(ctx, problems);
    if (nameOk && ssh && socket && extras) lbs.push({ name: h, ssh, socket, ...extras });
  }

  if (problems.hasErrors) return undefined;
  const sourceOptions: Record<string, string> = {
    cluster: options.cluster,
    lbGroup: options.lbGroup,
    backendVar: options.backendVar,
    serverVar: options.serverVar,
  };
  if (options.nodesGroup !== undefined) sourceOptions.nodesGroup = options.nodesGroup;
  const parsed = clusterSpecSchema.safeParse({
    name: options.cluster,
    nodes,
    lbs,
    source: { kind: 'ansible', file: input.file, importedAt: input.now.toISOString(), options: sourceOptions },
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.error(input.file, 0, `cluster: ${issue.path.join('.')}: ${issue.message}`);
    return undefined;
  }
  return parsed.data;
}

function checkHostName(ctx: HostContext, problems: Problems): boolean {
  const r = hostNameSchema.safeParse(ctx.host);
  if (r.success) return true;
  problems.error(ctx.loc.file, ctx.loc.line, `host name ${JSON.stringify(ctx.host)} cannot be used: ${firstIssue(r)}`);
  return false;
}

function haproxyName(ctx: HostContext, varName: string, what: 'server' | 'backend', problems: Problems): { value: string; loc: Loc } | undefined {
  const r = stringVar(ctx, [varName], problems);
  if (r === 'error') return undefined;
  if (r === 'missing') {
    problems.error(ctx.loc.file, ctx.loc.line, `node "${ctx.host}" has no "${varName}" variable (its HAProxy ${what} name)`);
    return undefined;
  }
  const check = haproxyNameSchema.safeParse(r.value);
  if (!check.success) {
    problems.error(r.loc.file, r.loc.line, `node "${ctx.host}": ${varName} ${show(r.value)} is not a valid HAProxy ${what} name: ${firstIssue(check)}`);
    return undefined;
  }
  return { value: r.value, loc: r.loc };
}

/** Where HAProxy's config and master CLI live on an LB, and how to reload it; each optional. */
function lbExtras(ctx: HostContext, problems: Problems): Pick<LbSpec, 'configPath' | 'masterSocket' | 'reloadCommand'> | undefined {
  const out: { configPath: string; masterSocket: string; reloadCommand?: string } = {
    configPath: '/etc/haproxy/haproxy.cfg',
    masterSocket: '/run/haproxy-master.sock',
  };
  let ok = true;
  const vars = [
    ['haproxy_config', 'configPath', true],
    ['haproxy_master_socket', 'masterSocket', true],
    ['haproxy_reload_command', 'reloadCommand', false],
  ] as const;
  for (const [name, key, isPath] of vars) {
    const r = lookupVar(ctx, [name], problems);
    if (r.kind === 'error') {
      ok = false;
      continue;
    }
    if (r.kind === 'missing') continue;
    if (typeof r.value !== 'string' || r.value.trim() === '' || (isPath && !r.value.startsWith('/'))) {
      problems.error(r.loc.file, r.loc.line, `load balancer "${ctx.host}": ${name} must be ${isPath ? 'an absolute path' : 'a command'}, got ${show(r.value)}`);
      ok = false;
      continue;
    }
    out[key] = r.value;
  }
  return ok ? out : undefined;
}

function haproxySocket(ctx: HostContext, problems: Problems): HaproxySocket | undefined {
  const r = lookupVar(ctx, ['haproxy_socket'], problems);
  if (r.kind === 'error') return undefined;
  if (r.kind === 'missing') {
    const p = DEFAULT_HAPROXY_SOCKET.kind === 'unix' ? DEFAULT_HAPROXY_SOCKET.path : `${DEFAULT_HAPROXY_SOCKET.host}:${DEFAULT_HAPROXY_SOCKET.port}`;
    problems.warn(ctx.loc.file, ctx.loc.line, `load balancer "${ctx.host}" has no haproxy_socket; using the default ${p}`);
    return DEFAULT_HAPROXY_SOCKET;
  }
  if (typeof r.value !== 'string') {
    problems.error(r.loc.file, r.loc.line, `load balancer "${ctx.host}": haproxy_socket must be a string, got ${show(r.value)}`);
    return undefined;
  }
  const s = parseHaproxySocket(r.value);
  if (!s.ok) {
    problems.error(r.loc.file, r.loc.line, `load balancer "${ctx.host}": ${s.message}`);
    return undefined;
  }
  if (s.warning) problems.warn(r.loc.file, r.loc.line, `load balancer "${ctx.host}": ${s.warning}`);
  return s.socket;
}
