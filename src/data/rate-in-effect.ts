import type { Rate, TenantClass } from '../generated/prisma/client.js';
import type { Db, Tx } from './db.js';

/**
 * The rate of a tool type for a tenant class that applied at `at`: the latest one valid from then
 * or before. Usage is billed at the rate in effect when the booking was requested, so a change of
 * rates takes effect for new requests only.
 */
export async function rateInEffect(
  db: Pick<Db | Tx, 'rate'>,
  toolTypeId: string,
  tenantClass: TenantClass,
  at: Date,
): Promise<Rate | null> {
  return db.rate.findFirst({
    where: { toolTypeId, tenantClass, validFrom: { lte: at } },
    orderBy: { validFrom: 'desc' },
  });
}
