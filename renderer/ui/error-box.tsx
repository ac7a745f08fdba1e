import type { ShownError } from '../state/types';

/** An error as an admin acts on it: what failed, the core's words, what to do next. */
export function ErrorBox({ error, testid }: { error: ShownError; testid?: string }) {
  return (
    <div className="error-box" role="alert" data-testid={testid}>
      <div className="error-title">{error.title}</div>
      <div className="error-detail">{error.detail}</div>
      <div className="error-next">
        <span className="error-next-label">Next: </span>
        {error.next}
      </div>
    </div>
  );
}
