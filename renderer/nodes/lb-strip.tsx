import { useApp } from '../state/store';
import { Tip } from '../ui/tip';
import { clock, formatMs, linkBad, linkWord, runtimeLine } from './node-view';
import { Sparkline } from './sparkline';

/** One card per LB: its SSH link (state, RTT) and its HAProxy runtime (version, pid) or why it can't be read. */
export function LbStrip({ cluster }: { cluster: string }) {
  const lbs = useApp((s) => s.status[cluster]?.lbs);
  if (!lbs) return null;
  return (
    <section className="lb-strip" aria-label="Load balancers" data-testid="lb-strip">
      {lbs.map((lb) => {
        const rt = runtimeLine(lb);
        const l = lb.link;
        const up = l.state === 'up';
        return (
          <div key={lb.lb} className={`lb-card ${!up || !rt.ok ? 'lb-card-bad' : ''}`} data-testid={`lb-card-${lb.lb}`}>
            <div className="lb-card-head">
              <span className="lb-name">{lb.lb}</span>
              <span className="muted">{lb.address}</span>
            </div>
            <div className="lb-card-line">
              <span className="lb-label">SSH</span>
              <Tip content={l.lastError ? l.lastError.message : `${l.target}, ${linkWord(l.state)} since ${clock(l.since)}`}>
                <span className={`link-state ${up ? 'link-up' : linkBad(l.state) ? 'link-bad' : 'link-wait'}`} tabIndex={-1} data-testid={`lb-link-${lb.lb}`}>
                  {linkWord(l.state)}
                </span>
              </Tip>
              {up ? (
                <>
                  <span className="num">{formatMs(l.rttMs)}</span>
                  <Sparkline values={l.recentRttMs} width={48} label={`recent round trips to ${lb.lb}`} />
                </>
              ) : null}
            </div>
            <div className="lb-card-line">
              <span className="lb-label">Runtime</span>
              <Tip content={rt.ok ? null : rt.text}>
                <span className={rt.ok ? 'runtime-ok' : 'runtime-bad'} data-testid={`lb-runtime-${lb.lb}`} tabIndex={rt.ok ? undefined : 0}>
                  {rt.text}
                </span>
              </Tip>
            </div>
            <div className="lb-card-line muted">
              <span className="lb-label">Socket</span>
              <span className="mono ellipsis">{lb.socket}</span>
            </div>
          </div>
        );
      })}
    </section>
  );
}
