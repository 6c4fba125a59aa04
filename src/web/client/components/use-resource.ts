// One GET as component state: loading, the answer or the problem, reloaded on demand (and every
// `refreshMs` while the page is visible); a newer load aborts the older one.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from '../api.js';

export interface Resource<T> {
  data: T | null;
  problem: unknown;
  loading: boolean;
  reload(): Promise<void>;
}

export function useResource<T>(load: ((signal: AbortSignal) => Promise<T>) | null, deps: unknown[], refreshMs?: number): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const controller = useRef<AbortController | null>(null);
  const reload = useCallback(async () => {
    if (!load) return;
    controller.current?.abort();
    const mine = (controller.current = new AbortController());
    setLoading(true);
    try {
      const answer = await load(mine.signal);
      if (mine.signal.aborted) return;
      setData(answer);
      setProblem(null);
    } catch (err) {
      if (!isAbort(err) && !mine.signal.aborted) setProblem(err);
    } finally {
      if (!mine.signal.aborted) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void reload();
    const timer = refreshMs ? window.setInterval(() => document.visibilityState === 'visible' && void reload(), refreshMs) : undefined;
    return () => {
      window.clearInterval(timer);
      controller.current?.abort();
    };
  }, [reload]);
  return { data, problem, loading, reload };
}
