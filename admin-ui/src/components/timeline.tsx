import { useId, useWidth } from '../hooks';
import { fmtNs } from '../format';
import type { PlaybackEvent } from '../types';

export interface Lane {
  label: string;
  events: PlaybackEvent[];
}

interface Placed {
  at: number;
  ev: PlaybackEvent;
  index: number;
}

/** Each event's virtual time: the running sum of the Delays before and at it (ns). */
export function placeEvents(events: PlaybackEvent[]): Placed[] {
  let t = 0;
  return events.map((ev, index) => {
    t += ev.Delay || 0;
    return { at: t, ev, index };
  });
}

const STREAM_COLOUR = { stdout: '#1565c0', stderr: '#c62828' } as const;
const LANE_H = 70;
const LEFT = 14;
const RIGHT = 34;
const AXIS_Y = 52;

function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) out.push(v);
  return out;
}

function fitLabel(message: string, chars: number): string {
  const one = message.replace(/\n+$/, '').replace(/\n/g, '⏎');
  return one.length > chars ? `${one.slice(0, Math.max(1, chars - 1))}…` : one;
}

const short = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}…` : s).replace(/\n/g, '⏎');

/** Both runs' output events on one virtual-time axis, one lane per run. */
export function Timeline({ lanes }: { lanes: Lane[] }) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const titleId = useId('tl-title');
  const descId = useId('tl-desc');
  const placed = lanes.map((l) => placeEvents(l.events));
  const maxT = Math.max(0, ...placed.flatMap((p) => p.map((e) => e.at)));
  const tks = ticks(maxT);
  const axisMax = Math.max(maxT, tks[tks.length - 1] ?? 0) || 1;
  const height = lanes.length * LANE_H + 34;
  const plotW = width - LEFT - RIGHT;
  const x = (t: number) => LEFT + (t / axisMax) * plotW;
  const merged = placed
    .flatMap((p, lane) => p.map((e) => ({ ...e, lane })))
    .sort((a, b) => a.at - b.at || a.lane - b.lane || a.index - b.index);
  const total = merged.length;
  const describe = lanes.map((l, i) => `${l.label}: ${placed[i].length} events, last at ${fmtNs(placed[i].at(-1)?.at ?? 0)}`).join('; ');

  return (
    <figure class="chart timeline">
      <figcaption id={titleId}>Virtual-time timeline of both runs' output (running sum of each event's Delay)</figcaption>
      <div ref={ref} class="chart-box">
        <svg width={width} height={height} role="img" aria-labelledby={titleId} aria-describedby={descId}>
          <desc id={descId}>{describe}</desc>
          {lanes.map((l, li) => {
            const top = li * LANE_H;
            const seen = new Map<number, number>();
            return (
              <g key={l.label}>
                <rect x={0} y={top} width={width} height={LANE_H - 4} class={li % 2 ? 'lane lane-alt' : 'lane'} />
                <text x={LEFT} y={top + 14} class="lane-label">{l.label}</text>
                <line x1={LEFT} x2={LEFT + plotW} y1={top + AXIS_Y} y2={top + AXIS_Y} class="axis" />
                {placed[li].map((e, k) => {
                  const px = Math.round(x(e.at));
                  const n = seen.get(px) ?? 0;
                  seen.set(px, n + 1);
                  const cy = top + AXIS_Y - Math.min(n, 3) * 6;
                  // A short label when there is room before the next event of this lane.
                  const next = placed[li][k + 1];
                  const prev = placed[li][k - 1];
                  const right = (next ? x(next.at) : LEFT + plotW + RIGHT) - px;
                  // The last event may lean left when the lane ends right after it.
                  const leanLeft = !next && right < 60 && (prev ? px - x(prev.at) : px - LEFT) > right;
                  const room = leanLeft ? px - (prev ? x(prev.at) + 8 : LEFT) : right;
                  const chars = Math.floor((room - 8) / 6.5);
                  const text = n === 0 && chars >= 4 && placed[li].length <= 40 ? fitLabel(e.ev.Message, chars) : '';
                  const colour = STREAM_COLOUR[e.ev.Kind] ?? '#333';
                  const label = `${l.label} · ${e.ev.Kind} at ${fmtNs(e.at)}: ${short(e.ev.Message)}`;
                  const marker = e.ev.Kind === 'stderr'
                    ? <rect x={px - 5} y={cy - 5} width={10} height={10} fill={colour} transform={`rotate(45 ${px} ${cy})`}><title>{label}</title></rect>
                    : <circle cx={px} cy={cy} r={5} fill={colour}><title>{label}</title></circle>;
                  return (
                    <g key={e.index}>
                      {marker}
                      {text && <text x={leanLeft ? px - 2 : px + 2} y={top + AXIS_Y - 12} text-anchor={leanLeft ? 'end' : 'start'} class="ev-label" fill={colour}>{text}</text>}
                    </g>
                  );
                })}
                {placed[li].length === 0 && <text x={LEFT + plotW / 2} y={top + AXIS_Y - 4} text-anchor="middle" class="empty">no output events</text>}
              </g>
            );
          })}
          <g class="axes" aria-hidden="true">
            {tks.map((t, i) => (
              <text key={t} x={x(t)} y={height - 10} text-anchor={i === 0 ? 'start' : i === tks.length - 1 ? 'end' : 'middle'} class="tick">{fmtNs(t)}</text>
            ))}
          </g>
        </svg>
      </div>
      <ul class="legend">
        <li><span class="swatch swatch-round" style={{ background: STREAM_COLOUR.stdout }} aria-hidden="true" />stdout</li>
        <li><span class="swatch swatch-diamond" style={{ background: STREAM_COLOUR.stderr }} aria-hidden="true" />stderr</li>
        {maxT === 0 && total > 0 && <li class="note">every event at virtual time 0 (no sleeps)</li>}
      </ul>
      <details class="chart-table" open={total > 0 && total <= 20}>
        <summary>Events in virtual-time order ({total})</summary>
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr><th scope="col">Virtual time</th><th scope="col">Run</th><th scope="col">Stream</th><th scope="col">Output</th></tr>
            </thead>
            <tbody>
              {merged.map((e) => (
                <tr key={`${e.lane}-${e.index}`}>
                  <td class="num">{fmtNs(e.at)}</td>
                  <td>{lanes[e.lane].label}</td>
                  <td>{e.ev.Kind}</td>
                  <td><pre class="inline-out">{e.ev.Message}</pre></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
