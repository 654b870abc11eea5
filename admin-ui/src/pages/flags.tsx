import { useEffect, useState } from 'preact/hooks';
import { change, get } from '../api';
import { useDraft, useId, useLoad } from '../hooks';
import { useChangeControl } from '../session';
import type { Flags, State, Vocabulary } from '../types';
import { percentOf, stageOf, useVocabulary } from '../vocabulary';
import { useAction } from '../components/action';
import { ErrorBox, Loading, Ok, ReasonField, ViewerNote } from '../components/common';
import { fmtPercentValue } from '../format';

interface Draft {
  rolloutPercent: string;
  shadowPercent: string;
  optInHeader: boolean;
  optInComment: boolean;
  killSwitch: boolean;
}

type FlagKey = keyof Draft;

const draftOf = (f: Flags): Draft => ({
  rolloutPercent: String(f.rolloutPercent),
  shadowPercent: String(f.shadowPercent),
  optInHeader: f.optInHeader,
  optInComment: f.optInComment,
  killSwitch: f.killSwitch,
});

export interface Change {
  key: FlagKey;
  label: string;
  from: string;
  to: string;
  effect: string;
}

/** What applying the draft would change, each with its effect in words. */
export function changesOf(v: Vocabulary, current: Flags, d: Draft): { changes: Change[]; body: Record<string, unknown> } {
  const rollout = percentOf(v, d.rolloutPercent, 'Rollout');
  const shadow = percentOf(v, d.shadowPercent, 'Shadow');
  const changes: Change[] = [];
  const body: Record<string, unknown> = {};
  const onOff = (b: boolean) => (b ? 'on' : 'off');
  if (rollout !== current.rolloutPercent) {
    body.rolloutPercent = rollout;
    changes.push({
      key: 'rolloutPercent', label: 'Rollout to linux-amd64', from: fmtPercentValue(current.rolloutPercent), to: fmtPercentValue(rollout),
      effect: rollout > current.rolloutPercent
        ? `About ${fmtPercentValue(+(rollout - current.rolloutPercent).toFixed(2))} more of all programs move to linux-amd64; programs already there stay there (buckets are sticky by program text).`
        : `About ${fmtPercentValue(+(current.rolloutPercent - rollout).toFixed(2))} of all programs move back to the legacy backend; the rest keep their backend.`,
    });
  }
  if (shadow !== current.shadowPercent) {
    body.shadowPercent = shadow;
    changes.push({
      key: 'shadowPercent', label: 'Shadow (dual runs)', from: fmtPercentValue(current.shadowPercent), to: fmtPercentValue(shadow),
      effect: shadow === 0 ? 'No more dual runs: no new release-day evidence is collected.'
        : `${fmtPercentValue(shadow)} of requests also run on the other backend in the background, for comparison. More sandbox load; the queue drops what it cannot take.`,
    });
  }
  if (d.optInHeader !== current.optInHeader) {
    body.optInHeader = d.optInHeader;
    changes.push({ key: 'optInHeader', label: 'Opt-in by X-Playground-Backend header', from: onOff(current.optInHeader), to: onOff(d.optInHeader),
      effect: d.optInHeader ? 'Engineers can choose linux-amd64 or nacl per request with the header.' : 'The header is ignored; everyone follows the rollout.' });
  }
  if (d.optInComment !== current.optInComment) {
    body.optInComment = d.optInComment;
    changes.push({ key: 'optInComment', label: 'Opt-in by //play:gvisor comment', from: onOff(current.optInComment), to: onOff(d.optInComment),
      effect: d.optInComment ? 'A program containing //play:gvisor runs on linux-amd64.' : 'The comment no longer changes the backend.' });
  }
  if (d.killSwitch !== current.killSwitch) {
    body.killSwitch = d.killSwitch;
    changes.push({ key: 'killSwitch', label: 'Kill switch', from: onOff(current.killSwitch), to: onOff(d.killSwitch),
      effect: d.killSwitch ? 'Every request goes to the legacy backend at once, whatever the rollout and opt-ins say (release day still wins).' : 'Routing follows the rollout and opt-ins again.' });
  }
  return { changes, body };
}

export function FlagsPage() {
  const state = useLoad(() => get<State>('/state'), 'state');
  useEffect(() => { document.title = 'Flags · Playground migration admin'; }, []);
  return (
    <section class="page">
      <div class="page-head"><h1>Flags</h1></div>
      <ErrorBox error={state.error} title="Could not load the flags:" />
      {state.data ? <FlagsForm state={state.data} onApplied={state.reload} /> : !state.error && <Loading what="the flags" />}
    </section>
  );
}

