import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { WorkflowHandle } from '@temporalio/client';
import { silentLog } from '../../src/runtime/log.js';
import { findTemporalCli } from '../../src/runtime/temporal/cli.js';
import { temporalAddress } from './temporal.js';

export const historiesDir = path.resolve(import.meta.dirname, '../histories');

/**
 * With RECORD_HISTORIES=1, keeps a finished workflow's event history under test/histories (in the
 * CLI's JSON, the format replay reads), where the replay test checks that every later change of
 * the workflow code still replays it.
 */
export async function keepHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const cli = await findTemporalCli({ configuredPath: process.env.TEMPORAL_CLI_PATH, pathEnv: process.env.PATH, log: silentLog, build: false });
  if (cli.kind !== 'existing') throw new Error('Recording histories needs the temporal CLI');
  const { stdout } = await promisify(execFile)(
    cli.path,
    ['workflow', 'show', '--workflow-id', handle.workflowId, '--address', temporalAddress(), '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  await writeFile(path.join(historiesDir, `${name}.json`), stdout);
}
