import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { change, get } from '../api';
import { useLoad } from '../hooks';
import { BASE, linkClick } from '../router';
import { useChangeControl } from '../session';
import type { Backend, DualRun, Outcome, Replay, Rule, State } from '../types';
import { meaningOf, useVocabulary } from '../vocabulary';
import { BackendName, ClassBadge, ErrorBox, Loading, ViewerNote } from '../components/common';
import { useAction } from '../components/action';
import { Timeline } from '../components/timeline';
import { fmtMs, fmtTime } from '../format';

function streamText(o: Outcome, kind: 'stdout' | 'stderr'): string {
  return o.events.filter((e) => e.Kind === kind).map((e) => e.Message).join('');
}

function Side({ title, text, differs }: { title: ComponentChildren; text: string; differs: boolean }) {
  return (
    <div class={`side${differs ? ' differs' : ''}`}>
      <div class="side-title">{title}</div>
      {text === '' ? <p class="note empty-out">(nothing)</p> : <pre class="out">{text}</pre>}
    </div>
  );
}

/** Both outcomes stream by stream, side by side, differences marked. */
export function SideBySide({ run, backends, label }: { run: DualRun; backends: Backend[]; label: string }) {
  const p = run.primaryResult;
  const s = run.shadowResult;
  const head = (id: string, role: string, o: Outcome, ms: number) => (
    <>
      <BackendName id={id} backends={backends} /> <span class="note">{role} · {o.kind}{o.status ? `, exit ${o.status}` : ''}{o.isTest ? `, ${o.testsFailed} tests failed` : ''} · {fmtMs(ms)}</span>
    </>
  );
  const streams: Array<{ name: string; a: string; b: string }> = [
    { name: 'stdout', a: streamText(p, 'stdout'), b: streamText(s, 'stdout') },
    { name: 'stderr', a: streamText(p, 'stderr'), b: streamText(s, 'stderr') },
    { name: 'errors (build, timeout, backend)', a: p.errors, b: s.errors },
  ];
  return (
    <div class="compare" aria-label={label} role="group">
      {streams.filter((x, i) => i === 0 || x.a !== '' || x.b !== '').map((x) => (
        <section key={x.name} class="stream" data-stream={x.name.split(' ')[0]}>
          <h3>{x.name}{x.a !== x.b ? <span class="tag tag-diff">differs</span> : <span class="tag">same</span>}</h3>
          <div class="sides">
            <Side title={head(run.primaryBackend, 'primary', p, run.primaryMs)} text={x.a} differs={x.a !== x.b} />
            <Side title={head(run.shadowBackend, 'shadow', s, run.shadowMs)} text={x.b} differs={x.a !== x.b} />
          </div>
        </section>
      ))}
    </div>
  );
}

export function ReadableDiff({ diff }: { diff: string }) {
  if (!diff) return <p class="note">No difference in the compared output.</p>;
  return (
    <pre class="diff" aria-label="Readable diff">
      {diff.replace(/\n$/, '').split('\n').map((line, i) => {
        const cls = line.startsWith('+++') || line.startsWith('---') ? 'd-file' : line.startsWith('@@') ? 'd-hunk' : line.startsWith('+') ? 'd-add' : line.startsWith('-') ? 'd-del' : '';
        return <span key={i} class={`d-line ${cls}`}>{line || ' '}</span>;
      })}
    </pre>
  );
}

export function DiffDetailPage({ id }: { id: number }) {
  const run = useLoad(() => get<DualRun>(`/dual-runs/${id}`), `run-${id}`);
  const state = useLoad(() => get<State>('/state'), 'state');
  const rules = useLoad(() => get<Rule[]>('/rules'), 'rules');
  useEffect(() => { document.title = `Dual run #${id} · Playground migration admin`; }, [id]);
  const backends = state.data?.backends ?? [];
  // The sides are named only once the backends are known: an emulation is never shown unlabelled.
  const ready = run.data && (state.data || state.error);

  return (
    <section class="page">
      <p class="crumbs"><a href={`${BASE}/diffs`} onClick={(e) => linkClick(e as unknown as MouseEvent)}>← All diffs</a></p>
      <div class="page-head">
        <h1>Dual run #{id} {run.data && <ClassBadge cls={run.data.diffClass} />}</h1>
      </div>
      <ErrorBox error={run.error} title="Could not load this dual run:" />
      {!ready && !run.error && <Loading what={`dual run #${id}`} />}
      {ready && <Detail run={run.data!} backends={backends} rules={rules.data ?? []} rulesError={rules.error} />}
    </section>
  );
}

