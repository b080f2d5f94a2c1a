import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '../ui.tsx';
import './dialog.css';

/** A modal dialog on the native <dialog> element: focus is trapped, Escape closes it. */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="modal"
      aria-label={title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2>{title}</h2>
      {children}
    </dialog>
  );
}

/**
 * A destructive action behind a confirmation dialog that names what will happen. `onConfirm` may
 * be async; the dialog stays open (busy) until it settles and shows its error if it fails.
 */
export function ConfirmButton({
  label,
  title,
  message,
  confirmLabel,
  onConfirm,
  variant = 'danger',
  small,
}: {
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<unknown> | void;
  variant?: 'danger' | 'secondary' | 'ghost';
  small?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <Button
        variant={variant === 'danger' && small ? 'ghost' : variant}
        className={small ? 'btn-small' : undefined}
        onClick={() => (setError(null), setOpen(true))}
      >
        {label}
      </Button>
      {open ? (
        <Modal title={title} onClose={() => setOpen(false)}>
          <div>{message}</div>
          {error ? (
            <div className="banner banner-error" role="alert">
              {error}
            </div>
          ) : null}
          <div className="row modal-actions">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant="danger"
              busy={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await onConfirm();
                  setOpen(false);
                } catch (e) {
                  setError(e instanceof Error ? e.message : String(e));
                } finally {
                  setBusy(false);
                }
              }}
            >
              {confirmLabel ?? label}
            </Button>
          </div>
        </Modal>
      ) : null}
    </>
  );
}

/** A secret shown once, with a copy button and the warning that it will not be shown again. */
export function SecretOnce({ label, secret, onDone }: { label: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="banner banner-success stack" role="status">
      <strong>{label}</strong>
      <span>Copy it now: it is shown only once and cannot be retrieved later.</span>
      <div className="secret-once">
        <code className="secret" data-testid="secret">
          {secret}
        </code>
        <Button
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(secret);
              setCopied(true);
            } catch {
              setCopied(false);
            }
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <div>
        <Button onClick={onDone}>I have saved it</Button>
      </div>
    </div>
  );
}
