import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
}

/** Loads data when `key` changes; keeps the last data while reloading; errors are kept for showing. */
export function useLoad<T>(load: () => Promise<T>, key: string, refreshMs = 0): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const d = await loadRef.current();
      if (mine !== seq.current) return;
      setData(d);
      setError(null);
    } catch (e) {
      if (mine !== seq.current) return;
      setError(e);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    if (!refreshMs) return undefined;
    const t = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(t);
  }, [key, refreshMs, reload]);

  return { data, error, loading, reload };
}

/** The width of an element, following resizes (charts draw at their real pixel size). */
export function useWidth<E extends Element>(fallback = 640): [(el: E | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: E | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    setWidth(Math.max(200, Math.floor(el.getBoundingClientRect().width)));
    observer.current = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w) setWidth(Math.max(200, Math.floor(w)));
    });
    observer.current.observe(el);
  }, []);
  return [ref, width];
}

let idCounter = 0;
/** A stable unique id for label/for and aria pairs. */
export function useId(prefix: string): string {
  const ref = useRef<string>('');
  if (!ref.current) ref.current = `${prefix}-${++idCounter}`;
  return ref.current;
}

/**
 * A form's draft of values that come from elsewhere (the URL, the server). It follows later
 * changes of `key` (Clear, back/forward, a newer version) but not the first render's: an effect
 * runs after paint, and resetting then would throw away what was typed in between.
 */
export function useDraft<T>(values: T, key: string): [T, (next: T) => void] {
  const [draft, setDraft] = useState(values);
  const shownKey = useRef(key);
  useEffect(() => {
    if (shownKey.current === key) return;
    shownKey.current = key;
    setDraft(values);
  }, [key]);
  return [draft, setDraft];
}
