import { z } from 'zod';
import { actionProgressSchema } from '../domain/action';
import { auditEntrySchema } from '../domain/audit';
import { configProgressSchema } from '../domain/config-change';
import { pendingHostKeySchema } from '../domain/host-keys';
import { pushProgressSchema, syncMatrixSchema } from '../domain/managed-files';
import { clusterStatusSchema, linkStatusSchema } from '../domain/status';
import { cdErrorSchema } from '../errors';
import { topic } from '../rpc/define';

export const commandLogSchema = z.object({
  at: z.number(),
  cluster: z.string().nullable(),
  /** The LB or host the command went to. */
  target: z.string(),
  kind: z.enum(['runtime', 'ssh']),
  command: z.string(),
  reply: z.string(),
  ms: z.number(),
  error: cdErrorSchema.nullable(),
});
export type CommandLog = z.infer<typeof commandLogSchema>;

export const topics = {
  'status.changed': topic({ doc: 'A fresh status snapshot of a watched cluster.', payload: clusterStatusSchema }),
  'links.changed': topic({ doc: 'An SSH link changed state or measured a new round trip.', payload: linkStatusSchema }),
  'actions.progress': topic({ doc: 'Per-LB progress of a running node action.', payload: actionProgressSchema }),
  'audit.appended': topic({ doc: 'A new audit log entry.', payload: auditEntrySchema }),
  'hostKeys.seen': topic({ doc: 'A host presented a key that is not trusted: unknown (ask), changed or revoked (refused).', payload: pendingHostKeySchema }),
  'config.progress': topic({ doc: 'A step of a configuration change on one host (validate, replace, reload...).', payload: configProgressSchema }),
  'push.progress': topic({ doc: 'Per-host progress of a running push (drain, push, wait for the port, ready, verify).', payload: pushProgressSchema }),
  'sync.changed': topic({ doc: "A watched cluster's sync matrix after a check found something new.", payload: syncMatrixSchema }),
  'commands.log': topic({ doc: 'A runtime-API command or SSH command and its reply, as sent.', payload: commandLogSchema }),
};
