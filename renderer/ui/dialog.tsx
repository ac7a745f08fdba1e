import { Dialog } from 'radix-ui';
import type { ReactNode } from 'react';

interface AppDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: ReactNode;
  /** One line under the title; also the dialog's accessible description. */
  description?: ReactNode;
  testid: string;
  size?: 'normal' | 'wide';
  tone?: 'normal' | 'danger';
  children: ReactNode;
  /** Escape and clicks outside close only when closing is harmless. */
  dismissable?: boolean;
}

/**
 * Radix's modal Dialog (focus trap, Escape, aria-modal, the rest of the page hidden from assistive
 * tech) WITHOUT Dialog.Overlay: the overlay's scroll lock injects a <style> element, which the CSP
 * (style-src 'self') refuses. The page never scrolls as a whole, so nothing is lost; the dimmed
 * backdrop is a plain element.
 */
export function AppDialog(p: AppDialogProps) {
  const dismissable = p.dismissable ?? true;
  return (
    <Dialog.Root open={p.open} onOpenChange={p.onOpenChange}>
      <Dialog.Portal>
        <div className="dialog-backdrop" aria-hidden="true" />
        <Dialog.Content
          className={`dialog dialog-${p.size ?? 'normal'} dialog-tone-${p.tone ?? 'normal'}`}
          data-testid={p.testid}
          {...(p.description ? {} : { 'aria-describedby': undefined })}
          onEscapeKeyDown={(e) => {
            if (!dismissable) e.preventDefault();
          }}
          onPointerDownOutside={(e) => {
            if (!dismissable) e.preventDefault();
          }}
          onInteractOutside={(e) => {
            if (!dismissable) e.preventDefault();
          }}
        >
          <Dialog.Title className="dialog-title">{p.title}</Dialog.Title>
          {p.description ? <Dialog.Description className="dialog-desc">{p.description}</Dialog.Description> : null}
          <div className="dialog-body">{p.children}</div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export const DialogClose = Dialog.Close;
