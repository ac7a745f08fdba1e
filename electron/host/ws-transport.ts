import type { WebSocket } from 'ws';
import type { Frame, Transport, Unsubscribe } from '../../shared/rpc/frames';

const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** A `ws` connection as an RPC transport: JSON text frames; anything else closes it. */
export function wsServerTransport(ws: WebSocket): Transport {
  const messageCbs = new Set<(d: unknown) => void>();
  const closeCbs = new Set<() => void>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text frames only');
    const text = data.toString();
    if (text.length > MAX_FRAME_BYTES) return ws.close(1009, 'frame too large');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return ws.close(1007, 'not JSON');
    }
    for (const cb of messageCbs) cb(parsed);
  });
  ws.on('close', () => {
    for (const cb of closeCbs) cb();
  });
  ws.on('error', () => ws.terminate());
  return {
    send(frame: Frame) {
      if (ws.readyState !== ws.OPEN) throw new Error('socket closed');
      ws.send(JSON.stringify(frame));
    },
    onMessage(cb): Unsubscribe {
      messageCbs.add(cb);
      return () => messageCbs.delete(cb);
    },
    onClose(cb): Unsubscribe {
      closeCbs.add(cb);
      return () => closeCbs.delete(cb);
    },
    close() {
      ws.close(1000);
    },
  };
}
