/**
 * A fixed-capacity time series: two typed arrays used as a ring. Memory is bounded up front
 * (16 bytes a point), which is what lets the main process keep an hour of everything it watches.
 */
export interface Series {
  push(t: number, v: number): void;
  /** Points with t >= since, oldest first. */
  since(since: number): Array<[number, number]>;
  last(): [number, number] | null;
  size(): number;
}

export function createSeries(capacity: number): Series {
  const ts = new Float64Array(capacity);
  const vs = new Float64Array(capacity);
  let start = 0;
  let len = 0;
  const at = (i: number): number => (start + i) % capacity;
  return {
    push(t, v) {
      if (len === capacity) {
        ts[start] = t;
        vs[start] = v;
        start = (start + 1) % capacity;
      } else {
        ts[at(len)] = t;
        vs[at(len)] = v;
        len++;
      }
    },
    since(since) {
      const out: Array<[number, number]> = [];
      for (let i = 0; i < len; i++) {
        const j = at(i);
        if (ts[j]! >= since) out.push([ts[j]!, vs[j]!]);
      }
      return out;
    },
    last() {
      if (len === 0) return null;
      const j = at(len - 1);
      return [ts[j]!, vs[j]!];
    },
    size: () => len,
  };
}
