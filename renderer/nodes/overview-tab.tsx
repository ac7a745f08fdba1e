import './nodes.css';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { LbStrip } from './lb-strip';
import { NodePanel } from './node-panel';
import { NodeTable } from './node-table';

export function OverviewTab({ cluster }: { cluster: string }) {
  const has = useApp((s) => s.status[cluster] !== undefined);
  const error = useApp((s) => s.statusError[cluster] ?? null);
  return (
    <div className="overview">
      <div className="overview-main">
        {error ? <ErrorBox error={error} /> : null}
        {has ? (
          <>
            <LbStrip cluster={cluster} />
            <NodeTable cluster={cluster} />
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
