import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { describe, expect, it } from 'vitest';
import { installTemporalRuntime } from '../../src/runtime/temporal/worker.js';
import { historiesDir } from '../support/histories.js';
import { workflowBundle } from '../support/temporal.js';

// Recorded histories (RECORD_HISTORIES=1 while running the workflow tests) must replay on the
// current workflow code: a change that would break running workflows fails here first.

const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();

describe('workflow histories replay on the current code', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    installTemporalRuntime('WARN');
    const history = historyFromJSON(JSON.parse(await readFile(path.join(historiesDir, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, path.basename(file, '.json'));
  });
});
