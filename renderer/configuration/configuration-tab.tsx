import './configuration.css';
import './sync.css';
import { useEffect } from 'react';
import { loadMatrix, openWizard } from '../state/ops/files-ops';
import { filesOf } from '../state/files-slice';
import { useApp } from '../state/store';
import { CellDialog } from './cell-dialog';
import { FileDialog } from './file-dialog';
import { FilesList } from './files-list';
import { PushWizard } from './push-wizard';
import { RollbackDialog } from './rollback-dialog';
import { SyncMatrixView } from './sync-matrix';

/**
 * Configuration: the sync matrix (hosts × managed files), the managed files, and the push wizard.
 * The wizard replaces the page while open; closing it keeps it, so it can be resumed.
 */
export function ConfigurationTab({ cluster }: { cluster: string }) {
  const wizardOpen = useApp((s) => filesOf(s, cluster).wizard.open);
  const running = useApp((s) => !!filesOf(s, cluster).wizard.run?.running);
  const resumable = useApp((s) => {
    const w = filesOf(s, cluster).wizard;
    return !w.open && (w.step !== 'choose' || !!w.run);
  });
  const hasFiles = useApp((s) => (filesOf(s, cluster).matrix?.files.length ?? 0) > 0);

  useEffect(() => {
    void loadMatrix(cluster);
  }, [cluster]);

  return (
    <section className="cfg" data-testid="configuration-tab" aria-label="Configuration">
      <header className="cfg-head">
        <div>
          <h2>Configuration</h2>
          <p className="muted">
            Files ClusterDeck keeps the same on every host: their SHA-256 on each host against the desired version, the diff, and a push that
            validates on the host before it replaces anything.
          </p>
        </div>
        {!wizardOpen ? (
          <button type="button" className="btn btn-primary" disabled={!hasFiles} onClick={() => openWizard(cluster)} data-testid="push-open">
            {running ? 'Show the running push' : resumable ? 'Resume the push wizard' : 'Push configuration…'}
          </button>
        ) : null}
      </header>
      {wizardOpen ? (
        <PushWizard cluster={cluster} />
      ) : (
        <>
          <SyncMatrixView cluster={cluster} />
          <FilesList cluster={cluster} />
        </>
      )}
      <FileDialog cluster={cluster} />
      <CellDialog cluster={cluster} />
      <RollbackDialog cluster={cluster} />
    </section>
  );
}
