import { Dialog } from 'radix-ui';
import { useRef } from 'react';
import { ActionControl } from '../acting/action-control';
import { useApp } from '../state/store';
import { adminWords, clock, formatMs, linkWord, opWord } from './node-view';
import { StateBadge } from './state-badge';

/**
 * The side panel of one node (Enter on a row): every LB's view in full, the merged state's reason,
 * and its SSH link. A non-modal Radix dialog, rendered in the layout (no portal) so the table stays
 * usable beside it; Escape closes it and puts the focus back on the row.
 */
export function NodePanel({ cluster }: { cluster: string }) {
  const name = useApp((s) => s.panelNode);
  const node = useApp((s) => (s.panelNode ? s.status[cluster]?.nodes.find((n) => n.node === s.panelNode) : undefined));
  const close = useApp((s) => s.setPanelNode);
  const open = name !== null && node !== undefined;
  // The row to give the focus back to: by the time Radix calls onCloseAutoFocus, panelNode is null.
  const lastOpened = useRef<string | null>(null);
  if (name) lastOpened.current = name;
  return (
    <Dialog.Root open={open} modal={false} onOpenChange={(o) => !o && close(null)}>
      <Dialog.Content
        className="node-panel"
        data-testid="node-panel"
        aria-describedby={undefined}
        onInteractOutside={(e) => e.preventDefault()}
        onCloseAutoFocus={(e) => {
          e.preventDefault();
          document.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(lastOpened.current ?? '')}"]`)?.focus();
        }}
      >
        {node ? (
          <>
            <div className="panel-head">
              <Dialog.Title className="panel-title">{node.node}</Dialog.Title>
              <Dialog.Close className="icon-button" aria-label="Close details (Escape)">
                ✕
              </Dialog.Close>
            </div>
            <div className="panel-sub">
              <StateBadge state={node.merged} /> <span className="muted">role: {node.role}</span>
            </div>
            <p className="panel-reason" data-testid="node-panel-reason">
              {node.reason}
            </p>
            <div className="panel-actions">
              <ActionControl cluster={cluster} node={node} tabbable testidPrefix="panel-" />
            </div>
            {node.disagree ? <p className="panel-disagree">LBs disagree: {node.disagreement}</p> : null}
            <dl className="kv">
              <dt>Address</dt>
              <dd className="mono">{node.address}</dd>
              <dt>Server</dt>
              <dd className="mono">
                {node.backend}/{node.server}
              </dd>
            </dl>
            {node.perLb.map((v) => (
              <section key={v.lb} className="panel-lb" aria-label={`${v.lb} view of ${node.node}`}>
                <h3>
                  {v.lb} <StateBadge state={v.state} small />
                </h3>
                {v.stat ? (
                  <dl className="kv">
                    <dt>Status</dt>
                    <dd className="mono">{v.stat.status}{v.stat.backup ? ' (backup)' : ''}</dd>
                    <dt>Admin state</dt>
                    <dd>{adminWords(v.stat.adminState)}</dd>
                    <dt>Operational</dt>
                    <dd>{opWord(v.stat.opState)}</dd>
                    <dt>Sessions</dt>
                    <dd className="num">{v.stat.sessions}</dd>
                    <dt>Weight</dt>
                    <dd className="num">{v.stat.weight ?? '—'}</dd>
                    <dt>Last check</dt>
                    <dd>{[v.stat.checkStatus, v.stat.checkDesc, v.stat.lastCheck].filter(Boolean).join(' · ') || 'no health check'}</dd>
                    <dt>Last change</dt>
                    <dd>{v.stat.lastChangeSec === null ? '—' : `${v.stat.lastChangeSec} s ago`}</dd>
                    <dt>Checks</dt>
                    <dd>
                      rise {v.stat.checkRise ?? '—'} · fall {v.stat.checkFall ?? '—'}
                      {v.stat.checkInterMs === null ? '' : ` · every ${formatMs(v.stat.checkInterMs)}`}
                    </dd>
                    <dt>Address</dt>
                    <dd className="mono">{v.stat.addr || '—'}</dd>
                  </dl>
                ) : (
                  <p className="runtime-bad">{v.error ? `${v.error.code}: ${v.error.message}` : 'not read yet'}</p>
                )}
              </section>
            ))}
            <section className="panel-lb" aria-label={`SSH link to ${node.node}`}>
              <h3>SSH link</h3>
              <dl className="kv">
                <dt>Target</dt>
                <dd className="mono">{node.link.target}</dd>
                <dt>State</dt>
                <dd>
                  {linkWord(node.link.state)} since {clock(node.link.since)}
                </dd>
                <dt>Round trip</dt>
                <dd className="num">{formatMs(node.link.rttMs)}</dd>
                <dt>Missed beats</dt>
                <dd className="num">{node.link.missedBeats}</dd>
                {node.link.lastError ? (
                  <>
                    <dt>Last error</dt>
                    <dd className="runtime-bad">{node.link.lastError.message}</dd>
                  </>
                ) : null}
              </dl>
            </section>
          </>
        ) : null}
      </Dialog.Content>
    </Dialog.Root>
  );
}
