import type { Prisma, PrismaClient } from '../generated/prisma/client.js';

/** The database as every layer above it sees it: Prisma's client, created by src/runtime. */
export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`. */
export type Tx = Prisma.TransactionClient;
