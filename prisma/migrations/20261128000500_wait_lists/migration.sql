-- Wait lists: a request that found no slot waits with its window; freed time is offered in turn.

-- CreateEnum
CREATE TYPE "wait_list_state" AS ENUM ('waiting', 'offered', 'accepted', 'expired', 'withdrawn');

-- CreateEnum
CREATE TYPE "wait_list_offer_state" AS ENUM ('open', 'accepted', 'declined', 'timed_out', 'withdrawn', 'lost');

-- CreateTable
CREATE TABLE "wait_list_entries" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "request_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "tool_type_id" TEXT,
    "tool_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "duration_min" INTEGER NOT NULL,
    "earliest_start" TIMESTAMPTZ(3) NOT NULL,
    "latest_end" TIMESTAMPTZ(3) NOT NULL,
    "material" TEXT NOT NULL,
    "wafer_size" INTEGER NOT NULL,
    "contamination_group" TEXT NOT NULL DEFAULT 'standard',
    "purpose" TEXT,
    "state" "wait_list_state" NOT NULL,
    "offer_response_ms" INTEGER NOT NULL,
    "joined_at" TIMESTAMPTZ(3) NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "booking_id" UUID,
    "closed_at" TIMESTAMPTZ(3),
    "close_reason" TEXT,
    CONSTRAINT "wait_list_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "wait_list_offers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "entry_id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "freed_time_id" BIGINT,
    "passed_over" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "state" "wait_list_offer_state" NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "answered_at" TIMESTAMPTZ(3),
    CONSTRAINT "wait_list_offers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "freed_time" (
    "id" BIGSERIAL NOT NULL,
    "tool_id" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "source_id" TEXT,
    "passed_over" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "drained_at" TIMESTAMPTZ(3),
    CONSTRAINT "freed_time_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "wait_list_entries_request_id_key" ON "wait_list_entries"("request_id");
CREATE UNIQUE INDEX "wait_list_entries_workflow_id_key" ON "wait_list_entries"("workflow_id");
CREATE INDEX "wait_list_entries_state_seq_idx" ON "wait_list_entries"("state", "seq");
CREATE INDEX "wait_list_entries_tenant_id_idx" ON "wait_list_entries"("tenant_id");
CREATE UNIQUE INDEX "wait_list_offers_booking_id_key" ON "wait_list_offers"("booking_id");
CREATE INDEX "wait_list_offers_entry_id_idx" ON "wait_list_offers"("entry_id");
-- An entry has at most one open offer: its slot is held for it and nobody else.
CREATE UNIQUE INDEX "wait_list_offers_one_open_per_entry" ON "wait_list_offers"("entry_id") WHERE "state" = 'open';
-- The outbox the dispatcher drains: only undrained rows are looked for.
CREATE INDEX "freed_time_undrained_idx" ON "freed_time"("id") WHERE "drained_at" IS NULL;

-- AddForeignKey
ALTER TABLE "wait_list_entries" ADD CONSTRAINT "wait_list_entries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "wait_list_entries" ADD CONSTRAINT "wait_list_entries_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "wait_list_offers" ADD CONSTRAINT "wait_list_offers_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "wait_list_entries"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "wait_list_offers" ADD CONSTRAINT "wait_list_offers_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "freed_time" ADD CONSTRAINT "freed_time_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
