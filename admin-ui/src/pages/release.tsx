import { useEffect, useState } from 'preact/hooks';
import { change, get } from '../api';
import { useId, useLoad } from '../hooks';
import { useChangeControl } from '../session';
import type { Readiness, ReleaseStatus } from '../types';
import { useVocabulary } from '../vocabulary';
import { useAction } from '../components/action';
import { CLASS_COLOURS, ErrorBox, Loading, Ok, ReasonField, ViewerNote, Yes } from '../components/common';
import { fmtInt, fmtPct, fmtTime, isoToLocalInput, localInputToIso, timeZone } from '../format';

export function ReleasePage() {
  const status = useLoad(() => get<ReleaseStatus>('/release-day'), 'release', 30_000);
  useEffect(() => { document.title = 'Release day · Playground migration admin'; }, []);
  return (
    <section class="page">
      <div class="page-head">
        <h1>Release day</h1>
        <button type="button" onClick={() => void status.reload()} disabled={status.loading}>{status.loading ? 'Loading…' : 'Refresh'}</button>
      </div>
      <ErrorBox error={status.error} title="Could not load the release-day status:" />
      {!status.data && !status.error && <Loading what="the release-day status" />}
      {status.data && <Release s={status.data} reload={status.reload} />}
    </section>
  );
}

function Release({ s, reload }: { s: ReleaseStatus; reload: () => Promise<void> }) {
  return (
    <>
      <div class={`card status-card ${s.releaseDay ? 'on' : ''}`}>
        <h2>Switch</h2>
        {s.releaseDay
          ? <p class="stage">Release day is ON since {fmtTime(s.releaseDayAt)}: linux-amd64 for everyone; NaCl requests are refused (410).</p>
          : <p class="stage">Release day is off: routing follows the flags.</p>}
        {s.scheduledFor && <p>Scheduled flip: <strong>{fmtTime(s.scheduledFor)}</strong> ({timeZone()}); reason: <q>{s.scheduleReason}</q></p>}
      </div>
      <Evidence r={s.readiness} />
      {s.releaseDay ? <RollbackForm reload={reload} /> : (
        <>
          <FlipForm s={s} reload={reload} />
          {s.scheduledFor ? <CancelScheduleForm reload={reload} /> : <ScheduleForm ready={s.readiness.ready} reload={reload} />}
        </>
      )}
    </>
  );
}

