import { describe, expect, it } from 'vitest';
import { diffStat, parseUnifiedDiff } from './diff-view';

const PATCH = `Index: /etc/haproxy/haproxy.cfg
===================================================================
--- /etc/haproxy/haproxy.cfg	current
+++ /etc/haproxy/haproxy.cfg	new
@@ -40,6 +40,6 @@
     use-server node3 if { req.hdr(x-cd-server) -m str node3 }
-    server node1 10.88.0.11:8080 check inter 1s fall 3 rise 2
-    server node2 10.88.0.12:8080 check inter 1s fall 3 rise 2
+    server node1 10.88.0.11:8080 check inter 500 fall 4 rise 2
+    server node2 10.88.0.12:8080 check inter 500 fall 4 rise 2
     server node3 10.88.0.13:8080 check inter 1s fall 3 rise 2 backup

\\ No newline at end of file
`;

describe('unified diff view', () => {
  it('numbers lines in the current and the new file, and counts changes', () => {
    const d = parseUnifiedDiff(PATCH);
    expect(d.added).toBe(2);
    expect(d.removed).toBe(2);
    expect(diffStat(d)).toBe('+2 −2 lines');
    expect(d.lines.map((l) => l.kind)).toEqual(['file', 'file', 'hunk', 'ctx', 'del', 'del', 'add', 'add', 'ctx', 'ctx', 'note']);
    expect(d.lines[3]).toMatchObject({ kind: 'ctx', oldNo: 40, newNo: 40 });
    expect(d.lines[4]).toMatchObject({ kind: 'del', oldNo: 41, newNo: null, text: '    server node1 10.88.0.11:8080 check inter 1s fall 3 rise 2' });
    expect(d.lines[6]).toMatchObject({ kind: 'add', oldNo: null, newNo: 41 });
    expect(d.lines[8]).toMatchObject({ kind: 'ctx', oldNo: 43, newNo: 43 });
  });

  it('an empty diff is no change', () => {
    const d = parseUnifiedDiff('');
    expect(d.lines).toEqual([]);
    expect(diffStat(d)).toBe('no change');
  });

  it('a --- line inside a hunk is a removed line, not a header', () => {
    const d = parseUnifiedDiff('--- a\n+++ b\n@@ -1,1 +1,1 @@\n--- old comment\n+++ new comment\n');
    expect(d.lines.map((l) => l.kind)).toEqual(['file', 'file', 'hunk', 'del', 'add']);
    expect(d.lines[3]!.text).toBe('-- old comment');
  });
});
