import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';
import { useSession, VIEWER_NOTE_ID } from '../session';
import type { Backend } from '../types';
import { meaningOf, useVocabulary } from '../vocabulary';
import { useId } from '../hooks';

/** An API failure in the server's words (never swallowed), with any details it sent. */
export function ErrorBox({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div class="msg msg-error" role="alert">
      {title && <strong>{title} </strong>}
      <span>{message}</span>
      {details.length > 0 && (
        <ul>
          {details.map((d) => <li key={d}>{d}</li>)}
        </ul>
      )}
    </div>
  );
}

export function Ok({ children }: { children: ComponentChildren }) {
  return <div class="msg msg-ok" role="status">{children}</div>;
}

export function Note({ children }: { children: ComponentChildren }) {
  return <p class="note">{children}</p>;
}

/** Said next to every form of change controls when the signed-in user is a viewer. */
export function ViewerNote() {
  const s = useSession();
  if (s.canChange) return null;
  return <p class="viewer-inline">Disabled: {s.why}</p>;
}

export function ViewerBanner() {
  const s = useSession();
  if (s.canChange) return null;
  return (
    <div class="banner-viewer" id={VIEWER_NOTE_ID} role="note">
      Read-only: {s.why}
    </div>
  );
}

export const CLASS_COLOURS: Record<string, string> = {
  match: '#2e7d32',
  'timing-only': '#00838f',
  expected: '#1565c0',
  flaky: '#b26a00',
  mismatch: '#c62828',
  'both-failed': '#616161',
  'backend-error': '#6a1b9a',
};

export function ClassBadge({ cls }: { cls: string }) {
  const v = useVocabulary();
  return (
    <span class="badge" style={{ background: CLASS_COLOURS[cls] ?? '#555' }} title={meaningOf(v, cls)}>
      {cls}
    </span>
  );
}

const PALETTE = ['#e65100', '#6a1b9a', '#2e7d32', '#ad1457', '#00695c'];

/** linux-amd64 is always blue; legacy and other backends get the next colours in order. */
export function backendColour(id: string, all: string[]): string {
  if (id === 'linux-amd64') return '#1565c0';
  const others = all.filter((b) => b !== 'linux-amd64');
  const i = others.indexOf(id);
  return PALETTE[(i < 0 ? others.length : i) % PALETTE.length];
}

/** A backend's id, with its emulation said in words wherever it is named. */
export function BackendName({ id, backends }: { id: string; backends?: Backend[] }) {
  const b = backends?.find((x) => x.id === id);
  return (
    <span class="backend-name">
      <code>{id}</code>
      {b?.emulation && <>{' '}<span class="tag tag-emulation" title={b.label}>emulation</span></>}
    </span>
  );
}

/** A required reason for a change, labelled, with a hint. */
export function ReasonField(props: { value: string; onInput: (v: string) => void; control?: Record<string, unknown>; label?: string; placeholder?: string }) {
  const id = useId('reason');
  return (
    <div class="field">
      <label for={id}>{props.label ?? 'Reason (required, kept in the audit log)'}</label>
      <textarea
        id={id}
        rows={2}
        required
        maxLength={useVocabulary().limits.reasonMaxLength}
        value={props.value}
        {...props.control}
        placeholder={props.placeholder ?? 'Why this change, for the audit log'}
        onInput={(e) => props.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p class="loading" role="status">Loading {what}…</p>;
}

export function Yes({ ok, yes = 'yes', no = 'no' }: { ok: boolean; yes?: string; no?: string }) {
  return <span class={ok ? 'yes' : 'no'}>{ok ? `✓ ${yes}` : `✗ ${no}`}</span>;
}