function Evidence({ r }: { r: Readiness }) {
  const classes = useVocabulary().diffClasses.map((c) => c.name);
  const maxClass = Math.max(1, ...classes.map((c) => r.runsByClass[c] ?? 0));
  return (
    <div class="card">
      <h2>Readiness evidence <span class={`tag ${r.ready ? 'tag-ok' : 'tag-diff'}`}>{r.ready ? 'ready' : 'not ready'}</span></h2>
      <dl class="facts numbers" data-testid="evidence-figures">
        <div><dt>Dual runs (raw, last {r.windowHours} h)</dt><dd data-figure="runs">{fmtInt(r.runs)}</dd></div>
        <div><dt>Distinct programs counted</dt><dd data-figure="programs">{fmtInt(r.programs)}</dd></div>
        <div><dt>Clients</dt><dd data-figure="clients">{fmtInt(r.clients)}</dd></div>
        <div><dt>Left out (over {r.perClientCap} per client)</dt><dd data-figure="capped">{fmtInt(r.cappedPrograms)}</dd></div>
        <div><dt>Mismatching programs</dt><dd data-figure="mismatches">{fmtInt(r.mismatches)}</dd></div>
        <div><dt>Mismatch rate</dt><dd>{fmtPct(r.mismatchRate, 2)}</dd></div>
        <div><dt>95 % upper bound</dt><dd>{fmtPct(r.mismatchUpperBound, 2)}</dd></div>
        <div><dt>linux-amd64 failed for</dt><dd data-figure="new-failures">{fmtInt(r.newBackendFailures.programs)} programs, {fmtInt(r.newBackendFailures.clients)} clients</dd></div>
      </dl>
      <p class="note">Release day is decided on distinct programs (by program hash), at most {r.perClientCap} from each client, so replaying
        one program or flooding from one address moves nothing much. Pairs in which a backend failed are not compared; a failing new
        backend is counted by client, and one client alone never blocks.</p>
      <div class="table-scroll">
        <table class="data criteria">
          <caption>Criteria</caption>
          <thead><tr><th scope="col">Criterion</th><th scope="col">Met</th><th scope="col">Numbers</th></tr></thead>
          <tbody>
            {r.criteria.map((c) => (
              <tr key={c.name} class={c.met ? '' : 'unmet'}>
                <th scope="row">{c.name}</th>
                <td><Yes ok={c.met} yes="met" no="missing" /></td>
                <td>{c.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.missing.length > 0 && (
        <div class="missing" data-testid="missing">
          <h3>What is missing</h3>
          <ul>{r.missing.map((m) => <li key={m}>{m}</li>)}</ul>
        </div>
      )}
      <div class="grid-2">
        <div>
          <h3>By class: raw dual runs and distinct programs</h3>
          <div class="table-scroll">
            <table class="data by-class" data-testid="runs-and-programs">
              <caption>Dual runs stored in the window and the distinct programs among them, per class</caption>
              <thead><tr><th scope="col">Class</th><th scope="col" class="num">Dual runs</th><th scope="col" class="num">Programs</th><th scope="col"><span class="sr-only">Share of runs</span></th></tr></thead>
              <tbody>
                {classes.map((c) => (
                  <tr key={c} data-class={c}>
                    <th scope="row">{c}</th>
                    <td class="num">{fmtInt(r.runsByClass[c] ?? 0)}</td>
                    <td class="num">{fmtInt(r.programsByClass[c] ?? 0)}</td>
                    <td aria-hidden="true"><span class="hbar-track"><span class="hbar" style={{ width: `${((r.runsByClass[c] ?? 0) / maxClass) * 100}%`, background: CLASS_COLOURS[c] }} /></span></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div>
          <h3>Counted programs by kind</h3>
          <ul class="plain">
            {Object.entries(r.byKind).map(([k, n]) => <li key={k}>{k}: <strong>{fmtInt(n)}</strong></li>)}
          </ul>
        </div>
      </div>
    </div>
  );
}

function FlipForm({ s, reload }: { s: ReleaseStatus; reload: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState(false);
  const [confirm, setConfirm] = useState('');
  const { busy, err, setErr, run } = useAction();
  const [done, setDone] = useState('');
  const ctl = useChangeControl(busy);
  const ids = { confirm: useId('confirm'), override: useId('override'), confirmNote: useId('confirm-note') };
  const typed = confirm.trim().toLowerCase() === s.confirmation;

  const flip = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    setDone('');
    if (!reason.trim()) { setErr(new Error('Give a reason for the audit log.')); return; }
    if (!typed) { setErr(new Error(`Type "${s.confirmation}" to confirm.`)); return; }
    await run(async () => {
      await change('POST', '/release-day/flip', { confirm: confirm.trim(), reason: reason.trim(), override });
      setDone('Release day is on. Every program now runs on linux-amd64; NaCl opt-ins get 410.');
      await reload();
    });
  };

  return (
    <form noValidate class="card danger-zone" onSubmit={flip} data-form="flip" aria-labelledby="flip-title">
      <h2 id="flip-title">Flip the switch now</h2>
      <ViewerNote />
      <p>Everyone moves to linux-amd64, NaCl is refused with 410, dual runs stop and the legacy pools are drained. It can be rolled back.</p>
      {!s.readiness.ready && <p class="msg msg-info">The evidence is not complete (see above): the server refuses the flip unless you override with a reason.</p>}
      <ReasonField value={reason} onInput={setReason} control={ctl} />
      <div class="check">
        <input id={ids.override} type="checkbox" checked={override} onChange={(e) => setOverride((e.currentTarget as HTMLInputElement).checked)} {...ctl} />
        <label for={ids.override}>Override: flip even though evidence is missing (the reason above says why)</label>
      </div>
      <div class="field">
        <label for={ids.confirm}>Type <strong>{s.confirmation}</strong> to confirm</label>
        <input id={ids.confirm} class="confirm" type="text" autoComplete="off" spellcheck={false} value={confirm} aria-describedby={ids.confirmNote}
          onInput={(e) => setConfirm((e.currentTarget as HTMLInputElement).value)} {...ctl} />
        <p class="note" id={ids.confirmNote}>{typed ? 'Confirmed.' : `The button stays disabled until this reads "${s.confirmation}".`}</p>
      </div>
      <div class="actions">
        <button type="submit" class="danger" {...ctl} disabled={!!ctl.disabled || !typed}>{busy ? 'Flipping…' : 'Flip to release day'}</button>
      </div>
      <ErrorBox error={err} title="Refused:" />
      {done && <Ok>{done}</Ok>}
    </form>
  );
}

function ScheduleForm({ ready, reload }: { ready: boolean; reload: () => Promise<void> }) {
  const [at, setAt] = useState(() => isoToLocalInput(new Date(Date.now() + 24 * 3_600_000).toISOString()));
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState(false);
  const { busy, err, setErr, run } = useAction();
  const [done, setDone] = useState('');
  const ctl = useChangeControl(busy);
  const ids = { at: useId('at'), override: useId('s-override') };
  const iso = localInputToIso(at);

  const schedule = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    setDone('');
    if (!iso) { setErr(new Error('Choose a date and time.')); return; }
    if (!reason.trim()) { setErr(new Error('Give a reason for the audit log.')); return; }
    await run(async () => {
      await change('POST', '/release-day/schedule', { at: iso, reason: reason.trim(), override });
      setDone(`Scheduled for ${fmtTime(iso)}.`);
      await reload();
    });
  };

  return (
    <form noValidate class="card" onSubmit={schedule} data-form="schedule" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Schedule the flip</h2>
      <ViewerNote />
      <p class="note">The evidence is checked now, when scheduling; at the time the flip happens by itself.{!ready && ' Evidence is missing: override to schedule anyway.'}</p>
      <div class="field">
        <label for={ids.at}>Flip at ({timeZone()})</label>
        <input id={ids.at} type="datetime-local" value={at} onInput={(e) => setAt((e.currentTarget as HTMLInputElement).value)} {...ctl} />
        {iso && <p class="note">= {iso} (UTC)</p>}
      </div>
      <ReasonField value={reason} onInput={setReason} control={ctl} />
      <div class="check">
        <input id={ids.override} type="checkbox" checked={override} onChange={(e) => setOverride((e.currentTarget as HTMLInputElement).checked)} {...ctl} />
        <label for={ids.override}>Override missing evidence</label>
      </div>
      <div class="actions"><button type="submit" class="primary" {...ctl}>{busy ? 'Scheduling…' : 'Schedule'}</button></div>
      <ErrorBox error={err} title="Refused:" />
      {done && <Ok>{done}</Ok>}
    </form>
  );
}

function CancelScheduleForm({ reload }: { reload: () => Promise<void> }) {
  return (
    <ReasonOnlyForm title="Cancel the scheduled flip" button="Cancel schedule" formName="cancel-schedule" reload={reload}
      send={(reason) => change('DELETE', '/release-day/schedule', { reason })} doneText="The scheduled flip is cancelled." />
  );
}

function RollbackForm({ reload }: { reload: () => Promise<void> }) {
  return (
    <ReasonOnlyForm title="Roll back" button="Roll back release day" formName="rollback" reload={reload} danger
      intro="Routing follows the flags again and the legacy pools are refilled."
      send={(reason) => change('POST', '/release-day/rollback', { reason })} doneText="Rolled back: routing follows the flags again." />
  );
}

function ReasonOnlyForm(p: { title: string; button: string; formName: string; intro?: string; danger?: boolean; doneText: string; send: (reason: string) => Promise<unknown>; reload: () => Promise<void> }) {
  const [reason, setReason] = useState('');
  const { busy, err, setErr, run } = useAction();
  const [done, setDone] = useState('');
  const ctl = useChangeControl(busy);
  const titleId = useId('form-title');
  const submit = async (e: Event) => {
    e.preventDefault();
    setErr(null);
    setDone('');
    if (!reason.trim()) { setErr(new Error('Give a reason for the audit log.')); return; }
    await run(async () => {
      await p.send(reason.trim());
      setDone(p.doneText);
      setReason('');
      await p.reload();
    });
  };
  return (
    <form noValidate class={`card${p.danger ? ' danger-zone' : ''}`} onSubmit={submit} data-form={p.formName} aria-labelledby={titleId}>
      <h2 id={titleId}>{p.title}</h2>
      <ViewerNote />
      {p.intro && <p>{p.intro}</p>}
      <ReasonField value={reason} onInput={setReason} control={ctl} />
      <div class="actions"><button type="submit" class={p.danger ? 'danger' : 'primary'} {...ctl}>{busy ? 'Working…' : p.button}</button></div>
      <ErrorBox error={err} title="Refused:" />
      {done && <Ok>{done}</Ok>}
    </form>
  );
}
