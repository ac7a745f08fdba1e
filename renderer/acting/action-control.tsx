import { useShallow } from 'zustand/react/shallow';
import type { NodeAction } from '../../shared/domain/action';
import type { NodeStatus } from '../../shared/domain/status';
import { requestAction } from '../state/ops/acting-ops';
import { useApp } from '../state/store';
import { Tip } from '../ui/tip';
import { ACTION_WORD, controlBlock, currentMode } from './acting-view';

const SEGMENTS: readonly NodeAction[] = ['ready', 'drain', 'maint'];

const HINT: Record<NodeAction, (n: string) => string> = {
  ready: (n) => `Ready: ${n} takes new sessions again once its checks pass`,
  drain: (n) => `Drain: ${n} gets no new sessions; current ones finish`,
  maint: (n) => `Maint: ${n} is taken out of service, checks stop`,
};

/** Ready | Drain | Maint for one node: the current one pressed; every click opens the confirm dialog. */
export function ActionControl({ cluster, node, tabbable, testidPrefix = '' }: { cluster: string; node: NodeStatus; tabbable: boolean; testidPrefix?: string }) {
  const runningHere = useApp(
    useShallow((s) => {
      const r = Object.values(s.running).find((x) => x.cluster === cluster);
      return r ? { node: r.node, action: r.action } : null;
    }),
  );
  const connected = useApp((s) => s.conn === 'open');
  const block = controlBlock({ node: node.node, runningHere, connected });
  const mode = currentMode(node);
  return (
    <div role="group" aria-label={`Set ${node.node}`} className="segmented">
      {SEGMENTS.map((a) => (
        <Tip key={a} content={block ?? (mode === a ? `${HINT[a](node.node)} (current; click to apply again)` : HINT[a](node.node))}>
          <button
            type="button"
            className={`seg seg-${a}`}
            data-testid={`${testidPrefix}action-${node.node}-${a}`}
            aria-pressed={mode === a}
            aria-disabled={block ? true : undefined}
            tabIndex={tabbable ? 0 : -1}
            onClick={() => {
              if (!block) void requestAction(cluster, node.node, a);
            }}
          >
            {ACTION_WORD[a]}
          </button>
        </Tip>
      ))}
    </div>
  );
}

