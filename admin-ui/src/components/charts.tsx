// Charts drawn in SVG at their real pixel width (no scaling of text), each with a title and
// description for screen readers and the same numbers available as a table.
import type { ComponentChildren } from 'preact';
import { useId, useWidth } from '../hooks';

export interface Series {
  name: string;
  colour: string;
  /** One value per bucket; null leaves a gap (lines only). */
  values: Array<number | null>;
  dashed?: boolean;
}

interface ChartProps {
  title: string;
  description: string;
  buckets: string[];
  series: Series[];
  formatX: (bucket: string) => string;
  formatY?: (v: number) => string;
  height?: number;
  empty?: string;
  /** Values are counts: ticks on whole numbers. */
  integer?: boolean;
}

const PAD = { left: 52, right: 14, top: 14, bottom: 30 };

/** A round step (1, 2 or 5 × 10^k; whole numbers for counts) and the ticks that cover `v`. */
export function scale(v: number, integer: boolean): { max: number; ticks: number[] } {
  const top = v > 0 ? v : 1;
  const raw = top / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * p).find((x) => x >= raw) ?? 10 * p;
  if (integer) step = Math.max(1, Math.round(step));
  const n = Math.max(1, Math.ceil(top / step - 1e-9));
  const ticks = Array.from({ length: n + 1 }, (_, i) => +(i * step).toPrecision(12));
  return { max: n * step, ticks };
}

