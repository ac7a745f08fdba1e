import { Tooltip } from 'radix-ui';
import type { ReactElement, ReactNode } from 'react';

/** A tooltip on any focusable or hoverable element; `shortcut` shows the key that does the same. */
export function Tip({ content, shortcut, side = 'top', children }: { content: ReactNode; shortcut?: string; side?: 'top' | 'bottom' | 'left' | 'right'; children: ReactElement }) {
  if (content === null || content === undefined || content === '') return children;
  return (
    <Tooltip.Root>
      <Tooltip.Trigger asChild>{children}</Tooltip.Trigger>
      <Tooltip.Portal>
        <Tooltip.Content className="tip" side={side} sideOffset={6} collisionPadding={8}>
          {content}
          {shortcut ? <kbd className="tip-kbd">{shortcut}</kbd> : null}
          <Tooltip.Arrow className="tip-arrow" />
        </Tooltip.Content>
      </Tooltip.Portal>
    </Tooltip.Root>
  );
}