function FlagsForm({ state, onApplied }: { state: State; onApplied: () => Promise<void> }) {
  const vocabulary = useVocabulary();
  const { min, max, step } = vocabulary.limits.percent;
  const current = state.flags;
  // Follows the flags when the server has a newer version, never an edit typed before that.
  const [draft, setDraft] = useDraft<Draft>(draftOf(current), String(current.version));
  const [reason, setReason] = useState('');
  const [preview, setPreview] = useState<ReturnType<typeof changesOf> | null>(null);
  const { busy, err, setErr, run } = useAction();
  const [done, setDone] = useState<string>('');
  const ids = { rollout: useId('rollout'), shadow: useId('shadow'), header: useId('optin-header'), comment: useId('optin-comment'), kill: useId('kill'), rolloutNote: useId('rollout-note'), shadowNote: useId('shadow-note') };
  const ctl = useChangeControl(busy || preview !== null);
  const applyCtl = useChangeControl(busy);

  const set = <K extends FlagKey>(k: K, v: Draft[K]) => {
    setDraft({ ...draft, [k]: v });
    setDone('');
  };

  const review = (e: Event) => {
    e.preventDefault();
    setErr(null);
    setDone('');
    try {
      if (!reason.trim()) throw new Error('Give a reason: every change is kept in the audit log with its reason.');
      setPreview(changesOf(vocabulary, current, draft));
    } catch (x) {
      setErr(x);
    }
  };

  const apply = async () => {
    if (!preview) return;
    await run(async () => {
      const res = await change<{ stage: string; flags: Flags }>('PATCH', '/flags', { ...preview.body, reason: reason.trim() });
      setDone(`Applied (${preview.changes.map((c) => `${c.label}: ${c.from} → ${c.to}`).join('; ')}). Stage now: ${res.stage}.`);
      setPreview(null);
      setReason('');
      await onApplied();
    });
  };

  let nextStage = '';
  try {
    nextStage = stageOf(vocabulary, { ...current, rolloutPercent: percentOf(vocabulary, draft.rolloutPercent, 'Rollout'), killSwitch: draft.killSwitch, optInHeader: draft.optInHeader, optInComment: draft.optInComment });
  } catch {
    nextStage = '';
  }

  return (
    <>
      <div class="card">
        <p>Stage now: <strong>{state.stage}</strong> (version {current.version})</p>
        {current.releaseDay && <p class="msg msg-info">Release day is on: every program runs on linux-amd64 whatever these flags say. Roll back on the Release day page first.</p>}
      </div>
      <form noValidate class="card" onSubmit={review} data-form="flags" aria-labelledby="flags-title">
        <h2 id="flags-title">Change flags</h2>
        <ViewerNote />
        <div class="field">
          <label for={ids.rollout}>Rollout to linux-amd64 (%)</label>
          <input id={ids.rollout} type="number" min={min} max={max} step={step} inputMode="decimal" value={draft.rolloutPercent} aria-describedby={ids.rolloutNote}
            onInput={(e) => set('rolloutPercent', (e.currentTarget as HTMLInputElement).value)} {...ctl} />
          <p class="note" id={ids.rolloutNote}>Sticky by program: each program's text hashes to a fixed bucket, so a program always lands on the same backend, and raising the percentage only adds programs.</p>
        </div>
        <div class="field">
          <label for={ids.shadow}>Shadow: share of requests also run on the other backend (%)</label>
          <input id={ids.shadow} type="number" min={min} max={max} step={step} inputMode="decimal" value={draft.shadowPercent} aria-describedby={ids.shadowNote}
            onInput={(e) => set('shadowPercent', (e.currentTarget as HTMLInputElement).value)} {...ctl} />
          <p class="note" id={ids.shadowNote}>Dual runs are the release-day evidence. They run after the answer is sent; a full queue drops them (see the overview).</p>
        </div>
        <fieldset class="checks">
          <legend>Opt-in for engineers</legend>
          <div class="check">
            <input id={ids.header} type="checkbox" checked={draft.optInHeader} onChange={(e) => set('optInHeader', (e.currentTarget as HTMLInputElement).checked)} {...ctl} />
            <label for={ids.header}>Header <code>X-Playground-Backend: linux-amd64 | nacl</code></label>
          </div>
          <div class="check">
            <input id={ids.comment} type="checkbox" checked={draft.optInComment} onChange={(e) => set('optInComment', (e.currentTarget as HTMLInputElement).checked)} {...ctl} />
            <label for={ids.comment}>Comment <code>//play:gvisor</code> in the program</label>
          </div>
        </fieldset>
        <fieldset class="checks danger">
          <legend>Emergency</legend>
          <div class="check">
            <input id={ids.kill} type="checkbox" checked={draft.killSwitch} onChange={(e) => set('killSwitch', (e.currentTarget as HTMLInputElement).checked)} {...ctl} />
            <label for={ids.kill}>Kill switch: send everyone to the legacy backend</label>
          </div>
        </fieldset>
        <ReasonField value={reason} onInput={(v) => { setReason(v); setDone(''); }} control={ctl} />
        {nextStage && nextStage !== state.stage && <p class="note">Stage after this change: <strong>{nextStage}</strong></p>}
        <div class="actions">
          <button type="submit" class="primary" {...ctl}>Review change…</button>
          <button type="button" onClick={() => { setDraft(draftOf(current)); setErr(null); }} {...ctl}>Reset</button>
        </div>
      </form>
      {preview && (
        <div class="card preview" role="region" aria-labelledby="preview-title">
          <h2 id="preview-title" tabIndex={-1} ref={(el) => el?.focus()}>Preview: what will change</h2>
          {preview.changes.length === 0 ? (
            <p>Nothing would change: the values are the current ones.</p>
          ) : (
            <ul class="changes">
              {preview.changes.map((c) => (
                <li key={c.key}>
                  <strong>{c.label}</strong>: <span class="from">{c.from}</span> → <span class="to">{c.to}</span>
                  <div class="note">{c.effect}</div>
                </li>
              ))}
            </ul>
          )}
          {preview.changes.length > 0 && nextStage && <p>Stage: <strong>{state.stage}</strong> → <strong>{nextStage}</strong></p>}
          <p>Reason: <q>{reason.trim()}</q></p>
          <div class="actions">
            <button type="button" class="primary" onClick={apply} {...applyCtl} disabled={!!applyCtl.disabled || preview.changes.length === 0}>{busy ? 'Applying…' : 'Apply'}</button>
            <button type="button" onClick={() => setPreview(null)} disabled={busy}>Back to editing</button>
          </div>
        </div>
      )}
      <ErrorBox error={err} />
      {done && <Ok>{done}</Ok>}
    </>
  );
}
