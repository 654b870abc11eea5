import { useState } from 'preact/hooks';

export interface Action {
  busy: boolean;
  err: unknown;
  setErr: (e: unknown) => void;
  /** Clears the last error, marks busy while `work` runs, and keeps any failure in `err` for showing. */
  run: (work: () => Promise<void>) => Promise<void>;
}

/** The busy flag and error of one button's or form's request to the server. */
export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<unknown>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setErr(null);
    try {
      await work();
    } catch (e) {
      setErr(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, err, setErr, run };
}
