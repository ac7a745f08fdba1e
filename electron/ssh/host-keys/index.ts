/** Host-key trust for ssh2 connections: known_hosts parsing, the trust store, the ssh2 verifier. */
export * from './known-hosts-format';
export { classifyHostKey, hostKeyFromBlob, pinsForHost, type HostKeyCheck, type KnownHostsSource, type RevokedBy } from './host-key-rules';
export { changedHostKeyError, revokedHostKeyError, unknownHostKeyError, ACCEPT_FLAG, FORGET_COMMAND } from './host-key-messages';
export { readKnownHostsFile } from './known-hosts-file';
export * from './host-key-store';
export * from './host-verifier';
export * from './pending-host-keys';
