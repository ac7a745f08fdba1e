import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CdError } from '../errors';
import { createRpcClient } from './client';
import { defineContract, method, topic } from './define';
import { createMemoryTransportPair } from './memory-transport';
import { createRpcServer } from './server';

const contract = defineContract({
  methods: {
    'math.add': method({
      doc: 'adds',
      params: z.object({ a: z.number(), b: z.number().default(1) }).strict(),
      result: z.object({ sum: z.number() }),
      timeoutMs: 1000,
    }),
    'math.slow': method({ doc: 'waits until cancelled', params: z.object({}), result: z.object({}), timeoutMs: 50 }),
    'math.bad': method({ doc: 'returns a wrong shape', params: z.object({}), result: z.object({ n: z.number() }), timeoutMs: 1000 }),
    'math.fail': method({ doc: 'throws', params: z.object({}), result: z.object({}), timeoutMs: 1000 }),
  },
  topics: { 'math.tick': topic({ doc: 'ticks', payload: z.object({ n: z.number().int() }) }) },
});

function setup() {
  let slowAborted: unknown = null;
  const server = createRpcServer(contract, {
    'math.add': async ({ a, b }) => ({ sum: a + b }),
    'math.slow': (_p, ctx) =>
      new Promise((_res, rej) => {
        ctx.signal.addEventListener('abort', () => {
          slowAborted = ctx.signal.reason;
          rej(ctx.signal.reason);
        });
      }),
    'math.bad': async () => ({ n: 'nope' }) as unknown as { n: number },
    'math.fail': async () => {
      throw new CdError('GATE_REFUSED', 'refused for a reason', { lb: 'lb1' });
    },
  });
  const [c, s] = createMemoryTransportPair();
  server.attach(s, 'test');
  const client = createRpcClient(contract, c);
  return { server, client, s, slowAborted: () => slowAborted };
}

describe('rpc over the memory transport', () => {
  it('calls a method, applying schema defaults on the server', async () => {
    const { client } = setup();
    await expect(client.call('math.add', { a: 2 })).resolves.toEqual({ sum: 3 });
    await expect(client.call('math.add', { a: 2, b: 5 })).resolves.toEqual({ sum: 7 });
  });

  it('rejects payloads that do not match the schema, naming the field', async () => {
    const { client } = setup();
    const err = await client.call('math.add', { a: 'x' } as unknown as { a: number }).catch((e) => e);
    expect(err).toBeInstanceOf(CdError);
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toMatch(/^math\.add: a: /);
    const extra = await client.call('math.add', { a: 1, evil: true } as unknown as { a: number }).catch((e) => e);
    expect(extra.code).toBe('INVALID_ARGUMENT');
    expect(extra.message).toMatch(/evil/);
  });

  it('refuses methods that are not in the contract, even ones that exist on Object.prototype', async () => {
    const { s, client } = setup();
    void client;
    const replies: unknown[] = [];
    const [c2, s2] = createMemoryTransportPair();
    const server2 = createRpcServer(contract, {
      'math.add': async () => ({ sum: 0 }),
      'math.slow': async () => ({}),
      'math.bad': async () => ({ n: 1 }),
      'math.fail': async () => ({}),
    });
    server2.attach(s2, 'x');
    c2.onMessage((d) => replies.push(d));
    c2.send({ t: 'req', id: 1, method: 'constructor', params: {} });
    c2.send({ t: 'req', id: 2, method: 'toString', params: {} });
    await new Promise((r) => setTimeout(r, 10));
    expect(replies).toEqual([
      { t: 'res', id: 1, ok: false, error: { code: 'UNKNOWN_METHOD', message: 'no such method: constructor' } },
      { t: 'res', id: 2, ok: false, error: { code: 'UNKNOWN_METHOD', message: 'no such method: toString' } },
    ]);
    void s;
  });

  it('carries typed errors with code, message and details', async () => {
    const { client } = setup();
    const err = await client.call('math.fail', {}).catch((e) => e);
    expect(err).toBeInstanceOf(CdError);
    expect(err.code).toBe('GATE_REFUSED');
    expect(err.message).toBe('refused for a reason');
    expect(err.details).toEqual({ lb: 'lb1' });
  });

  it('fails closed when a handler returns something outside the contract', async () => {
    const { client } = setup();
    const err = await client.call('math.bad', {}).catch((e) => e);
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toMatch(/outside the contract/);
  });

  it('times out on the client and cancels the handler on the server', async () => {
    const { client, slowAborted } = setup();
    const err = await client.call('math.slow', {}).catch((e) => e);
    expect(err.code).toBe('TIMEOUT');
    await new Promise((r) => setTimeout(r, 10));
    expect(slowAborted()).toBeInstanceOf(CdError);
  });

  it('cancels through an AbortSignal', async () => {
    const { client, slowAborted } = setup();
    const ac = new AbortController();
    const p = client.call('math.slow', {}, { signal: ac.signal, timeoutMs: null });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    await new Promise((r) => setTimeout(r, 10));
    expect(slowAborted()).not.toBeNull();
  });

  it('pushes only to subscribers, and validates payloads before sending', async () => {
    const { server, client } = setup();
    const got: number[] = [];
    const off = client.subscribe('math.tick', (p) => got.push(p.n));
    await new Promise((r) => setTimeout(r, 5));
    server.publish('math.tick', { n: 1 });
    expect(() => server.publish('math.tick', { n: 1.5 })).toThrow(/outside the contract/);
    expect(() => server.publish('math.nope' as 'math.tick', { n: 1 })).toThrow(/no such topic/);
    await new Promise((r) => setTimeout(r, 5));
    off();
    await new Promise((r) => setTimeout(r, 5));
    server.publish('math.tick', { n: 2 });
    await new Promise((r) => setTimeout(r, 5));
    expect(got).toEqual([1]);
  });

  it('drops malformed frames without crashing and fails pending calls when the transport closes', async () => {
    const { client, s } = setup();
    s.send({ t: 'res', id: 999, ok: true, value: 1 });
    (s as unknown as { send: (x: unknown) => void }).send({ nonsense: true });
    const p = client.call('math.slow', {}, { timeoutMs: null });
    await new Promise((r) => setTimeout(r, 5));
    s.close();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
