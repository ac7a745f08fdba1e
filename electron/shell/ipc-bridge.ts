// The IPC side of the shell: renderer -> main -> the core's RPC client, and pushed events back.
// Electron objects are injected as the small shapes below, so the unit tests drive this very code
// with stand-ins; only main.ts passes the real ipcMain.
import type { ClusterDeckContract } from '../../shared/contract';
import { toErrorData, type CdErrorData } from '../../shared/errors';
import type { RpcClient } from '../../shared/rpc/client';
import type { TopicName } from '../../shared/rpc/define';
import { IPC } from './channels';
import { checkInvoke, checkTopic, isTrustedSender, type FrameLike } from './guards';

export { IPC };

export type Envelope = { ok: true; value: unknown } | { ok: false; error: CdErrorData };

/** The part of WebContents the bridge uses. */
export interface SenderLike {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcEventLike {
  /** A getter on the real event: read once, at the time the message is handled. */
  readonly senderFrame: FrameLike | null;
  readonly sender: SenderLike;
}

/** The part of ipcMain the bridge uses (handlers receive untyped renderer arguments). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<Envelope>): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

export type CoreClient = Pick<RpcClient<ClusterDeckContract>, 'call' | 'subscribe'>;

export interface BridgeOptions {
  /** Told about refused messages (an untrusted frame, a bad payload): worth a line in the log. */
  onRefused?: (what: string) => void;
}

export interface IpcBridge {
  /** How many webContents are subscribed to a topic (for tests and diagnostics). */
  subscriberCount(topic: string): number;
  dispose(): void;
}

type Topic = TopicName<ClusterDeckContract>;

export function createIpcBridge(ipc: IpcMainLike, client: CoreClient, opts: BridgeOptions = {}): IpcBridge {
  const refused = (what: string): void => opts.onRefused?.(what);
  /**
   * webContents id -> its sender and topics; a sender appears once, its 'destroyed' hook once. A
   * reload keeps the webContents and so its topics: the new page re-subscribes what it needs, and
   * the preload drops events for topics nobody on the page listens to.
   */
  const senders = new Map<number, { sender: SenderLike; topics: Set<Topic> }>();
  /** One core subscription per topic with at least one subscribed webContents. */
  const coreSubs = new Map<Topic, () => void>();

  const forward = (topic: Topic, payload: unknown): void => {
    for (const { sender, topics } of senders.values()) {
      if (!topics.has(topic) || sender.isDestroyed()) continue;
      try {
        sender.send(IPC.event, topic, payload);
      } catch {
        // the webContents went away between the check and the send; its 'destroyed' hook cleans up
      }
    }
  };

  const releaseIfUnused = (topic: Topic): void => {
    if ([...senders.values()].some((s) => s.topics.has(topic))) return;
    coreSubs.get(topic)?.();
    coreSubs.delete(topic);
  };

  const dropSender = (id: number): void => {
    const entry = senders.get(id);
    if (!entry) return;
    senders.delete(id);
    for (const t of entry.topics) releaseIfUnused(t);
  };

  const onInvoke = async (event: IpcEventLike, method?: unknown, params?: unknown): Promise<Envelope> => {
    if (!isTrustedSender(event.senderFrame)) {
      refused(`invoke from an untrusted frame`);
      return { ok: false, error: { code: 'UNAUTHORIZED', message: 'this frame may not call ClusterDeck' } };
    }
    const checked = checkInvoke(method, params);
    if (!checked.ok) return { ok: false, error: checked.error };
    try {
      // Errors are returned as data: Electron would reduce a thrown error to its message.
      return { ok: true, value: await client.call(checked.method, checked.params as never) };
    } catch (e) {
      return { ok: false, error: toErrorData(e) };
    }
  };

  const onSubscribe = (event: IpcEventLike, topic?: unknown): void => {
    if (!isTrustedSender(event.senderFrame)) return refused('subscribe from an untrusted frame');
    const checked = checkTopic(topic);
    if (!checked.ok) return refused(checked.error.message);
    const sender = event.sender;
    let entry = senders.get(sender.id);
    if (!entry) {
      if (sender.isDestroyed()) return;
      entry = { sender, topics: new Set() };
      senders.set(sender.id, entry);
      sender.once('destroyed', () => dropSender(sender.id));
    }
    entry.topics.add(checked.topic);
    if (!coreSubs.has(checked.topic)) {
      coreSubs.set(checked.topic, client.subscribe(checked.topic, (payload) => forward(checked.topic, payload)));
    }
  };

  const onUnsubscribe = (event: IpcEventLike, topic?: unknown): void => {
    if (!isTrustedSender(event.senderFrame)) return refused('unsubscribe from an untrusted frame');
    const checked = checkTopic(topic);
    if (!checked.ok) return;
    const entry = senders.get(event.sender.id);
    if (!entry?.topics.delete(checked.topic)) return;
    releaseIfUnused(checked.topic);
  };

  ipc.handle(IPC.invoke, onInvoke);
  ipc.on(IPC.subscribe, onSubscribe);
  ipc.on(IPC.unsubscribe, onUnsubscribe);

  return {
    subscriberCount(topic) {
      return [...senders.values()].filter((s) => s.topics.has(topic as Topic) && !s.sender.isDestroyed()).length;
    },
    dispose() {
      ipc.removeHandler(IPC.invoke);
      ipc.removeListener(IPC.subscribe, onSubscribe);
      ipc.removeListener(IPC.unsubscribe, onUnsubscribe);
      for (const off of coreSubs.values()) off();
      coreSubs.clear();
      senders.clear();
    },
  };
}
