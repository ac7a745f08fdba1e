import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { isReadCommand, replyText } from '../activity/audit-view';
import { useApp } from '../state/store';
import { Tip } from '../ui/tip';

const time = (at: number): string => {
  const d = new Date(at);
  return `${d.toLocaleTimeString([], { hour12: false })}.${String(d.getMilliseconds()).padStart(3, '0')}`;
};

/**
 * The exact commands ClusterDeck sends (runtime API lines per LB, SSH commands per host) with their
 * replies, newest at the bottom. Closed by default; admins trust a tool that shows its work.
 */
export function CommandDrawer() {
  const open = useApp((s) => s.drawerOpen);
  const setOpen = useApp((s) => s.setDrawerOpen);
  const log = useApp((s) => s.commandLog);
  const showReads = useApp((s) => s.showReads);
  const setShowReads = useApp((s) => s.setShowReads);
  const clear = useApp((s) => s.clearCommands);
  const lines = useMemo(() => (showReads ? log : log.filter((l) => !isReadCommand(l.command))), [log, showReads]);
  const hidden = log.length - lines.length;
  const listRef = useRef<HTMLOListElement>(null);
  const stick = useRef(true);

  // Follow the tail unless the admin scrolled up to read something.
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines, open]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '`' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)) return;
      e.preventDefault();
      setOpen(!useApp.getState().drawerOpen);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setOpen]);

  const last = lines[lines.length - 1];
  return (
    <section className={`drawer ${open ? 'drawer-open' : ''}`} aria-label="Command log" data-testid="command-drawer" data-open={open}>
      <div className="drawer-bar">
        <Tip content={open ? 'Hide the commands' : 'Show the exact commands sent and their replies'} shortcut="`">
          <button type="button" className="drawer-toggle" aria-expanded={open} aria-controls="drawer-body" onClick={() => setOpen(!open)} data-testid="drawer-toggle">
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> Commands
            <span className="muted num">{lines.length}</span>
          </button>
        </Tip>
        {!open && last ? (
          <span className="drawer-last mono ellipsis">
            {last.target}: {last.command}
          </span>
        ) : null}
        {open ? (
          <span className="drawer-tools">
            <label className="check">
              <input type="checkbox" checked={showReads} onChange={(e) => setShowReads(e.target.checked)} data-testid="drawer-show-reads" />
              Include status reads (show …){!showReads && hidden ? ` · ${hidden} hidden` : ''}
            </label>
            <button type="button" className="btn btn-small" onClick={clear}>
              Clear
            </button>
          </span>
        ) : null}
      </div>
      {open ? (
        <ol
          id="drawer-body"
          className="drawer-list"
          ref={listRef}
          tabIndex={0}
          aria-label="Commands, newest at the bottom"
          onScroll={(e) => {
            const el = e.currentTarget;
            stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
          }}
        >
          {lines.length === 0 ? (
            <li className="muted pad">
              {hidden ? `${hidden} status reads hidden. Actions (set server …) and SSH commands appear here as they are sent.` : 'Nothing sent yet.'}
            </li>
          ) : null}
          {lines.map((l) => (
            <li key={l.seq} className={`dl ${l.error ? 'dl-error' : ''}`} data-testid="drawer-line">
              <span className="dl-time num">{time(l.at)}</span>
              <span className={`dl-kind dl-${l.kind}`}>{l.kind === 'runtime' ? 'haproxy' : 'ssh'}</span>
              <span className="dl-target">{l.target}</span>
              <code className="dl-cmd">{l.command}</code>
              <span className="dl-ms num">{l.ms.toFixed(1)} ms</span>
              <pre className="dl-reply">{l.error ? `${l.error.code}: ${l.error.message}` : replyText(l.reply)}</pre>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
