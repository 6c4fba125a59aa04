-- The maintenance that last moved a booking: its tenant may decline that move without penalty.

-- AlterTable
ALTER TABLE "bookings" ADD COLUMN "moved_by_maintenance_id" UUID;
