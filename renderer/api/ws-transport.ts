import type { Frame, Transport, Unsubscribe } from '../../shared/rpc/frames';

export const WS_PROTOCOL = 'clusterdeck.v1';

/**
 * The browser side of the headless host: a WebSocket to /rpc on the same origin, carrying the launch
 * token as a subprotocol (browsers can't set headers; query strings end up in logs).
 */
export function openWsTransport(token: string, url = `${location.origin.replace(/^http/, 'ws')}/rpc`): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [WS_PROTOCOL, `cdtoken.${token}`]);
    const messageCbs = new Set<(d: unknown) => void>();
    const closeCbs = new Set<() => void>();
    let opened = false;
    ws.onmessage = (e) => {
      if (typeof e.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(e.data);
      } catch {
        return;
      }
      for (const cb of messageCbs) cb(parsed);
    };
    ws.onclose = () => {
      if (!opened) reject(new Error('ClusterDeck refused the connection (missing or wrong launch token, or the host stopped)'));
      for (const cb of closeCbs) cb();
    };
    ws.onopen = () => {
      opened = true;
      resolve({
        send(frame: Frame) {
          if (ws.readyState !== WebSocket.OPEN) throw new Error('connection closed');
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
      });
    };
  });
}
