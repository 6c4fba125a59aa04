import { PrismaPg } from '@prisma/adapter-pg';
import type { Db } from '../../data/db.js';
import { PrismaClient } from '../../generated/prisma/client.js';

/** One Prisma client over node-postgres: the same path for the embedded server and production. */
export function createPrismaClient(databaseUrl: string, options: { poolSize?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}
