import { useEffect } from 'preact/hooks';
import { get } from '../api';
import { useDraft, useId, useLoad } from '../hooks';
import { BASE, linkClick, setQuery, useLocation } from '../router';
import type { DualRunRow, Page, State } from '../types';
import { meaningOf, useVocabulary } from '../vocabulary';
import { BackendName, ClassBadge, ErrorBox, Loading } from '../components/common';
import { DateRangeFields, FilterActions, Pager } from '../components/filters';
import { fmtInt, fmtMs, fmtTime, timeZone } from '../format';

export function DiffsPage() {
  const vocabulary = useVocabulary();
  const loc = useLocation();
  const q = loc.query;
  const filters = { class: q.get('class') ?? '', backend: q.get('backend') ?? '', from: q.get('from') ?? '', to: q.get('to') ?? '' };
  const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
  const pageSize = [10, 25, 50, 100].includes(Number(q.get('pageSize'))) ? Number(q.get('pageSize')) : 25;
  const key = `${loc.query.toString()}`;
  const runs = useLoad(() => get<Page<DualRunRow>>('/dual-runs', { ...filters, page, pageSize }), key);
  const state = useLoad(() => get<State>('/state'), 'state');
  useEffect(() => { document.title = 'Diffs · Playground migration admin'; }, []);

  const [draft, setDraft] = useDraft(filters, key);
  const ids = { cls: useId('f-class'), backend: useId('f-backend'), size: useId('f-size') };

  const apply = (e: Event) => {
    e.preventDefault();
    setQuery({ ...draft, pageSize: pageSize === 25 ? undefined : pageSize });
  };
  const goPage = (p: number) => setQuery({ ...filters, page: p > 1 ? p : undefined, pageSize: pageSize === 25 ? undefined : pageSize });
  const backends = state.data?.backends ?? [];
  const data = runs.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;

  return (
    <section class="page">
      <div class="page-head">
        <h1>Diffs</h1>
        <button type="button" onClick={() => void runs.reload()} disabled={runs.loading}>{runs.loading ? 'Loading…' : 'Refresh'}</button>
      </div>
      <form noValidate class="card filters" onSubmit={apply} aria-label="Filter dual runs">
        <div class="field">
          <label for={ids.cls}>Class</label>
          <select id={ids.cls} value={draft.class} onChange={(e) => setDraft({ ...draft, class: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">any class</option>
            <option value="mismatch,backend-error">failing (mismatch, backend-error)</option>
            {vocabulary.diffClasses.map(({ name }) => <option key={name} value={name}>{name}</option>)}
          </select>
        </div>
        <div class="field">
          <label for={ids.backend}>Backend (either side)</label>
          <select id={ids.backend} value={draft.backend} onChange={(e) => setDraft({ ...draft, backend: (e.currentTarget as HTMLSelectElement).value })}>
            <option value="">any backend</option>
            {backends.map((b) => <option key={b.id} value={b.id}>{b.id}{b.emulation ? ' (emulation)' : ''}</option>)}
          </select>
        </div>
        <DateRangeFields draft={draft} setDraft={setDraft} idPrefix="f" />
        <div class="field">
          <label for={ids.size}>Per page</label>
          <select id={ids.size} value={String(pageSize)} onChange={(e) => setQuery({ ...filters, pageSize: (e.currentTarget as HTMLSelectElement).value })}>
            {[10, 25, 50, 100].map((n) => <option key={n} value={String(n)}>{n}</option>)}
          </select>
        </div>
        <FilterActions />
      </form>
      <ErrorBox error={runs.error} title="Could not load dual runs:" />
      {!data && !runs.error && <Loading what="dual runs" />}
      {data && (
        <div class="card">
          <p class="note" aria-live="polite">{fmtInt(data.total)} dual run{data.total === 1 ? '' : 's'} match; newest first. Times in {timeZone()}.</p>
          <div class="table-scroll">
            <table class="data runs">
              <thead>
                <tr>
                  <th scope="col">#</th><th scope="col">Time</th><th scope="col">Class</th><th scope="col">Primary → shadow</th>
                  <th scope="col">Kind</th><th scope="col">Time taken</th><th scope="col">Rules matched</th><th scope="col">Route</th>
                </tr>
              </thead>
              <tbody>
                {data.items.length === 0 && <tr><td colSpan={8}>No dual runs match these filters.</td></tr>}
                {data.items.map((r) => (
                  <tr key={r.id} data-run={r.id}>
                    <td><a href={`${BASE}/diffs/${r.id}`} onClick={(e) => linkClick(e as unknown as MouseEvent)} aria-label={`Dual run ${r.id}: ${r.diffClass}`}>#{r.id}</a></td>
                    <td class="nowrap">{fmtTime(r.at)}</td>
                    <td><ClassBadge cls={r.diffClass} /><span class="sr-only"> ({meaningOf(vocabulary, r.diffClass)})</span></td>
                    <td class="nowrap"><BackendName id={r.primaryBackend} backends={backends} /> → <BackendName id={r.shadowBackend} backends={backends} /></td>
                    <td>{r.programKind}</td>
                    <td class="num nowrap">{fmtMs(r.primaryMs)} / {fmtMs(r.shadowMs)}</td>
                    <td>{r.matchedRules.length ? r.matchedRules.join(', ') : '—'}</td>
                    <td class="route">{r.routeReason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pages} label="Pages of dual runs" go={goPage} />
        </div>
      )}
    </section>
  );
}
