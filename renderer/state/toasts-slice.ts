import type { Slice } from './slice';

export interface ToastItem {
  id: string;
  tone: 'ok' | 'warn' | 'error' | 'info';
  title: string;
  body?: string;
  next?: string;
  /** Errors an admin must read stay until dismissed; confirmations fade. */
  sticky: boolean;
}

export interface ToastsSlice {
  toasts: ToastItem[];
  pushToast(t: Omit<ToastItem, 'id'>): string;
  dismissToast(id: string): void;
}

let seq = 0;
const MAX_TOASTS = 6;

export const createToastsSlice: Slice<ToastsSlice> = (set) => ({
  toasts: [],
  pushToast: (t) => {
    const id = `t${++seq}`;
    // Bounded: a burst of results must not bury the screen; the oldest non-sticky go first.
    set((s) => {
      const all = [...s.toasts, { ...t, id }];
      while (all.length > MAX_TOASTS) {
        const i = all.findIndex((x) => !x.sticky);
        all.splice(i >= 0 ? i : 0, 1);
      }
      return { toasts: all };
    });
    return id;
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
});
