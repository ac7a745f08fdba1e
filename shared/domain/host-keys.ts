import { z } from 'zod';

/** A host key as presented by a server or pinned in a known_hosts file. */
export const hostKeySchema = z.object({
  /** The host as ClusterDeck dials it (address, not inventory name). */
  host: z.string(),
  port: z.number().int(),
  /** ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa ... */
  keyType: z.string(),
  /** OpenSSH style: SHA256:<base64 without padding>. */
  fingerprint: z.string(),
  /** Base64 of the public key blob. */
  key: z.string(),
});
export type HostKey = z.infer<typeof hostKeySchema>;

export const pinnedHostKeySchema = hostKeySchema.extend({
  /** Which file pins it: ClusterDeck's own, or an extra read-only file the admin trusts. */
  source: z.string(),
  readOnly: z.boolean(),
  line: z.number().int(),
});
export type PinnedHostKey = z.infer<typeof pinnedHostKeySchema>;

/** A key seen during a connection attempt that is not trusted (yet). */
export const pendingHostKeySchema = hostKeySchema.extend({
  status: z.enum(['unknown', 'changed', 'revoked']),
  /** For a changed key: the fingerprints pinned for this host. */
  expected: z.array(z.string()),
  /** Inventory names of the hosts that dial this address. */
  names: z.array(z.string()),
  seenAt: z.number(),
});
export type PendingHostKey = z.infer<typeof pendingHostKeySchema>;
