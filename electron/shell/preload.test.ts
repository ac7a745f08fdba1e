import { beforeEach, describe, expect, it, vi } from 'vitest';

// Stand-ins for contextBridge and ipcRenderer: what the preload exposes and what it sends.
const bridge = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const sent: Array<[string, ...unknown[]]> = [];
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const invoke = vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: [] }));
  return { exposed, sent, listeners, invoke };
});
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
  ipcRenderer: {
    invoke: bridge.invoke,
    send: (channel: string, ...args: unknown[]) => bridge.sent.push([channel, ...args]),
    on: (channel: string, l: (event: unknown, ...args: unknown[]) => void) => bridge.listeners.set(channel, l),
  },
}));

await import('../preload');

interface Api {
  invoke(method: unknown, params: unknown): Promise<unknown>;
  subscribe(topic: unknown, cb: unknown): () => void;
}
const api = () => bridge.exposed.get('clusterdeck') as Api;
/** An event from main, with the IpcRendererEvent the page must never see. */
const fromMain = (topic: string, payload: unknown) => bridge.listeners.get('cd:event')!({ sender: 'ipcRenderer', senderId: 0 }, topic, payload);

beforeEach(() => {
  bridge.sent.length = 0;
  bridge.invoke.mockClear();
});

describe('preload', () => {
  it('exposes exactly window.clusterdeck with invoke and subscribe', () => {
    expect([...bridge.exposed.keys()]).toEqual(['clusterdeck']);
    expect(Object.keys(api()).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('refuses unknown methods without sending anything', async () => {
    for (const m of ['nope.nope', 'constructor', '__proto__', 42]) {
      const r = (await api().invoke(m, {})) as { ok: boolean; error: { code: string } };
      expect(r.ok).toBe(false);
      expect(r.error.code).toBe('UNKNOWN_METHOD');
    }
    expect(bridge.invoke).not.toHaveBeenCalled();
  });

  it('sends contract methods on cd:invoke and returns the envelope', async () => {
    expect(await api().invoke('clusters.list', {})).toEqual({ ok: true, value: [] });
    expect(bridge.invoke).toHaveBeenCalledWith('cd:invoke', 'clusters.list', {});
  });

  it('turns an IPC failure into an envelope, never a rejection', async () => {
    bridge.invoke.mockRejectedValueOnce(new Error("Error invoking remote method 'cd:invoke': boom"));
    expect(await api().invoke('clusters.list', {})).toEqual({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('boom') } });
    bridge.invoke.mockImplementationOnce(() => {
      throw new Error('An object could not be cloned.');
    });
    expect(await api().invoke('clusters.list', { f: () => 1 })).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: expect.stringContaining('cloned') } });
  });

  it('subscribes once per topic, hands over only the payload, and unsubscribes with the last listener', () => {
    const a: unknown[][] = [];
    const b: unknown[][] = [];
    const offA = api().subscribe('links.changed', (...args: unknown[]) => a.push(args));
    const offB = api().subscribe('links.changed', (...args: unknown[]) => b.push(args));
    expect(bridge.sent).toEqual([['cd:subscribe', 'links.changed']]);
    fromMain('links.changed', { host: 'lb1' });
    fromMain('audit.appended', { other: true });
    expect(a).toEqual([[{ host: 'lb1' }]]);
    expect(b).toEqual([[{ host: 'lb1' }]]);
    offA();
    offA(); // twice is harmless
    expect(bridge.sent).toEqual([['cd:subscribe', 'links.changed']]);
    offB();
    expect(bridge.sent).toEqual([
      ['cd:subscribe', 'links.changed'],
      ['cd:unsubscribe', 'links.changed'],
    ]);
    fromMain('links.changed', { host: 'lb1' });
    expect(a).toHaveLength(1);
  });

  it('one failing listener does not starve the others', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const got: unknown[] = [];
    const off1 = api().subscribe('audit.appended', () => {
      throw new Error('listener bug');
    });
    const off2 = api().subscribe('audit.appended', (p: unknown) => got.push(p));
    fromMain('audit.appended', 1);
    expect(got).toEqual([1]);
    expect(errors).toHaveBeenCalled();
    off1();
    off2();
    errors.mockRestore();
  });

  it('refuses unknown topics and non-function callbacks', () => {
    expect(() => api().subscribe('nope.nope', () => {})).toThrow(/no such topic/);
    expect(() => api().subscribe('__proto__', () => {})).toThrow(/no such topic/);
    expect(() => api().subscribe('links.changed', 'x')).toThrow(/callback/);
    expect(bridge.sent).toEqual([]);
  });
});
