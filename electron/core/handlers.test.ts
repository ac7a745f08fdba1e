import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommandRecord } from '../../shared/domain/action';
import { clusterSpecSchema } from '../../shared/domain/cluster';
import type { LbPort } from '../actions/node-action';
import { read, stat } from '../cluster/test-support';
import type { CoreContext } from './create-core';
import { createHandlers } from './handlers';

const cluster = clusterSpecSchema.parse({
  name: 'demo',
  nodes: ['node1', 'node2', 'node3'].map((n) => ({ name: n, ssh: { host: n, user: 'root' }, backend: 'app', server: n })),
  lbs: [{ name: 'lb1', ssh: { host: 'lb1', user: 'root' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } }],
});

describe('nodes.act', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('queues calls on one cluster in call order, even when reading the cluster takes longer for the first', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cd-handlers-'));
    const sent: string[] = [];
    const port: LbPort = {
      connect: async () => undefined,
      run: async (_lb, commands) => {
        sent.push(...commands.filter((c) => c.startsWith('set ')));
        return commands.map((command): CommandRecord => ({ at: 0, command, reply: '', ms: 0, error: null }));
      },
      parse: () => read('lb1', ['node1', 'node2', 'node3'].map((s) => stat(s, 'UP', { backup: s === 'node3' }))),
      readCommands: (b) => [`show stat ${b} 6 -1`],
    };
    // The first call's read of the cluster is slow (a cold cache), the next ones are instant.
    const delays = [40, 0, 0];
    const ctx = {
      opts: { dataDir: dir, actor: { via: 'test', user: 't', machine: 'm' } },
      store: { get: async () => new Promise((r) => setTimeout(() => r(structuredClone(cluster)), delays.shift() ?? 0)) },
      conns: { lbPort: () => port },
      server: { publish: () => undefined },
      watch: { refresh: async () => undefined },
      record: async () => undefined,
    } as unknown as CoreContext;
    const h = createHandlers(ctx);
    const hctx = { signal: new AbortController().signal, peer: 'test' };
    await Promise.all(
      (['drain', 'ready', 'maint'] as const).map((action) => h['nodes.act']({ cluster: 'demo', node: 'node1', action }, hctx)),
    );
    expect(sent).toEqual(['set server app/node1 state drain', 'set server app/node1 state ready', 'set server app/node1 state maint']);
  });
});
