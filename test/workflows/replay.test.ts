import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../src/runtime/temporal/worker.js';
import { installTemporalRuntime } from '../../src/runtime/temporal/worker.js';
import { historiesDir } from '../support/histories.js';
import { workflowBundle } from '../support/temporal.js';

// Recorded histories (RECORD_HISTORIES=1 while running the workflow tests) must replay on the
// current workflow code: a change that would break running workflows fails here first.

const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();

/** The patch ids a workflow file marks with `patched('…')` or `deprecatePatch('…')`. */
async function patchesInWorkflows(): Promise<Set<string>> {
  const dir = path.dirname(workflowsPath());
  const ids = new Set<string>();
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.ts'))) {
    const source = await readFile(path.join(dir, file), 'utf8');
    for (const m of source.matchAll(/\b(?:patched|deprecatePatch)\(\s*['"]([^'"]+)['"]/g)) ids.add(m[1]!);
  }
  return ids;
}

/** The patch ids a recorded history took (its `core_patch` markers). */
function patchesTakenIn(history: { events?: Array<{ markerRecordedEventAttributes?: unknown }> }): string[] {
  return (history.events ?? []).flatMap((event) => {
    const marker = event.markerRecordedEventAttributes as
      | { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> }
      | undefined;
    if (marker?.markerName !== 'core_patch') return [];
    return (marker.details?.['patch-data']?.payloads ?? []).map((p) => (JSON.parse(Buffer.from(p.data ?? '', 'base64').toString('utf8')) as { id: string }).id);
  });
}

describe('workflow histories replay on the current code', () => {
  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  // A patch guards a change of command sequence: replaying only older histories would never run
  // the new branch, so each patch needs a history recorded after it.
  it('has, for every patch in the workflows, a history recorded on its new branch', async () => {
    const taken = new Set<string>();
    for (const file of files) {
      for (const id of patchesTakenIn(JSON.parse(await readFile(path.join(historiesDir, file), 'utf8')))) taken.add(id);
    }
    const patches = await patchesInWorkflows();
    expect(patches.size).toBeGreaterThan(0);
    expect([...patches].filter((id) => !taken.has(id))).toEqual([]);
  });

  it.each(files)('%s', async (file) => {
    installTemporalRuntime('WARN');
    const history = historyFromJSON(JSON.parse(await readFile(path.join(historiesDir, file), 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, path.basename(file, '.json'));
  });
});
