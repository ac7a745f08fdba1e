// The renderer's only door to the main process: `window.clusterdeck` with exactly invoke and subscribe.
// Raw ipcRenderer is never exposed (the page could then send on any channel), and the IpcRendererEvent
// never reaches the page (its `sender` is ipcRenderer itself). Bundled to CommonJS: a sandboxed
// preload can require only 'electron' and a few polyfilled modules.
import { contextBridge, ipcRenderer } from 'electron';
import { CONTRACT } from '../shared/contract';
import type { CdErrorData } from '../shared/errors';
import { hasMethod, hasTopic } from '../shared/rpc/define';
import { IPC } from './shell/channels';

type Envelope = { ok: true; value: unknown } | { ok: false; error: CdErrorData };

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC.event, (_event, topic: unknown, payload: unknown) => {
  if (typeof topic !== 'string') return;
  for (const cb of [...(listeners.get(topic) ?? [])]) {
    try {
      cb(payload);
    } catch (e) {
      // one faulty listener must not starve the others
      console.error(`clusterdeck: a ${topic} listener failed:`, e);
    }
  }
});

function invoke(method: unknown, params: unknown): Promise<Envelope> {
  // Refused here already so a typo never costs a round trip; main checks again, it trusts nothing.
  if (typeof method !== 'string' || !hasMethod(CONTRACT, method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 100)) : typeof method;
    return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `no such method: ${shown}` } });
  }
  let sent: Promise<Envelope>;
  try {
    sent = ipcRenderer.invoke(IPC.invoke, method, params) as Promise<Envelope>;
  } catch (e) {
    // structured clone refused the arguments (functions, DOM nodes, ...)
    return Promise.resolve({ ok: false, error: { code: 'INVALID_ARGUMENT', message: `${method}: ${e instanceof Error ? e.message : String(e)}` } });
  }
  return sent.catch((e: unknown) => ({ ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } }));
}

function subscribe(topic: unknown, cb: unknown): () => void {
  if (typeof topic !== 'string' || !hasTopic(CONTRACT, topic)) throw new Error(`no such topic: ${String(topic).slice(0, 100)}`);
  if (typeof cb !== 'function') throw new Error('subscribe needs a callback');
  const fn = (payload: unknown): void => void (cb as (p: unknown) => unknown)(payload);
  let set = listeners.get(topic);
  if (!set) {
    set = new Set();
    listeners.set(topic, set);
    ipcRenderer.send(IPC.subscribe, topic);
  }
  set.add(fn);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    const s = listeners.get(topic);
    if (!s?.delete(fn) || s.size > 0) return;
    listeners.delete(topic);
    ipcRenderer.send(IPC.unsubscribe, topic);
  };
}

contextBridge.exposeInMainWorld('clusterdeck', { invoke, subscribe });
