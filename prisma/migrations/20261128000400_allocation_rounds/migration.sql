-- Allocation rounds: for the tool types lab managers mark as allocated, tenants submit requests for
-- a future week until a deadline; the solver allocates them jointly within the tenant classes'
-- target shares; a lab manager approves the proposed schedule as a whole, and only then are its
-- bookings written (in one transaction, guarded by the reservations' exclusion constraint).

-- AlterTable
ALTER TABLE "tool_types" ADD COLUMN "allocated" BOOLEAN NOT NULL DEFAULT false;

-- CreateEnum
CREATE TYPE "round_state" AS ENUM ('open', 'closed', 'proposed', 'published', 'lapsed');

-- CreateEnum
CREATE TYPE "round_request_state" AS ENUM ('submitted', 'withdrawn', 'granted', 'left_out', 'lapsed');

-- The lab managers' standing targets per tenant class, copied into each round when it opens.
-- CreateTable
CREATE TABLE "allocation_settings" (
    "id" TEXT NOT NULL DEFAULT 'default',
    "institute_pct" DOUBLE PRECISION NOT NULL DEFAULT 40,
    "university_pct" DOUBLE PRECISION NOT NULL DEFAULT 30,
    "industry_pct" DOUBLE PRECISION NOT NULL DEFAULT 30,
    "tolerance_pts" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "updated_by_id" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "allocation_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "allocation_rounds" (
    "id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "week_start" TIMESTAMPTZ(3) NOT NULL,
    "week_end" TIMESTAMPTZ(3) NOT NULL,
    "tool_type_ids" TEXT[],
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "approval_deadline" TIMESTAMPTZ(3) NOT NULL,
    "state" "round_state" NOT NULL DEFAULT 'open',
    "institute_pct" DOUBLE PRECISION NOT NULL,
    "university_pct" DOUBLE PRECISION NOT NULL,
    "industry_pct" DOUBLE PRECISION NOT NULL,
    "tolerance_pts" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "seed" INTEGER NOT NULL DEFAULT 1,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "proposal" JSONB,
    "proposed_at" TIMESTAMPTZ(3),
    "decided_by_id" TEXT,
    "published_at" TIMESTAMPTZ(3),
    "lapsed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "allocation_rounds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "allocation_requests" (
    "id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "round_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "tool_type_id" TEXT NOT NULL,
    "tool_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "duration_min" INTEGER NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "window_end" TIMESTAMPTZ(3) NOT NULL,
    "material" TEXT NOT NULL,
    "wafer_size" INTEGER NOT NULL,
    "contamination_group" TEXT NOT NULL DEFAULT 'standard',
    "priority" INTEGER NOT NULL DEFAULT 2,
    "purpose" TEXT,
    "state" "round_request_state" NOT NULL DEFAULT 'submitted',
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "dropped" BOOLEAN NOT NULL DEFAULT false,
    "booking_id" UUID,
    "outcome" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "allocation_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "allocation_rounds_workflow_id_key" ON "allocation_rounds"("workflow_id");

-- CreateIndex
CREATE INDEX "allocation_rounds_week_start_idx" ON "allocation_rounds"("week_start");

-- CreateIndex
CREATE UNIQUE INDEX "allocation_requests_request_id_key" ON "allocation_requests"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "allocation_requests_booking_id_key" ON "allocation_requests"("booking_id");

-- CreateIndex
CREATE INDEX "allocation_requests_round_id_seq_idx" ON "allocation_requests"("round_id", "seq");

-- CreateIndex
CREATE INDEX "allocation_requests_tenant_id_idx" ON "allocation_requests"("tenant_id");

-- AddForeignKey
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "allocation_rounds"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- The targets add up to 100 %; one settings row.
ALTER TABLE "allocation_settings" ADD CONSTRAINT "allocation_settings_singleton_check" CHECK ("id" = 'default');
ALTER TABLE "allocation_settings" ADD CONSTRAINT "allocation_settings_shares_check" CHECK (
  "institute_pct" BETWEEN 0 AND 100 AND "university_pct" BETWEEN 0 AND 100 AND "industry_pct" BETWEEN 0 AND 100
  AND abs("institute_pct" + "university_pct" + "industry_pct" - 100) < 0.000001
  AND "tolerance_pts" BETWEEN 0 AND 100);
ALTER TABLE "allocation_rounds" ADD CONSTRAINT "allocation_rounds_shares_check" CHECK (
  "institute_pct" BETWEEN 0 AND 100 AND "university_pct" BETWEEN 0 AND 100 AND "industry_pct" BETWEEN 0 AND 100
  AND abs("institute_pct" + "university_pct" + "industry_pct" - 100) < 0.000001
  AND "tolerance_pts" BETWEEN 0 AND 100);
-- A round closes before its approval deadline, and both come before its week starts.
ALTER TABLE "allocation_rounds" ADD CONSTRAINT "allocation_rounds_times_check" CHECK (
  "week_end" > "week_start" AND "closes_at" <= "approval_deadline" AND "approval_deadline" <= "week_start");
-- A request asks for time inside its round's week (checked by the API against the round), in a
-- window that holds it, with the vocabularies the solver reads.
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_window_check" CHECK (
  "duration_min" > 0 AND "window_end" - "window_start" >= make_interval(mins => "duration_min"));
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_priority_check" CHECK ("priority" BETWEEN 1 AND 3);
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_material_check" CHECK ("material" IN ('SiC', 'GaN', 'GaN-on-Si', 'Si'));
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_wafer_size_check" CHECK ("wafer_size" IN (100, 150, 200));
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_contamination_group_check" CHECK ("contamination_group" IN ('cmos-clean', 'standard', 'au-metal'));
-- Pinned and dropped exclude each other: a lab manager either keeps a request or takes it out.
ALTER TABLE "allocation_requests" ADD CONSTRAINT "allocation_requests_pin_drop_check" CHECK (NOT ("pinned" AND "dropped"));
