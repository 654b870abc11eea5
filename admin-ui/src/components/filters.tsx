import { useId } from '../hooks';
import { setQuery } from '../router';
import { isoToLocalInput, localInputToIso, timeZone } from '../format';

/** "From" and "To" datetime-local fields (viewer's zone) editing the ISO `from`/`to` of a filter draft. */
export function DateRangeFields<D extends { from: string; to: string }>({ draft, setDraft, idPrefix }: { draft: D; setDraft: (d: D) => void; idPrefix: string }) {
  const ids = { from: useId(`${idPrefix}-from`), to: useId(`${idPrefix}-to`) };
  return (
    <>
      <div class="field">
        <label for={ids.from}>From ({timeZone()})</label>
        <input id={ids.from} type="datetime-local" value={isoToLocalInput(draft.from)} onInput={(e) => setDraft({ ...draft, from: localInputToIso((e.currentTarget as HTMLInputElement).value) })} />
      </div>
      <div class="field">
        <label for={ids.to}>To</label>
        <input id={ids.to} type="datetime-local" value={isoToLocalInput(draft.to)} onInput={(e) => setDraft({ ...draft, to: localInputToIso((e.currentTarget as HTMLInputElement).value) })} />
      </div>
    </>
  );
}

/** Newer/older paging for a newest-first list. */
export function Pager({ page, pages, label, go }: { page: number; pages: number; label: string; go: (page: number) => void }) {
  return (
    <nav class="pager" aria-label={label}>
      <button type="button" onClick={() => go(page - 1)} disabled={page <= 1}>← Newer</button>
      <span>Page {page} of {pages}</span>
      <button type="button" onClick={() => go(page + 1)} disabled={page >= pages}>Older →</button>
    </nav>
  );
}

/** A filter form's buttons: submit it, or clear every filter from the address. */
export function FilterActions() {
  return (
    <div class="actions">
      <button type="submit" class="primary">Filter</button>
      <button type="button" onClick={() => setQuery({})}>Clear</button>
    </div>
  );
}
