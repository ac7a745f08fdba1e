import { CONTRACT, type ClusterDeckContract } from '../../shared/contract';
import { CdError, fromErrorData, type CdErrorData } from '../../shared/errors';
import { createRpcClient, type CallOptions } from '../../shared/rpc/client';
import type { MethodName, ParamsIn, PayloadOf, ResultOf, TopicName } from '../../shared/rpc/define';
import { openWsTransport } from './ws-transport';

/** What the UI uses to talk to the core; the one place that knows which transport is underneath. */
export interface Api {
  call<K extends MethodName<ClusterDeckContract>>(method: K, params: ParamsIn<ClusterDeckContract, K>, opts?: CallOptions): Promise<ResultOf<ClusterDeckContract, K>>;
  subscribe<K extends TopicName<ClusterDeckContract>>(topic: K, cb: (payload: PayloadOf<ClusterDeckContract, K>) => void): () => void;
  onClose(cb: () => void): void;
}

/** What the Electron preload exposes (contextBridge): exactly these two functions. */
export interface PreloadBridge {
  invoke(method: string, params: unknown): Promise<{ ok: true; value: unknown } | { ok: false; error: CdErrorData }>;
  subscribe(topic: string, cb: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    clusterdeck?: PreloadBridge;
  }
}

function preloadApi(bridge: PreloadBridge): Api {
  return {
    async call(method, params) {
      const r = await bridge.invoke(method, params);
      if (!r.ok) throw fromErrorData(r.error);
      const parsed = CONTRACT.methods[method].result.safeParse(r.value);
      if (!parsed.success) throw new CdError('INTERNAL', `reply to ${method} did not match the contract`);
      return parsed.data as never;
    },
    subscribe(topic, cb) {
      return bridge.subscribe(topic, (payload) => {
        const parsed = CONTRACT.topics[topic].payload.safeParse(payload);
        if (parsed.success) cb(parsed.data as never);
      });
    },
    onClose() {
      // the Electron window and its main process live and die together
    },
  };
}

/** Takes the launch token from the URL fragment and removes it from the address bar and history. */
export function takeTokenFromLocation(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  const fromHash = m?.[1] ?? null;
  if (fromHash) {
    sessionStorage.setItem('clusterdeck.token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  // Kept for this tab only, so a reload reconnects; never in localStorage, never in the URL.
  return fromHash ?? sessionStorage.getItem('clusterdeck.token');
}

export async function connectApi(): Promise<Api> {
  if (window.clusterdeck) return preloadApi(window.clusterdeck);
  const token = takeTokenFromLocation();
  if (!token) throw new CdError('UNAUTHORIZED', 'Open ClusterDeck with the link it printed when it started (it carries a one-time token).');
  const transport = await openWsTransport(token);
  const client = createRpcClient(CONTRACT, transport);
  return {
    call: (method, params, opts) => client.call(method, params, opts),
    subscribe: (topic, cb) => client.subscribe(topic, cb),
    onClose: (cb) => void transport.onClose(cb),
  };
}
