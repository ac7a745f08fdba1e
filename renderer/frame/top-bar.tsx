import { useShallow } from 'zustand/react/shallow';
import { keyQueue } from '../host-keys/host-key-view';
import { activeCount, linksUp, linkWord } from '../nodes/node-view';
import { StateBadge } from '../nodes/state-badge';
import { retryLinks } from '../state/ops/links-ops';
import { useApp } from '../state/store';
import { Tip } from '../ui/tip';
import { failoverBudget } from './budget';
import { vipView } from './vip-view';

export const SEARCH_ID = 'node-search';

/** The cluster's name, failover budget, which LB holds the VIP (when it has one), SSH links, health, and the node search (`/`). */
export function TopBar({ cluster }: { cluster: string }) {
  const settings = useApp((s) => s.specs[cluster]?.settings);
  const summary = useApp(
    useShallow((s) => {
      const st = s.status[cluster];
      if (!st) return null;
      const l = linksUp(st);
      const down = [...st.nodes.map((n) => n.link), ...st.lbs.map((x) => x.link)].filter((k) => k.state !== 'up').map((k) => `${k.host}: ${linkWord(k.state)}`);
      return { worst: st.worst, count: activeCount(st), up: l.up, total: l.total, down: down.join('\n') };
    }),
  );
  const vipState = useApp((s) => s.status[cluster]?.vip ?? null);
  const vip = vipView(vipState);
  const keys = useApp(useShallow((s) => keyQueue(s.pendingKeys, s.dismissedKeys)));
  const reopenKeys = useApp((s) => s.reopenKeys);
  const search = useApp((s) => s.search);
  const setSearch = useApp((s) => s.setSearch);
  const setTab = useApp((s) => s.setTab);
  return (
    <header className="topbar" data-testid="top-bar">
      <div className="topbar-title">
        <h1 data-testid="cluster-name">{cluster}</h1>
        {summary ? (
          <span className="topbar-health">
            {summary.worst === 'active' || summary.worst === 'standby' ? (
              // A backup server on standby is the healthy shape of an HA cluster, not a warning.
              <span className="topbar-healthy" data-testid="cluster-worst">
                all nodes healthy
              </span>
            ) : (
              <>
                <span className="muted">worst</span>
                <StateBadge state={summary.worst} reason="The worst merged state across this cluster's nodes" testid="cluster-worst" />
              </>
            )}
            <span className="num" data-testid="active-count">
              {summary.count}
            </span>
          </span>
        ) : null}
      </div>
      <dl className="topbar-facts">
        <div>
          <dt>Failover</dt>
          <dd data-testid="failover-budget">{settings ? failoverBudget(settings) : '…'}</dd>
        </div>
        {vip ? (
          <div className="topbar-vip" data-testid="vip-fact">
            <dt>VIP</dt>
            <dd>
              <Tip content={<span className="pre-line">{vip.tip}</span>}>
                <span tabIndex={0} className={`vip vip-${vip.tone}`} data-testid="vip" data-tone={vip.tone}>
                  {vip.text}
                </span>
              </Tip>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>SSH</dt>
          <dd>
            <Tip content={summary?.down ? <span className="pre-line">{summary.down}</span> : 'Every SSH link is up'}>
              <span tabIndex={0} className={summary && summary.up < summary.total ? 'warn-text' : ''} data-testid="links-up">
                {summary ? `${summary.up}/${summary.total} links` : '…'}
              </span>
            </Tip>
            {summary && summary.up < summary.total ? (
              <Tip content="Try every SSH link of this cluster again now (after fixing a key file, loading ssh-agent or clearing a host key)">
                <button type="button" className="btn btn-small reconnect" onClick={() => void retryLinks(cluster)} data-testid="links-retry">
                  Reconnect
                </button>
              </Tip>
            ) : null}
          </dd>
        </div>
      </dl>
      {keys.dismissed > 0 ? (
        <button type="button" className="btn btn-warn btn-small" onClick={reopenKeys} data-testid="review-host-keys">
          Host keys: {keys.dismissed} to review
        </button>
      ) : null}
      <div className="search">
        <label htmlFor={SEARCH_ID} className="visually-hidden">
          Filter nodes
        </label>
        <input
          id={SEARCH_ID}
          type="search"
          placeholder="Filter nodes"
          value={search}
          autoComplete="off"
          spellCheck={false}
          data-testid="node-search"
          onFocus={() => setTab('overview')}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setSearch('');
              e.currentTarget.blur();
            }
          }}
        />
        <kbd className="search-kbd" aria-hidden="true">
          /
        </kbd>
      </div>
    </header>
  );
}
