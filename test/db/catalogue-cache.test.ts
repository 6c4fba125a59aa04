import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueCache } from '../../src/calendar/catalogue.js';
import { loadCalendar, type SnapshotScope } from '../../src/calendar/snapshot.js';
import type { Db } from '../../src/data/db.js';
import { createPrismaClient } from '../../src/runtime/database/prisma.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { aPolicy, aTool, aUser } from '../support/scenario.js';

// A worker keeps the catalogue between placements and must never place on a stale one: every
// committed change to tools (retirement too), tool links, tool types, policies, setup rules, tenants (suspension
// too) or qualifications (granted, revoked, lapsed) — made
// by another node, through its own connection — is seen by the very next read; nothing uncommitted
// or rolled back is.

let database: TestDatabase;
/** Another Pilotline node: its own client, its own connections. */
let otherNode: Db;
const scope: SnapshotScope = {
  toolTypeIds: ['sem'],
  fromMinute: 30_000_000,
  toMinute: 30_000_600,
  userIds: 'all',
};

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  await aTool(db, 'SEM-1', 'sem');
  await aPolicy(db, 'sem');
  // Outside the scope until linked to a tool in it.
  await aTool(db, 'PROBE-1', 'probe');
  await aUser(db, 'ann', 'uni-a', 'tenant_user', ['sem']);
  otherNode = createPrismaClient(database.url, { poolSize: 2 });
});

afterAll(async () => {
  await otherNode?.$disconnect();
  await database?.[Symbol.asyncDispose]();
});

/** A fresh cache that has read the catalogue once. */
async function warmCache() {
  const cache = new CatalogueCache();
  await loadCalendar(database.db, scope, { catalogue: cache });
  expect(cache.reads).toBe(1);
  return cache;
}

const read = async (cache: CatalogueCache) =>
  (await loadCalendar(database.db, scope, { catalogue: cache })).snapshot;

describe('the catalogue cache', () => {
  it('reads the catalogue once while nothing changes', async () => {
    const cache = await warmCache();
    for (let i = 0; i < 5; i++) await read(cache);
    expect(cache.reads).toBe(1);
  });

  const changes: Array<[string, () => Promise<unknown>, (s: Awaited<ReturnType<typeof read>>) => void]> = [
    [
      'a tool’s status',
      () => otherNode.tool.update({ where: { id: 'SEM-1' }, data: { status: 'requalifying' } }),
      (s) => expect(s.tools.find((t) => t.id === 'SEM-1')?.status).toBe('requalifying'),
    ],
    [
      'a new tool of the type',
      () =>
        otherNode.tool.create({
          data: {
            id: 'SEM-2',
            name: 'SEM-2',
            toolTypeId: 'sem',
            materials: ['GaN'],
            waferSizes: [150],
            contaminationClass: 'standard',
          },
        }),
      (s) => expect(s.tools.map((t) => t.id)).toContain('SEM-2'),
    ],
    [
      'a policy',
      () => otherNode.policy.update({ where: { id: 'policy-sem' }, data: { bufferAfterMin: 25 } }),
      (s) => expect(s.policies[0]?.bufferAfterMinutes).toBe(25),
    ],
    [
      'a setup rule',
      () =>
        otherNode.setupRule.create({
          data: {
            id: 'sem-rule',
            toolTypeId: 'sem',
            dimension: 'material',
            fromGroup: 'SiC',
            toGroup: 'GaN',
            minutes: 30,
          },
        }),
      (s) => expect(s.setupRules.map((r) => r.minutes)).toContain(30),
    ],
    [
      'a tenant’s priority',
      () => otherNode.tenant.update({ where: { id: 'uni-a' }, data: { priority: 7 } }),
      (s) => expect(s.tenants.find((t) => t.id === 'uni-a')?.priority).toBe(7),
    ],
    [
      'a qualification taken away',
      () => otherNode.qualification.deleteMany({ where: { userId: 'ann' } }),
      (s) => expect(s.qualifications.filter((q) => q.userId === 'ann')).toEqual([]),
    ],
    [
      'a qualification given, with an expiry',
      () =>
        otherNode.qualification.create({
          data: {
            userId: 'ann',
            toolId: 'SEM-1',
            grantedAt: new Date(),
            expiresAt: new Date('2031-01-01T00:00:00Z'),
          },
        }),
      (s) =>
        expect(s.qualifications.find((q) => q.userId === 'ann')?.expiresAt).toBe(
          Date.parse('2031-01-01T00:00:00Z') / 60_000,
        ),
    ],
    // The facility's changes that placement sees.
    [
      'a qualification revoked',
      () => otherNode.qualification.updateMany({ where: { userId: 'ann' }, data: { revokedAt: new Date(), revokedById: 'ann' } }),
      (s) => expect(s.qualifications.filter((q) => q.userId === 'ann')).toEqual([]),
    ],
    [
      'a tool retired',
      () => otherNode.tool.update({ where: { id: 'SEM-2' }, data: { retiredAt: new Date() } }),
      (s) => expect(s.tools.find((t) => t.id === 'SEM-2')?.status).toBe('down'),
    ],
    [
      'a tenant suspended',
      () => otherNode.tenant.update({ where: { id: 'uni-a' }, data: { status: 'suspended' } }),
      (s) => expect(s.tenants.map((t) => t.id)).toContain('uni-a'),
    ],
    // Linked tools: a link brings its tool into the scope of a placement on the other.
    [
      'a tool link',
      () => otherNode.toolLink.create({ data: { toolId: 'SEM-1', linkedToolId: 'PROBE-1' } }),
      (s) => {
        expect(s.tools.find((t) => t.id === 'SEM-1')?.linkedToolIds).toEqual(['PROBE-1']);
        expect(s.tools.map((t) => t.id)).toContain('PROBE-1');
      },
    ],
    [
      'a tool link removed',
      () => otherNode.toolLink.deleteMany({ where: { toolId: 'SEM-1' } }),
      (s) => {
        expect(s.tools.find((t) => t.id === 'SEM-1')?.linkedToolIds).toBeUndefined();
        expect(s.tools.map((t) => t.id)).not.toContain('PROBE-1');
      },
    ],
  ];

  it.each(changes)('sees %s committed by another node on the next read', async (_name, change, check) => {
    const cache = await warmCache();
    await change();
    check(await read(cache));
    expect(cache.reads).toBe(2);
  });

  it('sees a new tool type (the types are part of the catalogue)', async () => {
    const cache = await warmCache();
    await otherNode.toolType.create({ data: { id: 'afm', name: 'AFM', area: 'metrology' } });
    await read(cache);
    expect(cache.reads).toBe(2);
  });

  it('sees nothing of a change until it commits, and nothing of one rolled back', async () => {
    const cache = await warmCache();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let changed!: () => void;
    const made = new Promise<void>((r) => (changed = r));
    const open = otherNode.$transaction(async (tx) => {
      await tx.policy.update({ where: { id: 'policy-sem' }, data: { minNoticeMin: 99 } });
      changed();
      await held;
    });
    await made;
    expect((await read(cache)).policies[0]?.minNoticeMinutes).not.toBe(99);
    release();
    await open;
    expect((await read(cache)).policies[0]?.minNoticeMinutes).toBe(99);

    const reads = cache.reads;
    await otherNode
      .$transaction(async (tx) => {
        await tx.policy.update({ where: { id: 'policy-sem' }, data: { minNoticeMin: 5 } });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect((await read(cache)).policies[0]?.minNoticeMinutes).toBe(99);
    // A rolled-back change leaves the version as it was: the cache stays good.
    expect(cache.reads).toBe(reads);
  });
});
