// Form pieces of the Preact pages: a labelled field showing the issue the API named for it, and an
// action that runs once per click and shows its problem.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiProblem } from '../api.js';
import { ProblemBox } from './problem-box.js';

/** The message the API's problem gives a body field (`body.email` → `email`), if any. */
export function issueFor(problem: unknown, name: string): string | undefined {
  if (!(problem instanceof ApiProblem)) return undefined;
  return problem.issues.find((i) => i.field.replace(/^body\./, '').split('.')[0] === name)?.message;
}

export function Field(props: { name: string; label: string; problem?: unknown; hint?: string; children: ComponentChildren }) {
  const issue = issueFor(props.problem, props.name);
  return (
    <label class={`field${issue ? ' invalid' : ''}`} data-field={props.name}>
      <span class="label">{props.label}</span>
      {props.children}
      {props.hint ? <small class="hint">{props.hint}</small> : null}
      <span class="field-error">{issue ?? ''}</span>
    </label>
  );
}

/** Runs `work` on submit or click, once at a time; its failure is kept to show (and to mark fields). */
export function useAction() {
  const [working, setWorking] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const run = async (work: () => Promise<void>) => {
    if (working) return;
    setWorking(true);
    setProblem(null);
    try {
      await work();
    } catch (err) {
      setProblem(err);
    } finally {
      setWorking(false);
    }
  };
  return { working, problem, run, clear: () => setProblem(null) };
}

export function Problem(props: { problem: unknown }) {
  return props.problem ? <ProblemBox problem={props.problem} /> : null;
}

/** A value typed into an input, as an `onInput` handler sets it. */
export const valueOf = (event: Event) => (event.currentTarget as HTMLInputElement).value;
