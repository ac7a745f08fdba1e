import { useMemo, useSyncExternalStore } from 'react';

const DARK = '(prefers-color-scheme: dark)';

function subscribe(cb: () => void): () => void {
  const mq = window.matchMedia(DARK);
  mq.addEventListener('change', cb);
  return () => mq.removeEventListener('change', cb);
}

/**
 * Theme colours for SVG attributes (recharts draws with stroke/fill attributes, not CSS): read from
 * the CSS variables, and read again when the OS switches between light and dark.
 */
export function useCssColors<T extends string>(names: readonly T[]): Record<T, string> {
  const dark = useSyncExternalStore(subscribe, () => window.matchMedia(DARK).matches);
  const key = names.join('|');
  return useMemo(() => {
    const cs = getComputedStyle(document.documentElement);
    return Object.fromEntries(key.split('|').map((n) => [n, cs.getPropertyValue(`--${n}`).trim() || 'currentColor'])) as Record<T, string>;
    // `dark` re-reads the variables after a theme switch
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, dark]);
}
