import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aRouteTemplate, aToolType, aUser, type TestUser } from '../support/scenario.js';
import { startApiWorld, type ApiWorld } from '../support/world.js';

let world: ApiWorld;
let alice: TestUser;

beforeAll(async () => {
  world = await startApiWorld(
    new Date('2035-06-01T00:00:00Z'),
    async (db) => {
      await aToolType(db, 'epi');
      await aToolType(db, 'sem');
      alice = await aUser(db, 'alice', 'uni-a');
      await aRouteTemplate(db, 'hemt', [
        { name: 'Buffer epitaxy', toolTypeId: 'epi', durationMin: 240, maxLagToNextMin: 120 },
        { name: 'SEM cross-section', toolTypeId: 'sem', durationMin: 30 },
      ], { name: 'GaN HEMT', description: 'two steps', contaminationGroup: 'standard' });
      await aRouteTemplate(db, 'old', [{ name: 'Anything', toolTypeId: 'sem', durationMin: 30 }], { name: 'Retired flow', active: false });
    },
    { worker: false },
  );
});

afterAll(async () => {
  await world?.[Symbol.asyncDispose]();
});

describe('route templates', () => {
  it('lists the active templates with their steps and Q-time limits, ready to submit as a lot', async () => {
    const answer = await world.api.call('GET', '/api/route-templates', { token: alice.token });
    expect(answer.json().templates).toEqual([
      {
        id: 'hemt',
        name: 'GaN HEMT',
        description: 'two steps',
        material: 'GaN',
        waferSize: 150,
        contaminationGroup: 'standard',
        processMin: 270,
        steps: [
          { name: 'Buffer epitaxy', toolTypeId: 'epi', durationMin: 240, minLagToNextMin: 0, maxLagToNextMin: 120 },
          { name: 'SEM cross-section', toolTypeId: 'sem', durationMin: 30, minLagToNextMin: 0 },
        ],
      },
    ]);
    expect((await world.api.send('GET', '/api/route-templates')).statusCode).toBe(401);
  });
});
