// IPC channel names, shared by the preload and the main process. Kept in a file of its own because
// the preload is bundled for a sandboxed renderer and must not pull in anything that needs Node.
export const IPC = {
  invoke: 'cd:invoke',
  subscribe: 'cd:subscribe',
  unsubscribe: 'cd:unsubscribe',
  event: 'cd:event',
} as const;
