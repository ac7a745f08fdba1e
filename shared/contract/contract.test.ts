import { describe, expect, it } from 'vitest';
import { CONTRACT } from './index';

describe('the contract', () => {
  it('loads, and every method and topic carries one line of doc', () => {
    const names = [...Object.keys(CONTRACT.methods), ...Object.keys(CONTRACT.topics)];
    expect(names.length).toBeGreaterThan(15);
    for (const [name, def] of [...Object.entries(CONTRACT.methods), ...Object.entries(CONTRACT.topics)]) {
      expect(def.doc, name).toMatch(/^\S.*\.$/);
      expect(def.doc.includes('\n'), name).toBe(false);
    }
  });

  it('rejects unknown fields and bad values at the edge', () => {
    const act = CONTRACT.methods['nodes.act'].params;
    expect(act.safeParse({ cluster: 'demo', node: 'node1', action: 'drain' }).success).toBe(true);
    expect(act.safeParse({ cluster: 'demo', node: 'node1', action: 'reboot' }).success).toBe(false);
    expect(act.safeParse({ cluster: '../x', node: 'node1', action: 'drain' }).success).toBe(false);
    expect(act.safeParse({ cluster: 'demo', node: 'node1', action: 'drain', waitSeconds: -1 }).success).toBe(false);
    expect(act.safeParse({ cluster: 'demo', node: 'node1', action: 'drain', sneaky: 1 }).success).toBe(false);
    const accept = CONTRACT.methods['hostKeys.accept'].params;
    expect(accept.safeParse({ fingerprint: 'SHA256:' + 'a'.repeat(43) }).success).toBe(true);
    expect(accept.safeParse({ fingerprint: 'MD5:aa:bb' }).success).toBe(false);
  });
});
