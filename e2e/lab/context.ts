import type { ProcessTable } from './procs';
import type { HostName, LabHost } from './types';

/** What the service, fault and hold helpers need to know about a running lab. */
export interface LabCore {
  slot: number;
  dir: string;
  hosts: Record<HostName, LabHost>;
  procs: ProcessTable;
}
