const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A time in the viewer's own zone, to the second: 2024-02-25 14:03:09. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fmtClock(iso: string, withDate: boolean): string {
  const d = new Date(iso);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}` : hm;
}

export const timeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';

export function fmtPct(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return '—';
  return `${(x * 100).toFixed(digits)} %`;
}

export function fmtPercentValue(p: number): string {
  return `${Number.isInteger(p) ? p : p.toFixed(2).replace(/0+$/, '')} %`;
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Virtual time from nanoseconds, in the unit that reads best. */
export function fmtNs(ns: number): string {
  if (ns === 0) return '0';
  if (ns < 1e3) return `${ns} ns`;
  if (ns < 1e6) return `${+(ns / 1e3).toFixed(1)} µs`;
  if (ns < 1e9) return `${+(ns / 1e6).toFixed(1)} ms`;
  return `${+(ns / 1e9).toFixed(2)} s`;
}

export function fmtInt(n: number): string {
  return n.toLocaleString('en-US');
}

/** datetime-local input value (viewer's zone) → ISO instant; '' stays ''. */
export function localInputToIso(v: string): string {
  if (!v) return '';
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

/** ISO instant → datetime-local input value in the viewer's zone. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${fmtInt(n)} ${n === 1 ? one : many}`;
}
