// Ansible inventory importer: `previewInventory` is the entry point; the parts are exported for
// callers (CLI, RPC handlers) that need them on their own.
export { previewInventory } from './preview';
export type { InventoryEnv, InventorySource } from './preview';
export { detectFormat } from './detect-format';
export type { InventoryFormat } from './detect-format';
export { parseIniInventory } from './ini-inventory';
export { parseYamlInventory } from './yaml-inventory';
export { expandHostRanges, parseHostPattern, splitHostPort } from './host-ranges';
export { parseHaproxySocket } from './haproxy-socket';
export { hostVarLayers, mergeHostVars } from './precedence';
export { groupHosts, hostGroups, sortGroups } from './inventory-model';
export type { GroupNode, HostNode, Inventory } from './inventory-model';
export { loadVarsDirs, parseVarsFile } from './vars-dirs';
export type { FsLike, VarsFiles } from './vars-dirs';
export { resolveVar } from './templating';
export { Problems } from './problems';
export type { Loc, VarDef, VarMap } from './problems';
