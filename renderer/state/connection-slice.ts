import type { Slice } from './slice';

export interface ConnectionSlice {
  conn: 'connecting' | 'open' | 'closed' | 'failed';
  connError: string | null;
  setConn(conn: ConnectionSlice['conn'], error?: string | null): void;
}

export const createConnectionSlice: Slice<ConnectionSlice> = (set) => ({
  conn: 'connecting',
  connError: null,
  setConn: (conn, error = null) => set({ conn, connError: error }),
});
