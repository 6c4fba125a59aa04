import { ServiceError } from '@temporalio/client';

/**
 * Sends an Update again when the server aborted it before acceptance because the workflow task that
 * carried it failed for a reason of the server's own — as the dev server does when a signal lands
 * in the same task (UnhandledCommand): "Unable to perform workflow execution update due to
 * unexpected workflow task failure". Not accepted means not run, so sending it again is safe.
 */
export async function withAbortedUpdateRetried<T>(send: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (attempt >= attempts || !isAbortedUpdate(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

function isAbortedUpdate(err: unknown): boolean {
  const texts = [err, (err as { cause?: unknown })?.cause].map((e) => (e instanceof Error ? e.message : ''));
  return err instanceof ServiceError && texts.some((t) => t.includes('unexpected workflow task failure'));
}
