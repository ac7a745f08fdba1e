import { CdError, fromErrorData } from '../errors';
import type { Contract, MethodName, ParamsIn, PayloadOf, ResultOf, TopicName } from './define';
import { hasMethod, hasTopic } from './define';
import { frameSchema, type Transport, type Unsubscribe } from './frames';

export interface CallOptions {
  /** Overrides the method's default deadline; null waits forever. */
  timeoutMs?: number | null;
  signal?: AbortSignal;
}

export interface RpcClient<C extends Contract> {
  call<K extends MethodName<C>>(method: K, params: ParamsIn<C, K>, opts?: CallOptions): Promise<ResultOf<C, K>>;
  subscribe<K extends TopicName<C>>(topic: K, cb: (payload: PayloadOf<C, K>) => void): Unsubscribe;
  close(): void;
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  cleanup: () => void;
}

/**
 * The only way any caller (CLI, renderer, tests) reaches the core. Results and pushed payloads are
 * parsed with the contract's schemas here too, so a version skew shows up as an error, not as bad data.
 */
export function createRpcClient<C extends Contract>(contract: C, transport: Transport): RpcClient<C> {
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();

  const failAll = (err: CdError): void => {
    for (const p of pending.values()) {
      p.cleanup();
      p.reject(err);
    }
    pending.clear();
  };

  transport.onClose(() => {
    closed = true;
    failAll(new CdError('CANCELLED', 'the connection to ClusterDeck closed'));
  });

  transport.onMessage((data) => {
    const parsed = frameSchema.safeParse(data);
    if (!parsed.success) return; // a malformed frame can't be attributed to any call; drop it
    const f = parsed.data;
    if (f.t === 'res') {
      const p = pending.get(f.id);
      if (!p) return;
      pending.delete(f.id);
      p.cleanup();
      if (!f.ok) {
        p.reject(fromErrorData(f.error));
        return;
      }
      const def = contract.methods[p.method];
      const r = def ? def.result.safeParse(f.value) : null;
      if (!r || !r.success) {
        p.reject(new CdError('INTERNAL', `reply to ${p.method} did not match the contract: ${r ? r.error.message : 'unknown method'}`));
        return;
      }
      p.resolve(r.data);
    } else if (f.t === 'evt') {
      const set = listeners.get(f.topic);
      const def = contract.topics[f.topic];
      if (!set || !def) return;
      const r = def.payload.safeParse(f.payload);
      if (!r.success) return;
      for (const cb of set) cb(r.data);
    }
  });

  return {
    call(method, params, opts = {}) {
      if (!hasMethod(contract, method)) return Promise.reject(new CdError('UNKNOWN_METHOD', `no such method: ${method}`));
      if (closed) return Promise.reject(new CdError('CANCELLED', 'the connection to ClusterDeck is closed'));
      const def = contract.methods[method]!;
      const id = nextId++;
      const timeoutMs = opts.timeoutMs === undefined ? def.timeoutMs : opts.timeoutMs;
      return new Promise((resolve, reject) => {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const onAbort = (): void => {
          if (!pending.delete(id)) return;
          cleanup();
          transport.send({ t: 'cancel', id });
          reject(new CdError('CANCELLED', `${method} was cancelled`));
        };
        const cleanup = (): void => {
          if (timer) clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
        };
        if (timeoutMs !== null) {
          timer = setTimeout(() => {
            if (!pending.delete(id)) return;
            cleanup();
            transport.send({ t: 'cancel', id });
            reject(new CdError('TIMEOUT', `${method} did not answer within ${timeoutMs} ms`));
          }, timeoutMs);
        }
        if (opts.signal) {
          if (opts.signal.aborted) return onAbort();
          opts.signal.addEventListener('abort', onAbort, { once: true });
        }
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, cleanup });
        try {
          transport.send({ t: 'req', id, method, params });
        } catch (e) {
          pending.delete(id);
          cleanup();
          reject(new CdError('CANCELLED', `could not send ${method}: ${(e as Error).message}`));
        }
      });
    },
    subscribe(topicName, cb) {
      if (!hasTopic(contract, topicName)) throw new CdError('UNKNOWN_METHOD', `no such topic: ${topicName}`);
      let set = listeners.get(topicName);
      if (!set) {
        set = new Set();
        listeners.set(topicName, set);
        if (!closed) transport.send({ t: 'sub', topic: topicName });
      }
      const fn = cb as (p: unknown) => void;
      set.add(fn);
      return () => {
        const s = listeners.get(topicName);
        if (!s) return;
        s.delete(fn);
        if (s.size === 0) {
          listeners.delete(topicName);
          if (!closed) transport.send({ t: 'unsub', topic: topicName });
        }
      };
    },
    close() {
      if (closed) return;
      closed = true;
      failAll(new CdError('CANCELLED', 'client closed'));
      transport.close();
    },
  };
}
