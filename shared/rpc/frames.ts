import { z } from 'zod';
import { cdErrorSchema } from '../errors';

// Every frame is schema-checked on arrival, on both sides: a transport is a trust boundary.
export const frameSchema = z.union([
  z.object({ t: z.literal('req'), id: z.number().int().nonnegative(), method: z.string().max(100), params: z.unknown() }),
  z.object({ t: z.literal('res'), id: z.number().int().nonnegative(), ok: z.literal(true), value: z.unknown() }),
  z.object({ t: z.literal('res'), id: z.number().int().nonnegative(), ok: z.literal(false), error: cdErrorSchema }),
  z.object({ t: z.literal('cancel'), id: z.number().int().nonnegative() }),
  z.object({ t: z.literal('sub'), topic: z.string().max(100) }),
  z.object({ t: z.literal('unsub'), topic: z.string().max(100) }),
  z.object({ t: z.literal('evt'), topic: z.string().max(100), payload: z.unknown() }),
]);
export type Frame = z.infer<typeof frameSchema>;

export type Unsubscribe = () => void;

/** A bidirectional frame pipe: in-memory, Electron IPC or a WebSocket. RPC code knows nothing else. */
export interface Transport {
  send(frame: Frame): void;
  onMessage(cb: (data: unknown) => void): Unsubscribe;
  onClose(cb: () => void): Unsubscribe;
  close(): void;
}