function Frame(props: { title: string; description: string; height: number; children: (width: number) => ComponentChildren; legend: Series[]; table: ComponentChildren }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const titleId = useId('chart-title');
  const descId = useId('chart-desc');
  return (
    <figure class="chart">
      <figcaption id={titleId}>{props.title}</figcaption>
      <div ref={ref} class="chart-box">
        <svg width={width} height={props.height} role="img" aria-labelledby={titleId} aria-describedby={descId}>
          <desc id={descId}>{props.description}</desc>
          {props.children(width)}
        </svg>
      </div>
      {props.legend.length > 0 && (
        <ul class="legend" aria-label={`Legend: ${props.title}`}>
          {props.legend.map((s) => (
            <li key={s.name}>
              <span class={`swatch${s.dashed ? ' swatch-dashed' : ''}`} style={{ background: s.colour, borderColor: s.colour }} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <details class="chart-table">
        <summary>Show the numbers</summary>
        {props.table}
      </details>
    </figure>
  );
}

function Axes(p: { width: number; height: number; buckets: string[]; max: number; ticks: number[]; formatX: (b: string) => string; formatY: (v: number) => string; slot: number }) {
  const plotW = p.width - PAD.left - PAD.right;
  const plotH = p.height - PAD.top - PAD.bottom;
  const every = Math.max(1, Math.ceil(70 / Math.max(1, p.slot)));
  return (
    <g class="axes" aria-hidden="true">
      {p.ticks.map((t) => {
        const y = PAD.top + plotH - (t / p.max) * plotH;
        return (
          <g key={t}>
            <line x1={PAD.left} x2={PAD.left + plotW} y1={y} y2={y} class="grid" />
            <text x={PAD.left - 6} y={y + 4} text-anchor="end" class="tick">{p.formatY(t)}</text>
          </g>
        );
      })}
      {p.buckets.map((b, i) => {
        // Label every n-th bucket, counted from the newest, so "now" always has a label.
        if ((p.buckets.length - 1 - i) % every !== 0) return null;
        const x = PAD.left + (i + 0.5) * p.slot;
        return (
          <text key={b} x={x} y={p.height - 10} text-anchor="middle" class="tick">{p.formatX(b)}</text>
        );
      })}
      <line x1={PAD.left} x2={PAD.left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} class="axis" />
    </g>
  );
}

function DataTable({ buckets, series, formatX, formatY }: { buckets: string[]; series: Series[]; formatX: (b: string) => string; formatY: (v: number) => string }) {
  const rows = buckets.map((b, i) => ({ b, i })).filter(({ i }) => series.some((s) => (s.values[i] ?? 0) !== 0));
  if (rows.length === 0) return <p class="note">No data in this window.</p>;
  return (
    <div class="table-scroll">
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Time</th>
            {series.map((s) => <th scope="col" key={s.name}>{s.name}</th>)}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ b, i }) => (
            <tr key={b}>
              <th scope="row">{formatX(b)}</th>
              {series.map((s) => <td key={s.name} class="num">{s.values[i] === null ? '—' : formatY(s.values[i] ?? 0)}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Bars per time bucket, stacked by series (e.g. requests per backend). */
export function StackedBars(props: ChartProps) {
  const height = props.height ?? 220;
  const formatY = props.formatY ?? ((v: number) => String(Math.round(v)));
  const totals = props.buckets.map((_, i) => props.series.reduce((a, s) => a + (s.values[i] ?? 0), 0));
  const { max, ticks } = scale(Math.max(0, ...totals), props.integer ?? false);
  const empty = totals.every((t) => t === 0);
  return (
    <Frame title={props.title} description={props.description} height={height} legend={props.series}
      table={<DataTable buckets={props.buckets} series={props.series} formatX={props.formatX} formatY={formatY} />}>
      {(width) => {
        const plotW = width - PAD.left - PAD.right;
        const plotH = height - PAD.top - PAD.bottom;
        const slot = plotW / Math.max(1, props.buckets.length);
        const barW = Math.max(1, Math.min(28, slot * 0.78));
        return (
          <>
            <Axes width={width} height={height} buckets={props.buckets} max={max} ticks={ticks} formatX={props.formatX} formatY={formatY} slot={slot} />
            {props.buckets.map((b, i) => {
              let y = PAD.top + plotH;
              const x = PAD.left + i * slot + (slot - barW) / 2;
              return (
                <g key={b}>
                  {props.series.map((s) => {
                    const v = s.values[i] ?? 0;
                    if (v <= 0) return null;
                    const h = (v / max) * plotH;
                    y -= h;
                    return (
                      <rect key={s.name} x={x} y={y} width={barW} height={Math.max(h, 0.5)} fill={s.colour}>
                        <title>{`${props.formatX(b)} · ${s.name}: ${formatY(v)}`}</title>
                      </rect>
                    );
                  })}
                </g>
              );
            })}
            {empty && (
              <text x={PAD.left + plotW / 2} y={PAD.top + plotH / 2} text-anchor="middle" class="empty">{props.empty ?? 'No data in this window'}</text>
            )}
          </>
        );
      }}
    </Frame>
  );
}

/** Lines per series over time buckets; null values leave gaps; single points show as dots. */
export function Lines(props: ChartProps) {
  const height = props.height ?? 200;
  const formatY = props.formatY ?? ((v: number) => String(Math.round(v)));
  const all = props.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const { max, ticks } = scale(Math.max(0, ...all), props.integer ?? false);
  const legend = props.series.filter((s) => s.values.some((v) => v !== null));
  return (
    <Frame title={props.title} description={props.description} height={height} legend={legend}
      table={<DataTable buckets={props.buckets} series={legend} formatX={props.formatX} formatY={formatY} />}>
      {(width) => {
        const plotW = width - PAD.left - PAD.right;
        const plotH = height - PAD.top - PAD.bottom;
        const slot = plotW / Math.max(1, props.buckets.length);
        const xy = (i: number, v: number): [number, number] => [PAD.left + (i + 0.5) * slot, PAD.top + plotH - (v / max) * plotH];
        return (
          <>
            <Axes width={width} height={height} buckets={props.buckets} max={max} ticks={ticks} formatX={props.formatX} formatY={formatY} slot={slot} />
            {props.series.map((s) => {
              const parts: string[] = [];
              let open = false;
              s.values.forEach((v, i) => {
                if (v === null) { open = false; return; }
                const [x, y] = xy(i, v);
                parts.push(`${open ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`);
                open = true;
              });
              return (
                <g key={s.name}>
                  <path d={parts.join(' ')} fill="none" stroke={s.colour} stroke-width={2} stroke-dasharray={s.dashed ? '5 4' : undefined} />
                  {s.values.map((v, i) => {
                    if (v === null) return null;
                    const [x, y] = xy(i, v);
                    return (
                      <circle key={i} cx={x} cy={y} r={3} fill={s.colour}>
                        <title>{`${props.formatX(props.buckets[i])} · ${s.name}: ${formatY(v)}`}</title>
                      </circle>
                    );
                  })}
                </g>
              );
            })}
            {all.length === 0 && (
              <text x={PAD.left + plotW / 2} y={PAD.top + plotH / 2} text-anchor="middle" class="empty">{props.empty ?? 'No data in this window'}</text>
            )}
          </>
        );
      }}
    </Frame>
  );
}
