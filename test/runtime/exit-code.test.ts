import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

// The embedded database's exit hook once ended every drained process with code 0, so `npm test`
// (whose global setup starts that database) passed whatever failed.
describe('a process that runs the embedded database', () => {
  it('keeps its own exit code when it ends', () => {
    const script = [
      "import { takeOverShutdownSignals } from './src/runtime/database/postgres-process.ts';",
      'takeOverShutdownSignals();',
      'process.exitCode = 3;',
    ].join('\n');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(3);
  });
});