function Detail({ run, backends, rules, rulesError }: { run: DualRun; backends: Backend[]; rules: Rule[]; rulesError: unknown }) {
  const vocabulary = useVocabulary();
  const emulated = [run.primaryBackend, run.shadowBackend].filter((b) => backends.find((x) => x.id === b)?.emulation);
  return (
    <>
      <div class="card">
        <p class="class-meaning"><strong>{run.diffClass}</strong>: {meaningOf(vocabulary, run.diffClass)}</p>
        <dl class="facts">
          <div><dt>When</dt><dd>{fmtTime(run.at)}</dd></div>
          <div><dt>Program</dt><dd>{run.programKind}{run.withVet ? ', with vet' : ''}</dd></div>
          <div><dt>Route</dt><dd>{run.routeReason}</dd></div>
          <div><dt>Primary</dt><dd><BackendName id={run.primaryBackend} backends={backends} /> {run.primaryToolchain}</dd></div>
          <div><dt>Shadow</dt><dd><BackendName id={run.shadowBackend} backends={backends} /> {run.shadowToolchain}</dd></div>
          <div><dt>Program hash</dt><dd><code class="hash">{run.programHash.slice(0, 16)}…</code></dd></div>
          <div><dt>Client</dt><dd>{run.clientKey ? <code class="hash" title="keyed hash of the sender's address">{run.clientKey.slice(0, 12)}…</code> : 'not recorded (before client keys)'}</dd></div>
          {run.failedSide && <div><dt>Backend that failed</dt><dd>{{ new: 'linux-amd64', legacy: 'the legacy backend', both: 'both' }[run.failedSide]}</dd></div>}
        </dl>
        {emulated.length > 0 && <p class="note">{emulated.join(', ')} is an emulation of NaCl (linux/386 under runc), labelled as such.</p>}
      </div>
      <div class="card">
        <h2>Program</h2>
        <pre class="code program" tabIndex={0} aria-label="Program source">{run.program.replace(/\n$/, '').replace(/\t/g, '    ').split('\n').map((l, i) => <span key={i} class="line">{l}{'\n'}</span>)}</pre>
      </div>
      <div class="card">
        <h2>Outputs side by side</h2>
        <SideBySide run={run} backends={backends} label="Stored outputs" />
      </div>
      <div class="card">
        <h2>Timeline</h2>
        <Timeline lanes={[
          { label: `${run.primaryBackend} (primary)`, events: run.primaryResult.events },
          { label: `${run.shadowBackend} (shadow)`, events: run.shadowResult.events },
        ]} />
      </div>
      <div class="grid-2">
        <div class="card">
          <h2>Readable diff</h2>
          <ReadableDiff diff={run.diff} />
        </div>
        <div class="card">
          <h2>Rules that matched</h2>
          <ErrorBox error={rulesError} title="Could not load the rules:" />
          {run.matchedRules.length === 0 ? <p class="note">No platform-difference rule was needed{run.diffClass === 'mismatch' ? ': nothing explains this difference' : ''}.</p> : (
            <ul class="rules-matched">
              {run.matchedRules.map((name) => {
                const r = rules.find((x) => x.name === name);
                return <li key={name}><strong>{name}</strong>{r ? `: ${r.description}` : ''}{r && <div><code class="pattern">{r.pattern}</code></div>}</li>;
              })}
            </ul>
          )}
        </div>
      </div>
      <ReplayPanel run={run} backends={backends} />
    </>
  );
}

function ReplayPanel({ run, backends }: { run: DualRun; backends: Backend[] }) {
  const action = useAction();
  const { busy, err } = action;
  const [result, setResult] = useState<Replay | null>(null);
  const ctl = useChangeControl(busy);
  const replay = () => action.run(async () => setResult(await change<Replay>('POST', `/dual-runs/${run.id}/replay`, {})));
  return (
    <div class="card">
      <div class="card-head">
        <h2>Replay</h2>
        <button type="button" class="primary" onClick={replay} {...ctl}>{busy ? 'Running on both backends…' : 'Replay now on both backends'}</button>
      </div>
      <ViewerNote />
      <p class="note">Runs the program again, now, on {run.primaryBackend} and {run.shadowBackend} (no cache), and compares afresh. Nothing is stored.</p>
      <ErrorBox error={err} title="Replay failed:" />
      {busy && <p role="status" class="loading">Running…</p>}
      {result && (
        <div class="replay" data-testid="replay-result">
          <p role="status">
            Fresh result: <ClassBadge cls={result.replay.diffClass} />{' '}
            {result.replay.diffClass === run.diffClass ? `same class as stored (${run.diffClass})` : `stored class was ${run.diffClass}`}
          </p>
          <SideBySide run={result.replay} backends={backends} label="Replayed outputs" />
          <h3>Readable diff (replay)</h3>
          <ReadableDiff diff={result.replay.diff} />
        </div>
      )}
    </div>
  );
}
