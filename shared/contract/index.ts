import { defineContract } from '../rpc/define';
import { clusterMethods } from './clusters';
import { failoverMethods } from './failover';
import { fileMethods } from './files';
import { operationMethods } from './operations';
import { recoverMethods } from './recover';
import { reloadsMethods } from './reloads';
import { topics } from './topics';

/** The whole API between the core and any UI or CLI. */
export const CONTRACT = defineContract({
  methods: { ...clusterMethods, ...operationMethods, ...failoverMethods, ...fileMethods, ...recoverMethods, ...reloadsMethods },
  topics,
});

export type ClusterDeckContract = typeof CONTRACT;
export { clusterSummarySchema, inventorySourceSchema } from './clusters';
export { commandLogSchema, type CommandLog } from './topics';
