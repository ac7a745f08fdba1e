import { Toast } from 'radix-ui';
import { useShallow } from 'zustand/react/shallow';
import { ProgressToast } from '../acting/progress-toast';
import { SplitCard } from '../acting/split-card';
import { useApp } from '../state/store';

/**
 * Everything shown in the toast corner: results (confirmations fade after 6 s; errors stay until
 * dismissed), one live progress toast per running action, and split results with Retry.
 */
export function Toasts() {
  const toasts = useApp((s) => s.toasts);
  const dismiss = useApp((s) => s.dismissToast);
  const running = useApp(useShallow((s) => Object.keys(s.running)));
  const splits = useApp(useShallow((s) => s.splits.map((x) => x.result.id)));
  return (
    <>
      {toasts.map((t) => (
        <Toast.Root
          key={t.id}
          className={`toast toast-${t.tone}`}
          duration={t.sticky ? Infinity : 6000}
          type={t.tone === 'error' || t.tone === 'warn' ? 'foreground' : 'background'}
          onOpenChange={(o) => !o && dismiss(t.id)}
          data-testid={`toast-${t.tone}`}
        >
          <Toast.Title className="toast-title">{t.title}</Toast.Title>
          {t.body ? <Toast.Description className="toast-body">{t.body}</Toast.Description> : null}
          {t.next ? (
            <div className="toast-next">
              <span className="error-next-label">Next: </span>
              {t.next}
            </div>
          ) : null}
          <Toast.Close className="icon-button toast-close" aria-label="Dismiss">
            ✕
          </Toast.Close>
        </Toast.Root>
      ))}
      {running.map((k) => (
        <ProgressToast key={k} runKey={k} />
      ))}
      {splits.map((id) => (
        <SplitCard key={id} id={id} />
      ))}
    </>
  );
}
