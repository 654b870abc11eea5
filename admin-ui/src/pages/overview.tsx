import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { useLoad, useId } from '../hooks';
import { setQuery, useLocation } from '../router';
import type { Backend, BackendsHealth, SandboxHostView, State, Stats, TrafficPoint } from '../types';
import { useVocabulary } from '../vocabulary';
import { BackendName, CLASS_COLOURS, ErrorBox, Loading, backendColour } from '../components/common';
import { useAction } from '../components/action';
import { Lines, StackedBars, type Series } from '../components/charts';
import { fmtClock, fmtInt, fmtMs, fmtPct, fmtPercentValue, fmtTime, timeZone } from '../format';

const WINDOWS = [1, 6, 24, 168, 720];

/** Every bucket start from `hours` ago until now, so quiet periods show as gaps, not nothing. */
export function bucketsFor(hours: number, minutes: number, now = Date.now()): string[] {
  const step = minutes * 60_000;
  const first = Math.floor((now - hours * 3_600_000) / step) * step;
  const out: string[] = [];
  for (let t = first; t <= now; t += step) out.push(new Date(t).toISOString());
  return out;
}

export function OverviewPage() {
  const loc = useLocation();
  const asked = Number(loc.query.get('hours') ?? 6);
  const hours = WINDOWS.includes(asked) ? asked : 6;
  const state = useLoad(() => get<State>('/state'), 'state', 15_000);
  const stats = useLoad(() => get<Stats>('/stats', { hours }), `stats-${hours}`, 15_000);
  const windowId = useId('window');
  useEffect(() => { document.title = 'Overview · Playground migration admin'; }, []);

  return (
    <section class="page">
      <div class="page-head">
        <h1>Overview</h1>
        <div class="inline-form">
          <label for={windowId}>Time window</label>
          <select id={windowId} value={String(hours)} onChange={(e) => setQuery({ hours: (e.currentTarget as HTMLSelectElement).value }, { replace: true })}>
            {WINDOWS.map((h) => <option key={h} value={String(h)}>{h < 48 ? `last ${h} h` : `last ${h / 24} days`}</option>)}
          </select>
          <button type="button" onClick={() => { void state.reload(); void stats.reload(); }}>Refresh</button>
        </div>
      </div>
      <ErrorBox error={state.error} title="Could not load the state:" />
      {state.data ? <StagePanel state={state.data} /> : !state.error && <Loading what="the state" />}
      {state.data && <BackendsPanel backends={state.data.backends} legacyRole={state.data.legacyRole} />}
      {state.data && <SandboxHostsPanel hosts={state.data.sandboxHosts} />}
      {state.data && <ShadowPanel shadow={state.data.shadow} shadowPercent={state.data.flags.shadowPercent} />}
      <ErrorBox error={stats.error} title="Could not load the statistics:" />
      {stats.data ? <StatsPanels stats={stats.data} backends={state.data?.backends ?? []} /> : !stats.error && <Loading what="the statistics" />}
    </section>
  );
}

function StagePanel({ state }: { state: State }) {
  const f = state.flags;
  return (
    <div class="card stage-card">
      <h2>Stage</h2>
      <p class="stage" data-testid="stage">{state.stage}</p>
      <dl class="facts">
        <div><dt>Rollout to linux-amd64</dt><dd>{fmtPercentValue(f.rolloutPercent)} <span class="note">(sticky by program)</span></dd></div>
        <div><dt>Shadow (dual runs)</dt><dd>{fmtPercentValue(f.shadowPercent)}</dd></div>
        <div><dt>Opt-in by header</dt><dd>{f.optInHeader ? 'on' : 'off'}</dd></div>
        <div><dt>Opt-in by comment</dt><dd>{f.optInComment ? 'on' : 'off'}</dd></div>
        <div><dt>Kill switch</dt><dd class={f.killSwitch ? 'warn' : ''}>{f.killSwitch ? 'ON: legacy for everyone' : 'off'}</dd></div>
        <div><dt>Release day</dt><dd>{f.releaseDay ? `on since ${fmtTime(f.releaseDayAt)}` : f.releaseScheduledFor ? `scheduled for ${fmtTime(f.releaseScheduledFor)}` : 'not yet'}</dd></div>
        <div><dt>Legacy role</dt><dd>{state.legacyRole ? <BackendName id={state.legacyRole} backends={state.backends} /> : 'none registered'}</dd></div>
        <div><dt>State version</dt><dd>{f.version}</dd></div>
      </dl>
    </div>
  );
}

