import { Toast } from 'radix-ui';
import { useApp } from '../state/store';
import { useNow } from '../ui/use-now';
import { actionGerund, progressLines, sessionsWord, timeLeft } from './acting-view';

/** While an action runs: per-LB phase, sessions counting down while draining, and the deadline. */
export function ProgressToast({ runKey }: { runKey: string }) {
  const run = useApp((s) => s.running[runKey]);
  const now = useNow(run?.progress?.deadline != null, 500);
  if (!run) return null;
  const p = run.progress;
  const lines = p ? progressLines(p) : [];
  return (
    <Toast.Root className="toast toast-progress" open duration={Infinity} type="background" data-testid="progress-toast" onOpenChange={() => undefined}>
      <Toast.Title className="toast-title">
        <span className="spinner" aria-hidden="true" /> {actionGerund(run.action)} {run.node}
        {run.ours ? '' : ' (started elsewhere)'}
      </Toast.Title>
      <Toast.Description asChild>
        <div className="toast-body">
          {!p ? <div>Sending…</div> : null}
          {p?.deadline ? (
            <div className="deadline" data-testid="progress-deadline">
              Deadline {new Date(p.deadline).toLocaleTimeString([], { hour12: false })} · <strong className="num">{timeLeft(p.deadline, now)}</strong>
            </div>
          ) : null}
          <ul className="progress-lines">
            {lines.map((l) => (
              <li key={l.lb} className={l.failed ? 'runtime-bad' : ''} data-testid={`progress-line-${l.lb}`}>
                <strong>{l.lb}</strong> {l.phase}
                {l.status ? ` · ${l.status}` : ''}
                {l.sessions !== null ? ` · ${sessionsWord(l.sessions)}` : ''}
              </li>
            ))}
          </ul>
        </div>
      </Toast.Description>
    </Toast.Root>
  );
}
