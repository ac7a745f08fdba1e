import type { Api } from '../api/client';

// The one handle on the core. Only sync and ops modules use it: components express intents through
// ops functions and read the store, so no component ever knows which transport is underneath.
let current: Api | null = null;

export function setCore(api: Api): void {
  current = api;
}

export function core(): Api {
  if (!current) throw new Error('ClusterDeck is not connected to its core yet');
  return current;
}
