-- The in-app inbox: which notifications each person has read (the notifications themselves are the
-- outbox rows every change already writes). A tool's own grid for the starts the request form offers.
-- Indexes for the newest-first lists: all bookings by start (staff), notifications of an audience.

-- AlterTable
ALTER TABLE "policies" ADD COLUMN "start_grid_min" INTEGER;
ALTER TABLE "policies" ADD CONSTRAINT "policies_start_grid_min_check" CHECK ("start_grid_min" IS NULL OR "start_grid_min" BETWEEN 1 AND 1440);

-- CreateTable
CREATE TABLE "notification_reads" (
    "notification_id" BIGINT NOT NULL,
    "user_id" TEXT NOT NULL,
    "read_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_reads_pkey" PRIMARY KEY ("notification_id","user_id")
);

-- CreateIndex
CREATE INDEX "notification_reads_user_id_idx" ON "notification_reads"("user_id");

-- CreateIndex
CREATE INDEX "notifications_audience_id_idx" ON "notifications"("audience", "id");

-- CreateIndex
CREATE INDEX "bookings_starts_at_id_idx" ON "bookings"("starts_at", "id");

-- AddForeignKey
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_reads" ADD CONSTRAINT "notification_reads_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
