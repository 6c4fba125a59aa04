// Loads what a page shows, again on `reload()`; a newer load cancels the one in flight.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from '../api.js';

export interface Loaded<T> {
  data: T | undefined;
  problem: unknown;
  loading: boolean;
  reload(): void;
}

export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [problem, setProblem] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const current = useRef<AbortController | undefined>(undefined);
  useEffect(() => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setLoading(true);
    load(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setProblem(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbort(err)) return;
        setProblem(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure each render: the caller's deps say when it means something new.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, problem, loading, reload };
}
