export type NodeName = 'node1' | 'node2' | 'node3';
export type LbName = 'lb1' | 'lb2';
export type HostName = NodeName | LbName;
export type ServiceName = 'sshd' | 'haproxy' | 'app';
export type HostKeyType = 'ssh-ed25519' | 'ecdsa-sha2-nistp256';

export interface LabHost {
  name: HostName;
  role: 'node' | 'lb';
  ip: string;
  sshPort: number;
  /** Network namespace the host's processes live in, e.g. `cdl3-node1`. */
  netns: string;
  /** Host-side end of the host's veth pair (the one cutLink sets down). */
  vethHost: string;
}

export interface ServerStatus {
  /** `show stat` status column: UP, DOWN, MAINT, DRAIN, "UP 1/2"... */
  status: string;
  /** Current sessions on that server as seen by this LB. */
  scur: number;
  /** srv_admin_state bit field from `show servers state` (0 = ready, 1 = forced maint, 8 = forced drain...). */
  admin: number;
}

export interface RuntimeOptions {
  /** Talk to the master CLI instead of the admin socket. */
  master?: boolean;
  timeoutMs?: number;
}

export interface WaitOptions {
  timeoutMs: number;
  what: string;
  intervalMs?: number;
}

export interface LabAgent {
  socket: string;
  pid: number;
  stop(): Promise<void>;
}

export interface HoldHandle {
  /** Settles when the held request finishes: the HTTP status, or rejects (already marked handled) on a network error. */
  done: Promise<number>;
}

export interface LabFaults {
  stop(host: HostName, service: ServiceName): Promise<void>;
  /** Starts the service again and waits until it is ready (sshd banner, app answers HTTP, haproxy socket + frontend). */
  start(host: HostName, service: ServiceName): Promise<void>;
  /** Silently drops the host's traffic by setting its host-side veth down. */
  cutLink(host: HostName): Promise<void>;
  healLink(host: HostName): Promise<void>;
  /** Moves the cluster's virtual IP to this LB (or drops it everywhere with null), as a failover would. */
  moveVip(to: LbName | null): Promise<void>;
  /** SIGKILL the master and every worker; sockets are left behind as stale files, like a real crash. */
  killHaproxy(lb: LbName): Promise<void>;
  /** New ed25519 + ecdsa host keys; sshd restarted and accepting again. */
  rotateHostKey(host: HostName): Promise<void>;
}

export interface Lab {
  slot: number;
  dir: string;
  /** e.g. '10.88.3.0/24' */
  subnet: string;
  hosts: Record<HostName, LabHost>;
  backend: 'app';
  /** The cluster's virtual IP; lb1 holds it when the lab starts. */
  vip: string;
  keyFile: string;
  encryptedKeyFile: string;
  passphrase: string;
  inventoryYaml: string;
  inventoryIni: string;
  /** `<dir>/known_hosts` with every host's keys (both types); rewritten by rotateHostKey. */
  knownHostsFile: string;
  knownHostsLines(types?: HostKeyType[]): string[];
  hostKeyFingerprint(host: HostName, type?: HostKeyType | 'ed25519' | 'ecdsa'): string;
  adminSocketPath(lb: LbName): string;
  masterSocketPath(lb: LbName): string;
  runtime(lb: LbName, command: string, opts?: RuntimeOptions): Promise<string>;
  serverStatus(lb: LbName, server: string): Promise<ServerStatus>;
  waitFor(cond: () => Promise<boolean>, opts: WaitOptions): Promise<void>;
  startAgent(): Promise<LabAgent>;
  hold(lb: LbName, node: NodeName, seconds: number): Promise<HoldHandle>;
  fault: LabFaults;
  stop(): Promise<void>;
}

export interface StartLabOptions {
  slot?: number;
  /** Must not exist or be empty; removed by stop(). Default: a fresh temp dir. */
  dir?: string;
}
