import { z } from 'zod';
import type { ApiDeps } from '../deps.js';
import { defineRoute } from '../route.js';

const partStatus = z.enum(['ok', 'failing']);
export const healthSchema = z.object({
  status: z.enum(['ok', 'failing', 'draining']).describe('draining: the process is stopping and takes no new work'),
  database: partStatus,
  temporal: partStatus,
  parts: z.array(z.enum(['api', 'worker'])).describe('What this process runs: the HTTP API, a Temporal worker, or both'),
  worker: partStatus.optional().describe("This process's worker, where it runs one"),
  failing: z.array(z.string()).optional().describe('The parts that did not answer'),
});
export type Health = z.infer<typeof healthSchema>;

const checkTimeoutMs = 2_000;

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Asks each part for a sign of life, in parallel, each with a short deadline. */
export async function checkHealth(deps: ApiDeps): Promise<Health> {
  const node = deps.node ?? { parts: ['api'], draining: false };
  const [database, temporal] = await Promise.all([
    within(checkTimeoutMs, deps.db.$queryRaw`SELECT 1`).then(
      () => 'ok' as const,
      () => 'failing' as const,
    ),
    within(
      checkTimeoutMs,
      deps.temporal.client.workflowService.describeNamespace({ namespace: deps.temporal.namespace }),
    ).then(
      () => 'ok' as const,
      () => 'failing' as const,
    ),
  ]);
  const worker = node.workerRunning ? (node.workerRunning() ? ('ok' as const) : ('failing' as const)) : undefined;
  const failing = Object.entries({ database, temporal, worker })
    .filter(([, s]) => s === 'failing')
    .map(([part]) => part);
  const status = node.draining ? 'draining' : failing.length ? 'failing' : 'ok';
  return {
    status,
    database,
    temporal,
    parts: [...node.parts],
    ...(worker ? { worker } : {}),
    ...(failing.length ? { failing } : {}),
  };
}

export function healthRoutes(deps: ApiDeps) {
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      summary: 'Liveness of this Pilotline process and its parts (503 naming the failing part, or while draining)',
      tag: 'health',
      access: 'public',
      response: healthSchema,
      async handler({ reply }) {
        const health = await checkHealth(deps);
        if (health.status !== 'ok') reply.status(503);
        return health;
      },
    }),
  ];
}