function BackendsPanel({ backends, legacyRole }: { backends: Backend[]; legacyRole: string | null }) {
  const [deep, setDeep] = useState<BackendsHealth | null>(null);
  const { busy, err, run } = useAction();
  const shown = deep?.backends ?? backends;
  const check = () => run(async () => setDeep(await get<BackendsHealth>('/backends')));
  return (
    <div class="card">
      <div class="card-head">
        <h2>Backends</h2>
        <button type="button" onClick={check} disabled={busy}>{busy ? 'Checking (runs a container)…' : 'Deep health check'}</button>
      </div>
      <ErrorBox error={err} title="Health check failed:" />
      <ul class="backends">
        {shown.map((b) => (
          <li key={b.id} class={`backend ${b.available ? 'up' : 'down'}`} data-backend={b.id}>
            <div class="backend-title">
              <BackendName id={b.id} backends={shown} />
              {b.id === legacyRole && <span class="tag">legacy role</span>}
            </div>
            <div class="backend-label">{b.label}</div>
            {b.emulation && <div class="note">This is an emulation, not real NaCl: results imitate the legacy platform.</div>}
            <div>Toolchain: <code>{b.toolchain}</code></div>
            <div class="availability">
              {b.available ? <span class="yes">✓ available</span> : <span class="no">✗ unavailable: {b.reason ?? 'no reason given'}</span>}
            </div>
          </li>
        ))}
      </ul>
      {deep && (
        <details>
          <summary>Sandbox health (checked {fmtTime(new Date().toISOString())})</summary>
          <pre class="json">{JSON.stringify(deep.sandbox, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}

const HOST_STATE: Record<SandboxHostView['state'], string> = {
  up: 'up',
  down: 'down',
  draining: 'draining: finishing its runs, sent nothing new',
  'passed-over': 'passed over: refused a run, waiting for its next status',
};

function SandboxHostsPanel({ hosts }: { hosts: SandboxHostView[] }) {
  return (
    <div class="card">
      <h2>Sandbox hosts</h2>
      <div class="table-scroll">
      <table class="data" data-testid="sandbox-hosts">
        <thead><tr><th scope="col">Host</th><th scope="col">State</th><th scope="col">Load</th><th scope="col">Warm containers</th></tr></thead>
        <tbody>
          {hosts.map((h) => (
            <tr key={h.url} data-host={h.url} class={h.state === 'up' ? '' : 'warn'}>
              <th scope="row"><code>{h.url}</code></th>
              <td>{HOST_STATE[h.state]}{h.problem && <div class="note">{h.problem}</div>}</td>
              <td>{h.admitted === null ? '—' : `${fmtInt(h.admitted)} of ${fmtInt(h.capacity ?? 0)} runs`}{h.inFlight > 0 && <span class="note"> ({fmtInt(h.inFlight)} from this frontend)</span>}</td>
              <td>{h.runners.map((r) => <div key={r.id}>{r.id}: {r.available ? fmtInt(r.poolReady) : `unavailable (${r.reason ?? 'no reason given'})`}</div>)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      <p class="note">Each frontend polls every host's status every 2 s and sends a run to the least loaded host that is up; a host that
        refused a run before it started is passed over, and the run goes to the next.</p>
    </div>
  );
}

function ShadowPanel({ shadow, shadowPercent }: { shadow: State['shadow']; shadowPercent: number }) {
  const offered = shadow.accepted + shadow.dropped;
  return (
    <div class="card">
      <h2>Shadow queue (dual runs)</h2>
      <dl class="facts numbers" data-testid="shadow-figures">
        <div><dt>Sampled</dt><dd>{fmtPercentValue(shadowPercent)} of requests</dd></div>
        <div><dt>Waiting now</dt><dd>{fmtInt(shadow.queued)}</dd></div>
        <div><dt>Accepted</dt><dd>{fmtInt(shadow.accepted)}</dd></div>
        <div><dt>Taken over after a restart</dt><dd data-figure="recovered">{fmtInt(shadow.recovered)}</dd></div>
        <div><dt>Dropped (queue full)</dt><dd class={shadow.dropped > 0 ? 'warn' : ''}>{fmtInt(shadow.dropped)}{offered > 0 && ` (${fmtPct(shadow.dropped / offered)})`}</dd></div>
        <div><dt>Lost (accepted, could not be run)</dt><dd data-figure="lost" class={shadow.lost > 0 ? 'warn' : ''}>{fmtInt(shadow.lost)}</dd></div>
      </dl>
      <p class="note">Accepted, taken over and dropped count since this frontend started; lost is kept in the database. An accepted
        shadow is stored before its answer is sent, so a crash does not lose it: the next start runs it. Drops lose evidence, never
        answers: the public reply never waits for its shadow to run.</p>
    </div>
  );
}

interface Totals { backend: string; requests: number; errors: number; failures: number; meanMs: number; p95Ms: number }

function totalsOf(traffic: TrafficPoint[]): Totals[] {
  const m = new Map<string, Totals>();
  for (const p of traffic) {
    const t = m.get(p.backend) ?? { backend: p.backend, requests: 0, errors: 0, failures: 0, meanMs: 0, p95Ms: 0 };
    t.meanMs = (t.meanMs * t.requests + p.meanMs * p.requests) / (t.requests + p.requests || 1);
    t.requests += p.requests;
    t.errors += p.errors;
    t.failures += p.failures;
    t.p95Ms = Math.max(t.p95Ms, p.p95Ms);
    m.set(p.backend, t);
  }
  return [...m.values()].sort((a, b) => a.backend.localeCompare(b.backend));
}

function StatsPanels({ stats, backends }: { stats: Stats; backends: Backend[] }) {
  const { diffClasses } = useVocabulary();
  const ids = [...new Set([...backends.map((b) => b.id), ...stats.traffic.map((t) => t.backend)])];
  const buckets = bucketsFor(stats.hours, stats.bucketMinutes);
  const index = new Map(buckets.map((b, i) => [b, i]));
  const withDate = stats.hours > 24;
  const fx = (b: string) => fmtClock(b, withDate);
  const per = (id: string, f: (p: TrafficPoint) => number | null): Array<number | null> => {
    const v: Array<number | null> = buckets.map(() => null);
    for (const p of stats.traffic) {
      const i = index.get(p.at);
      if (p.backend === id && i !== undefined) v[i] = f(p);
    }
    return v;
  };
  const label = (id: string) => (backends.find((b) => b.id === id)?.emulation ? `${id} (emulation)` : id);
  const traffic: Series[] = ids.map((id) => ({ name: label(id), colour: backendColour(id, ids), values: per(id, (p) => p.requests).map((v) => v ?? 0) }));
  const latency: Series[] = ids.flatMap((id) => [
    { name: `${label(id)} mean`, colour: backendColour(id, ids), values: per(id, (p) => p.meanMs) },
    { name: `${label(id)} p95`, colour: backendColour(id, ids), values: per(id, (p) => p.p95Ms), dashed: true },
  ]);
  const errors: Series[] = ids.flatMap((id) => [
    { name: `${label(id)} backend failures`, colour: backendColour(id, ids), values: per(id, (p) => (p.requests ? p.failures / p.requests : null)) },
    { name: `${label(id)} program errors`, colour: backendColour(id, ids), values: per(id, (p) => (p.requests ? p.errors / p.requests : null)), dashed: true },
  ]);
  const totals = totalsOf(stats.traffic);
  const all = totals.reduce((a, t) => a + t.requests, 0);

  const hourBuckets = bucketsFor(stats.hours, 60);
  const hourIndex = new Map(hourBuckets.map((b, i) => [b, i]));
  const classes: Series[] = diffClasses.map(({ name: c }) => {
    const values = hourBuckets.map(() => 0);
    for (const p of stats.dualRunClasses) {
      const i = hourIndex.get(p.at);
      if (p.diffClass === c && i !== undefined) values[i] += p.count;
    }
    return { name: c, colour: CLASS_COLOURS[c], values };
  });
  const classTotals = classes.map((s) => ({ name: s.name, n: s.values.reduce((a: number, v) => a + (v ?? 0), 0) }));
  const dualTotal = classTotals.reduce((a, c) => a + c.n, 0);
  const windowText = stats.hours < 48 ? `the last ${stats.hours} h` : `the last ${stats.hours / 24} days`;

  return (
    <>
      <div class="card">
        <h2>Traffic by backend</h2>
        <p class="split" data-testid="traffic-split">
          {all === 0 ? `No public requests in ${windowText}.` : totals.map((t) => `${label(t.backend)} ${fmtPct(t.requests / all)}`).join(' · ')}
        </p>
        <StackedBars title={`Requests per ${stats.bucketMinutes} min by backend, ${windowText}`}
          description={`Stacked bars of public requests per backend. Totals: ${totals.map((t) => `${t.backend} ${t.requests}`).join(', ') || 'none'}.`}
          buckets={buckets} series={traffic} formatX={fx} integer empty="No requests in this window" />
        <div class="table-scroll">
          <table class="data">
            <caption>Latency and errors per backend, {windowText}</caption>
            <thead>
              <tr>
                <th scope="col">Backend</th><th scope="col">Requests</th><th scope="col">Share</th><th scope="col">Mean latency</th>
                <th scope="col">Worst p95</th><th scope="col">Backend failures</th><th scope="col">Program errors</th>
              </tr>
            </thead>
            <tbody>
              {totals.length === 0 && <tr><td colSpan={7}>No requests in this window.</td></tr>}
              {totals.map((t) => (
                <tr key={t.backend}>
                  <th scope="row"><BackendName id={t.backend} backends={backends} /></th>
                  <td class="num">{fmtInt(t.requests)}</td>
                  <td class="num">{fmtPct(t.requests / (all || 1))}</td>
                  <td class="num">{fmtMs(t.meanMs)}</td>
                  <td class="num">{fmtMs(t.p95Ms)}</td>
                  <td class={`num ${t.failures ? 'warn' : ''}`}>{fmtInt(t.failures)} ({fmtPct(t.failures / (t.requests || 1))})</td>
                  <td class="num">{fmtInt(t.errors)} ({fmtPct(t.errors / (t.requests || 1))})</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="note">Backend failures: the backend could not answer (5xx). Program errors: the program did not build or timed out. Times in {timeZone()}.</p>
      </div>
      <div class="grid-2">
        <div class="card">
          <Lines title="Latency by backend (ms; dashed: p95)" description="Mean and 95th percentile latency per backend and bucket."
            buckets={buckets} series={latency} formatX={fx} formatY={(v) => fmtMs(v)} empty="No requests in this window" />
        </div>
        <div class="card">
          <Lines title="Error rate by backend (dashed: program errors)" description="Share of requests per bucket that failed in the backend, and that were program errors."
            buckets={buckets} series={errors} formatX={fx} formatY={(v) => fmtPct(v, 0)} empty="No requests in this window" />
        </div>
      </div>
      <div class="card">
        <h2>Dual runs by class</h2>
        <p class="split" data-testid="class-split">
          {dualTotal === 0 ? `No dual runs in ${windowText}.` : classTotals.filter((c) => c.n).map((c) => `${c.name} ${fmtInt(c.n)}`).join(' · ')}
        </p>
        <StackedBars title={`Dual runs per hour by class, ${windowText}`}
          description={`Stacked bars of dual-run results per hour. Totals: ${classTotals.map((c) => `${c.name} ${c.n}`).join(', ')}.`}
          buckets={hourBuckets} series={classes} integer formatX={(b) => fmtClock(b, withDate || stats.hours > 12)} empty="No dual runs in this window" />
      </div>
    </>
  );
}
