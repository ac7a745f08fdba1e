import type { PendingHostKey, PinnedHostKey } from '../../shared/domain/host-keys';
import { keyId } from '../host-keys/host-key-view';
import type { Slice } from './slice';
import type { ShownError } from './types';

export interface HostKeysSlice {
  /** Keys seen but not trusted, as the core reports them (pushes and polls merged). */
  pendingKeys: PendingHostKey[];
  /** Keys the admin refused or acknowledged in this session: not asked about again until reopened. */
  dismissedKeys: string[];
  keyBusy: boolean;
  keyError: ShownError | null;
  /** Pinned keys (own and read-only files), to say where a refused key's old pin lives. */
  pins: PinnedHostKey[];
  setPins(pins: PinnedHostKey[]): void;
  upsertPendingKey(p: PendingHostKey): void;
  replacePendingKeys(list: PendingHostKey[]): void;
  removePendingKey(id: string): void;
  dismissKey(id: string): void;
  reopenKeys(): void;
  setKeyBusy(busy: boolean, error?: ShownError | null): void;
}

export const createHostKeysSlice: Slice<HostKeysSlice> = (set) => ({
  pendingKeys: [],
  dismissedKeys: [],
  keyBusy: false,
  keyError: null,
  pins: [],
  setPins: (pins) => set({ pins }),
  upsertPendingKey: (p) =>
    set((s) => {
      const id = keyId(p);
      const rest = s.pendingKeys.filter((k) => keyId(k) !== id);
      return { pendingKeys: [...rest, p].sort((a, b) => a.seenAt - b.seenAt) };
    }),
  replacePendingKeys: (list) => set({ pendingKeys: [...list].sort((a, b) => a.seenAt - b.seenAt) }),
  removePendingKey: (id) => set((s) => ({ pendingKeys: s.pendingKeys.filter((k) => keyId(k) !== id) })),
  dismissKey: (id) => set((s) => ({ dismissedKeys: [...new Set([...s.dismissedKeys, id])], keyError: null })),
  reopenKeys: () => set({ dismissedKeys: [], keyError: null }),
  setKeyBusy: (keyBusy, keyError = null) => set({ keyBusy, keyError }),
});
