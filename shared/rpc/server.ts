import { CdError, toErrorData } from '../errors';
import type { Contract, MethodName, ParamsOut, PayloadOf, ResultIn, TopicName } from './define';
import { hasMethod, hasTopic } from './define';
import { frameSchema, type Frame, type Transport } from './frames';

export interface HandlerContext {
  /** Aborted when the caller cancels, times out or disconnects. */
  signal: AbortSignal;
  /** Who is calling, as the transport adapter vouches for it (e.g. 'cli', 'ui'). */
  peer: string;
}

export type Handlers<C extends Contract> = {
  [K in MethodName<C>]: (params: ParamsOut<C, K>, ctx: HandlerContext) => Promise<ResultIn<C, K>>;
};

export interface RpcServer<C extends Contract> {
  /** Serves one transport until it closes; returns a function that detaches it. */
  attach(transport: Transport, peer: string): () => void;
  /** Pushes to every attached transport subscribed to the topic; the payload is checked first. */
  publish<K extends TopicName<C>>(topic: K, payload: PayloadOf<C, K>): void;
}

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * Dispatches only methods listed in the contract, validates every argument before the handler
 * sees it and every result before it leaves (fail closed), and answers with one error envelope.
 */
export function createRpcServer<C extends Contract>(contract: C, handlers: Handlers<C>): RpcServer<C> {
  for (const name of Object.keys(contract.methods)) {
    if (typeof (handlers as Record<string, unknown>)[name] !== 'function') throw new Error(`no handler for ${name}`);
  }
  const peers = new Set<{ transport: Transport; topics: Set<string> }>();

  return {
    attach(transport, peer) {
      const topics = new Set<string>();
      const entry = { transport, topics };
      const inflight = new Map<number, AbortController>();
      peers.add(entry);
      const send = (f: Frame): void => {
        try {
          transport.send(f);
        } catch {
          // the peer went away mid-call; its close handler aborts what is left
        }
      };

      const handle = async (id: number, name: string, raw: unknown): Promise<void> => {
        if (!hasMethod(contract, name)) {
          send({ t: 'res', id, ok: false, error: { code: 'UNKNOWN_METHOD', message: `no such method: ${name}` } });
          return;
        }
        const def = contract.methods[name]!;
        const parsed = def.params.safeParse(raw);
        if (!parsed.success) {
          send({ t: 'res', id, ok: false, error: { code: 'INVALID_ARGUMENT', message: `${name}: ${describeIssues(parsed.error.issues)}` } });
          return;
        }
        const ac = new AbortController();
        inflight.set(id, ac);
        try {
          const fn = (handlers as Record<string, (p: unknown, c: HandlerContext) => Promise<unknown>>)[name]!;
          const value = await fn(parsed.data, { signal: ac.signal, peer });
          const checked = def.result.safeParse(value);
          if (!checked.success) {
            throw new CdError('INTERNAL', `${name} produced a result outside the contract: ${describeIssues(checked.error.issues)}`);
          }
          send({ t: 'res', id, ok: true, value: checked.data });
        } catch (e) {
          send({ t: 'res', id, ok: false, error: toErrorData(e) });
        } finally {
          inflight.delete(id);
        }
      };

      const offMsg = transport.onMessage((data) => {
        const parsed = frameSchema.safeParse(data);
        if (!parsed.success) return;
        const f = parsed.data;
        switch (f.t) {
          case 'req':
            void handle(f.id, f.method, f.params);
            break;
          case 'cancel':
            inflight.get(f.id)?.abort(new CdError('CANCELLED', 'cancelled by the caller'));
            break;
          case 'sub':
            if (hasTopic(contract, f.topic)) topics.add(f.topic);
            break;
          case 'unsub':
            topics.delete(f.topic);
            break;
          default:
            break;
        }
      });
      const detach = (): void => {
        offMsg();
        offClose();
        peers.delete(entry);
        for (const ac of inflight.values()) ac.abort(new CdError('CANCELLED', 'the caller disconnected'));
        inflight.clear();
      };
      const offClose = transport.onClose(detach);
      return detach;
    },
    publish(topicName, payload) {
      const def = contract.topics[topicName];
      if (!def) throw new CdError('UNKNOWN_METHOD', `no such topic: ${topicName}`);
      // Validation guards what leaves; with no subscriber nothing leaves, and actions publish often.
      if (![...peers].some((p) => p.topics.has(topicName))) return;
      const checked = def.payload.safeParse(payload);
      if (!checked.success) throw new CdError('INTERNAL', `payload for ${topicName} is outside the contract: ${describeIssues(checked.error.issues)}`);
      for (const p of peers) {
        if (!p.topics.has(topicName)) continue;
        try {
          p.transport.send({ t: 'evt', topic: topicName, payload: checked.data });
        } catch {
          // closed peers are removed by their close handler
        }
      }
    },
  };
}
