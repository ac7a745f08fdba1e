/** ClusterDeck test lab: a real three-node, two-LB cluster in network namespaces (root only). */
export { startLab } from './lab';
export { cleanupAllLabs, type CleanupOptions } from './cleanup';
export { labAvailable } from './availability';
export { installSignalCleanup } from './signal-cleanup';
export { labPids } from './teardown';
export { LabError, LabTimeoutError, LabCommandError } from './errors';
export { HOST_NAMES, NODE_NAMES, LB_NAMES, planHosts, subnetOf } from './plan';
export type * from './types';
export { OPERATOR_SOCKET, RUNTIME_TCP_PORT } from './render';
