import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CONTRACT } from '../../shared/contract';
import { CdError } from '../../shared/errors';
import { createRpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { createCore } from '../core/create-core';
import type { FrameLike } from './guards';
import { createIpcBridge, IPC, type CoreClient, type Envelope, type IpcEventLike, type IpcMainLike, type SenderLike } from './ipc-bridge';

// Stand-ins for ipcMain, webContents and the frames that send: just enough surface to drive the bridge.

type Listener = (event: IpcEventLike, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcMainLike = {
    handle: (ch, fn) => void handlers.set(ch, fn as Listener),
    removeHandler: (ch) => void handlers.delete(ch),
    on: (ch, fn) => listeners.set(ch, (listeners.get(ch) ?? new Set()).add(fn as Listener)),
    removeListener: (ch, fn) => listeners.get(ch)?.delete(fn as Listener),
  };
  return {
    ipc,
    handlers,
    listeners,
    /** What ipcRenderer.invoke would get back. */
    invoke(event: IpcEventLike, ...args: unknown[]): Promise<Envelope> {
      const h = handlers.get(IPC.invoke);
      if (!h) throw new Error('no handler for cd:invoke');
      return h(event, ...args) as Promise<Envelope>;
    },
    send(channel: string, event: IpcEventLike, ...args: unknown[]): void {
      for (const l of listeners.get(channel) ?? []) l(event, ...args);
    },
  };
}

let nextId = 1;
function fakeWebContents() {
  const destroyedHooks: Array<() => void> = [];
  const sent: Array<{ channel: string; args: unknown[] }> = [];
  let destroyed = false;
  const sender: SenderLike = {
    id: nextId++,
    isDestroyed: () => destroyed,
    send: (channel, ...args) => void sent.push({ channel, args }),
    once: (_e, l) => destroyedHooks.push(l),
  };
  return {
    sender,
    sent,
    /** Marks it destroyed without the event yet (the window between the two in Electron). */
    markDestroyed: () => void (destroyed = true),
    destroy() {
      destroyed = true;
      destroyedHooks.splice(0).forEach((h) => h());
    },
  };
}

const OUR_PAGE = 'app://clusterdeck/index.html';
const frame = (url = OUR_PAGE, parent: unknown = null): FrameLike => ({ url, parent });
const ev = (sender: SenderLike, senderFrame: FrameLike | null = frame()): IpcEventLike => ({ sender, senderFrame });

function fakeClient(impl: (method: string, params: unknown) => Promise<unknown> = async () => []) {
  const topicCbs = new Map<string, (p: unknown) => void>();
  const unsubscribed: string[] = [];
  const call = vi.fn(impl);
  const subscribe = vi.fn((topic: string, cb: (p: unknown) => void) => {
    topicCbs.set(topic, cb);
    return () => {
      topicCbs.delete(topic);
      unsubscribed.push(topic);
    };
  });
  return {
    client: { call, subscribe } as unknown as CoreClient,
    call,
    subscribe,
    unsubscribed,
    push(topic: string, payload: unknown) {
      topicCbs.get(topic)?.(payload);
    },
  };
}

describe('cd:invoke', () => {
  it.each([
    ['no frame (navigated away)', null],
    ['a subframe of our page', frame(OUR_PAGE, frame())],
    ['another origin', frame('https://example.com/')],
    ['a look-alike host', frame('app://clusterdeck.evil/index.html')],
    ['userinfo in the URL', frame('app://clusterdeck@evil/index.html')],
    ['a file:// page', frame('file:///work/main/dist/renderer/index.html')],
  ])('refuses %s: nothing reaches the core', async (_what, senderFrame) => {
    const ipc = fakeIpcMain();
    const core = fakeClient();
    const refused: string[] = [];
    createIpcBridge(ipc.ipc, core.client, { onRefused: (w) => refused.push(w) });
    const r = await ipc.invoke(ev(fakeWebContents().sender, senderFrame), 'clusters.list', {});
    expect(r).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(core.call).not.toHaveBeenCalled();
    expect(refused).toHaveLength(1);
  });

  it('refuses unknown methods and bad params before the core', async () => {
    const ipc = fakeIpcMain();
    const core = fakeClient();
    createIpcBridge(ipc.ipc, core.client);
    const wc = fakeWebContents();
    for (const name of ['nope.nope', 'constructor', '__proto__', 'toString', 42]) {
      const r = await ipc.invoke(ev(wc.sender), name, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('UNKNOWN_METHOD');
    }
    for (const params of [{ extra: 1 }, null, 'x', [], undefined]) {
      const r = await ipc.invoke(ev(wc.sender), 'clusters.list', params);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('INVALID_ARGUMENT');
    }
    expect(core.call).not.toHaveBeenCalled();
  });

  it('passes a trusted, valid call to the core with parsed params and wraps the value', async () => {
    const ipc = fakeIpcMain();
    const core = fakeClient(async () => ({ entries: [], skippedLines: 0 }));
    createIpcBridge(ipc.ipc, core.client);
    const r = await ipc.invoke(ev(fakeWebContents().sender), 'audit.list', { cluster: 'demo' });
    expect(core.call).toHaveBeenCalledTimes(1);
    expect(core.call).toHaveBeenCalledWith('audit.list', { cluster: 'demo', limit: 200 });
    expect(r).toEqual({ ok: true, value: { entries: [], skippedLines: 0 } });
  });

  it.each([
    ['a CdError', new CdError('NOT_FOUND', 'no cluster named demo', { name: 'demo' }), { code: 'NOT_FOUND', message: 'no cluster named demo', details: { name: 'demo' } }],
    ['a plain Error', new Error('boom'), { code: 'INTERNAL', message: 'boom' }],
    ['a thrown string', 'weird', { code: 'INTERNAL', message: 'weird' }],
  ])('turns %s from the core into an error envelope, never a rejection', async (_what, thrown, error) => {
    const ipc = fakeIpcMain();
    const core = fakeClient(() => Promise.reject(thrown));
    createIpcBridge(ipc.ipc, core.client);
    const r = await ipc.invoke(ev(fakeWebContents().sender), 'clusters.list', {});
    expect(r).toEqual({ ok: false, error });
    // what crosses IPC must survive structured clone as it is
    expect(structuredClone(r)).toEqual(r);
  });
});

describe('subscriptions', () => {
  const status = { host: 'lb1' };

  function setup() {
    const ipc = fakeIpcMain();
    const core = fakeClient();
    const refused: string[] = [];
    const bridge = createIpcBridge(ipc.ipc, core.client, { onRefused: (w) => refused.push(w) });
    const sub = (wc: ReturnType<typeof fakeWebContents>, topic: unknown, f: FrameLike | null = frame()) => ipc.send(IPC.subscribe, ev(wc.sender, f), topic);
    const unsub = (wc: ReturnType<typeof fakeWebContents>, topic: unknown, f: FrameLike | null = frame()) => ipc.send(IPC.unsubscribe, ev(wc.sender, f), topic);
    const events = (wc: ReturnType<typeof fakeWebContents>) => wc.sent.filter((s) => s.channel === IPC.event).map((s) => s.args);
    return { ipc, core, bridge, refused, sub, unsub, events };
  }

  it('forwards pushed payloads only to subscribed webContents', () => {
    const { core, sub, events } = setup();
    const a = fakeWebContents();
    const b = fakeWebContents();
    sub(a, 'links.changed');
    core.push('links.changed', status);
    expect(events(a)).toEqual([['links.changed', status]]);
    expect(events(b)).toEqual([]);
    sub(b, 'links.changed');
    sub(b, 'audit.appended');
    core.push('links.changed', status);
    expect(events(a)).toHaveLength(2);
    expect(events(b)).toEqual([['links.changed', status]]);
    // one core subscription per topic, however many windows
    expect(core.subscribe.mock.calls.map((c) => c[0])).toEqual(['links.changed', 'audit.appended']);
  });

  it('stops after unsubscribe, and releases the core subscription with the last subscriber', () => {
    const { core, bridge, sub, unsub, events } = setup();
    const a = fakeWebContents();
    const b = fakeWebContents();
    sub(a, 'links.changed');
    sub(b, 'links.changed');
    unsub(a, 'links.changed');
    core.push('links.changed', status);
    expect(events(a)).toEqual([]);
    expect(events(b)).toHaveLength(1);
    expect(core.unsubscribed).toEqual([]);
    unsub(b, 'links.changed');
    expect(core.unsubscribed).toEqual(['links.changed']);
    expect(bridge.subscriberCount('links.changed')).toBe(0);
  });

  it('stops at destroy and cleans up', () => {
    const { core, bridge, sub, events } = setup();
    const a = fakeWebContents();
    sub(a, 'links.changed');
    a.markDestroyed();
    core.push('links.changed', status);
    expect(a.sent).toEqual([]); // destroyed but not yet announced: skipped, not sent to
    a.destroy();
    expect(bridge.subscriberCount('links.changed')).toBe(0);
    expect(core.unsubscribed).toEqual(['links.changed']);
    core.push('links.changed', status);
    expect(events(a)).toEqual([]);
  });

  it('survives a send that throws', () => {
    const { core, sub, events } = setup();
    const a = fakeWebContents();
    const b = fakeWebContents();
    a.sender.send = () => {
      throw new Error('Object has been destroyed');
    };
    sub(a, 'links.changed');
    sub(b, 'links.changed');
    expect(() => core.push('links.changed', status)).not.toThrow();
    expect(events(b)).toHaveLength(1);
  });

  it('ignores subscriptions from untrusted frames and unknown topics', () => {
    const { core, bridge, sub, unsub, refused } = setup();
    const a = fakeWebContents();
    sub(a, 'links.changed', null);
    sub(a, 'links.changed', frame(OUR_PAGE, frame()));
    sub(a, 'links.changed', frame('https://example.com/'));
    sub(a, 'nope.nope');
    sub(a, '__proto__');
    sub(a, { topic: 'links.changed' });
    expect(core.subscribe).not.toHaveBeenCalled();
    expect(bridge.subscriberCount('links.changed')).toBe(0);
    expect(refused.length).toBeGreaterThanOrEqual(6);
    // an untrusted frame cannot unsubscribe the trusted page either
    sub(a, 'links.changed');
    unsub(a, 'links.changed', frame('https://example.com/'));
    expect(bridge.subscriberCount('links.changed')).toBe(1);
  });

  it('dispose removes the IPC handlers and the core subscriptions', () => {
    const { ipc, core, bridge, sub } = setup();
    sub(fakeWebContents(), 'links.changed');
    bridge.dispose();
    expect(ipc.handlers.size).toBe(0);
    expect([...ipc.listeners.values()].every((s) => s.size === 0)).toBe(true);
    expect(core.unsubscribed).toEqual(['links.changed']);
  });
});

describe('with the real core', () => {
  let cleanup: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await cleanup?.();
    cleanup = null;
  });

  it('answers clusters.list on an empty data directory, and NOT_FOUND as an envelope', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cd-bridge-'));
    const core = createCore({ dataDir, actor: { via: 'ui', user: 'test', machine: 'test' }, reconnect: true });
    const [coreSide, uiSide] = createMemoryTransportPair();
    const detach = core.attach(coreSide, 'ui');
    const client = createRpcClient(CONTRACT, uiSide);
    const ipc = fakeIpcMain();
    const bridge = createIpcBridge(ipc.ipc, client);
    cleanup = async () => {
      bridge.dispose();
      detach();
      client.close();
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    };
    const wc = fakeWebContents();
    expect(await ipc.invoke(ev(wc.sender), 'clusters.list', {})).toEqual({ ok: true, value: [] });
    const missing = await ipc.invoke(ev(wc.sender), 'clusters.get', { name: 'nope' });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('NOT_FOUND');
  });
});
