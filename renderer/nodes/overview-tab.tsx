import './nodes.css';
import { ChartsSection } from '../charts/charts-section';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { LbStrip } from './lb-strip';
import { NodePanel } from './node-panel';
import { NodeTable } from './node-table';
import { QuorumPanel } from './quorum-panel';

/** The cluster at a glance: LBs and quorum, the node table, then the charts (the page scrolls; the table keeps its own scroll). */
export function OverviewTab({ cluster }: { cluster: string }) {
  const has = useApp((s) => s.status[cluster] !== undefined);
  const error = useApp((s) => s.statusError[cluster] ?? null);
  return (
    <div className="overview">
      <div className="overview-main" data-testid="overview-main">
        {error ? <ErrorBox error={error} /> : null}
        {has ? (
          <>
            <div className="overview-top">
              <LbStrip cluster={cluster} />
              <QuorumPanel cluster={cluster} />
            </div>
            <NodeTable cluster={cluster} />
            <ChartsSection cluster={cluster} />
          </>
        ) : error ? null : (
          <p className="loading" role="status">
            Connecting to every node and load balancer of {cluster}…
          </p>
        )}
      </div>
      <NodePanel cluster={cluster} />
    </div>
  );
}
