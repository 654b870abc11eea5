import { useEffect, useState } from 'preact/hooks';
import { download, get } from '../api';
import { useDraft, useId, useLoad } from '../hooks';
import { setQuery, useLocation } from '../router';
import type { AuditEvent, Page } from '../types';
import { ErrorBox, Loading, Ok } from '../components/common';
import { DateRangeFields, FilterActions, Pager } from '../components/filters';
import { fmtInt, fmtTime, timeZone } from '../format';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const show = (v: unknown): string =>
  v === null || v === undefined ? '—' : typeof v === 'string' ? (ISO.test(v) ? fmtTime(v) : v) : JSON.stringify(v);

/** The fields an audit event changed, as "field: before → after" (whole values for non-objects). */
export function changedFields(before: unknown, after: unknown): Array<{ field: string; from: string; to: string }> {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  // A created thing has no "before" (and a removed one no "after"): compare field by field anyway.
  if (before === null && isObj(after)) before = {};
  if (after === null && isObj(before)) after = {};
  if (!isObj(before) || !isObj(after)) {
    return show(before) === show(after) ? [] : [{ field: '', from: show(before), to: show(after) }];
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys.filter((k) => show(before[k]) !== show(after[k]) && k !== 'version').map((k) => ({ field: k, from: show(before[k]), to: show(after[k]) }));
}

export function AuditPage() {
  const loc = useLocation();
  const q = loc.query;
  const filters = { action: q.get('action') ?? '', actor: q.get('actor') ?? '', from: q.get('from') ?? '', to: q.get('to') ?? '' };
  const page = Math.max(1, Number(q.get('page') ?? 1) || 1);
  const key = q.toString();
  const events = useLoad(() => get<Page<AuditEvent>>('/audit', { ...filters, page, pageSize: 25 }), key);
  const [draft, setDraft] = useDraft(filters, key);
  const [exportErr, setExportErr] = useState<unknown>(null);
  const [exported, setExported] = useState('');
  const [exporting, setExporting] = useState(false);
  useEffect(() => { document.title = 'Audit log · Playground migration admin'; }, []);
  const ids = { action: useId('a-action'), actor: useId('a-actor'), actions: useId('a-actions'), actors: useId('a-actors') };
  const data = events.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const seenActions = [...new Set(data?.items.map((e) => e.action) ?? [])];
  const seenActors = [...new Set(data?.items.map((e) => e.actor) ?? [])];

  const exportCsv = async () => {
    setExporting(true);
    setExportErr(null);
    setExported('');
    try {
      const name = await download('/audit', { ...filters, format: 'csv' }, 'audit.csv');
      setExported(`Downloaded ${name} (${data ? `${fmtInt(data.total)} events` : 'all matching events'}).`);
    } catch (e) {
      setExportErr(e);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section class="page">
      <div class="page-head">
        <h1>Audit log</h1>
        <div class="inline-form">
          <button type="button" onClick={() => void events.reload()} disabled={events.loading}>Refresh</button>
          <button type="button" class="primary" onClick={exportCsv} disabled={exporting}>{exporting ? 'Exporting…' : 'Export CSV'}</button>
        </div>
      </div>
      <ErrorBox error={exportErr} title="Export failed:" />
      {exported && <Ok>{exported}</Ok>}
      <form noValidate class="card filters" onSubmit={(e) => { e.preventDefault(); setQuery(draft); }} aria-label="Filter the audit log">
        <div class="field">
          <label for={ids.action}>Action (exact)</label>
          <input id={ids.action} list={ids.actions} value={draft.action} onInput={(e) => setDraft({ ...draft, action: (e.currentTarget as HTMLInputElement).value })} />
          <datalist id={ids.actions}>{seenActions.map((a) => <option key={a} value={a} />)}</datalist>
        </div>
        <div class="field">
          <label for={ids.actor}>Actor</label>
          <input id={ids.actor} list={ids.actors} value={draft.actor} onInput={(e) => setDraft({ ...draft, actor: (e.currentTarget as HTMLInputElement).value })} />
          <datalist id={ids.actors}>{seenActors.map((a) => <option key={a} value={a} />)}</datalist>
        </div>
        <DateRangeFields draft={draft} setDraft={setDraft} idPrefix="a" />
        <FilterActions />
      </form>
      <ErrorBox error={events.error} title="Could not load the audit log:" />
      {!data && !events.error && <Loading what="the audit log" />}
      {data && (
        <div class="card">
          <p class="note" aria-live="polite">{fmtInt(data.total)} event{data.total === 1 ? '' : 's'}; newest first. Times in {timeZone()}. The log is append-only.</p>
          <div class="table-scroll">
            <table class="data audit">
              <thead>
                <tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Reason</th><th scope="col">What changed</th></tr>
              </thead>
              <tbody>
                {data.items.length === 0 && <tr><td colSpan={5}>No events match these filters.</td></tr>}
                {data.items.map((e) => {
                  const changes = changedFields(e.before, e.after);
                  return (
                    <tr key={e.id} data-audit={e.id}>
                      <td class="nowrap">{fmtTime(e.at)}</td>
                      <td>{e.actor}</td>
                      <td><code>{e.action}</code></td>
                      <td class="reason">{e.reason}</td>
                      <td>
                        {changes.length === 0 ? '—' : (
                          <ul class="changes compact">
                            {changes.slice(0, 6).map((c) => <li key={c.field}>{c.field && <strong>{c.field}: </strong>}<span class="from">{c.from}</span> → <span class="to">{c.to}</span></li>)}
                            {changes.length > 6 && <li>… {changes.length - 6} more</li>}
                          </ul>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager page={page} pages={pages} label="Pages of the audit log" go={(p) => setQuery({ ...filters, page: p > 1 ? p : undefined })} />
        </div>
      )}
    </section>
  );
}
