-- Running the facility: tenants with contacts and a status; projects (grants, cost centres) and
-- their members, which bookings and lots are charged to; a tenant-scoped manager role; people who
-- can be deactivated; qualifications with training, revocation, reminders and lapse; training
-- requests; retired tools; rates that change for new requests only; the policy terms the issue names.

-- AlterEnum (the new value is not used in this transaction, as PostgreSQL requires)
ALTER TYPE "role" ADD VALUE IF NOT EXISTS 'tenant_manager';

-- CreateEnum
CREATE TYPE "tenant_status" AS ENUM ('active', 'suspended');

-- CreateEnum
CREATE TYPE "project_kind" AS ENUM ('grant', 'cost_centre');

-- CreateEnum
CREATE TYPE "training_request_status" AS ENUM ('requested', 'scheduled', 'completed', 'declined');

-- AlterTable
ALTER TABLE "tenants"
    ADD COLUMN "status" "tenant_status" NOT NULL DEFAULT 'active',
    ADD COLUMN "suspended_reason" TEXT,
    ADD COLUMN "contact_name" TEXT,
    ADD COLUMN "contact_email" TEXT,
    ADD COLUMN "contact_phone" TEXT,
    ADD COLUMN "billing_address" TEXT,
    ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- AlterTable: the accounts migration (20261128000100) adds the same two columns; whichever runs
-- first adds them, the other finds them.
ALTER TABLE "users"
    ADD COLUMN IF NOT EXISTS "active" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN IF NOT EXISTS "deactivated_at" TIMESTAMPTZ(3);

-- A membership names its tenant twice (project and user): the composite keys make them agree.
CREATE UNIQUE INDEX "users_id_tenant_id_key" ON "users"("id", "tenant_id");

-- CreateTable
CREATE TABLE "projects" (
    "id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "project_kind" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "valid_from" DATE,
    "valid_to" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "projects_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "projects_validity_check" CHECK ("valid_from" IS NULL OR "valid_to" IS NULL OR "valid_to" >= "valid_from")
);

-- CreateIndex
CREATE UNIQUE INDEX "projects_tenant_id_code_key" ON "projects"("tenant_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "projects_id_tenant_id_key" ON "projects"("id", "tenant_id");

-- AddForeignKey
ALTER TABLE "projects" ADD CONSTRAINT "projects_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "project_members" (
    "project_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_members_pkey" PRIMARY KEY ("project_id", "user_id")
);

-- CreateIndex
CREATE INDEX "project_members_user_id_idx" ON "project_members"("user_id");

-- AddForeignKey: a project's members are people of the project's own tenant.
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_project_id_tenant_id_fkey" FOREIGN KEY ("project_id", "tenant_id") REFERENCES "projects"("id", "tenant_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_user_id_tenant_id_fkey" FOREIGN KEY ("user_id", "tenant_id") REFERENCES "users"("id", "tenant_id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable: the project charged (null on rows from before projects), a training's trainer, and
-- the flag a lapsed or revoked qualification puts on the booking for the lab managers.
ALTER TABLE "bookings"
    ADD COLUMN "project_id" UUID,
    ADD COLUMN "trainer_id" TEXT,
    ADD COLUMN "flagged_at" TIMESTAMPTZ(3),
    ADD COLUMN "flag_reason" TEXT,
    ADD COLUMN "flag_qualification_id" UUID;

-- AddForeignKey: a booking is charged to a project of its own tenant.
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_project_id_tenant_id_fkey" FOREIGN KEY ("project_id", "tenant_id") REFERENCES "projects"("id", "tenant_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_trainer_id_fkey" FOREIGN KEY ("trainer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- CreateIndex
CREATE INDEX "bookings_user_id_starts_at_idx" ON "bookings"("user_id", "starts_at");

-- CreateIndex
CREATE INDEX "bookings_project_id_idx" ON "bookings"("project_id");

-- AlterTable
ALTER TABLE "lots" ADD COLUMN "project_id" UUID;

-- AddForeignKey
ALTER TABLE "lots" ADD CONSTRAINT "lots_project_id_tenant_id_fkey" FOREIGN KEY ("project_id", "tenant_id") REFERENCES "projects"("id", "tenant_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AlterTable: a retired tool takes no new bookings and is not offered for new requests.
ALTER TABLE "tools" ADD COLUMN "retired_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "qualifications"
    ADD COLUMN "granted_by_id" TEXT,
    ADD COLUMN "trainer_id" TEXT,
    ADD COLUMN "trained_at" TIMESTAMPTZ(3),
    ADD COLUMN "reminded_at" TIMESTAMPTZ(3),
    ADD COLUMN "lapsed_at" TIMESTAMPTZ(3),
    ADD COLUMN "revoked_at" TIMESTAMPTZ(3),
    ADD COLUMN "revoked_by_id" TEXT,
    ADD COLUMN "revoke_reason" TEXT,
    ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD CONSTRAINT "qualifications_revoked_check" CHECK (("revoked_at" IS NULL) = ("revoked_by_id" IS NULL));

-- AddForeignKey
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_trainer_id_fkey" FOREIGN KEY ("trainer_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_flag_qualification_id_fkey" FOREIGN KEY ("flag_qualification_id") REFERENCES "qualifications"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "training_requests" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "tool_type_id" TEXT,
    "tool_id" TEXT,
    "note" TEXT,
    "status" "training_request_status" NOT NULL DEFAULT 'requested',
    "booking_id" UUID,
    "decided_by_id" TEXT,
    "decline_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "training_requests_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "training_requests_scope_check" CHECK (num_nonnulls("tool_type_id", "tool_id") = 1),
    CONSTRAINT "training_requests_booking_check" CHECK ("status" <> 'scheduled' OR "booking_id" IS NOT NULL)
);

-- CreateIndex
CREATE UNIQUE INDEX "training_requests_booking_id_key" ON "training_requests"("booking_id");

-- CreateIndex
CREATE INDEX "training_requests_status_created_at_idx" ON "training_requests"("status", "created_at");

-- CreateIndex
CREATE INDEX "training_requests_user_id_idx" ON "training_requests"("user_id");

-- AddForeignKey
ALTER TABLE "training_requests" ADD CONSTRAINT "training_requests_user_id_tenant_id_fkey" FOREIGN KEY ("user_id", "tenant_id") REFERENCES "users"("id", "tenant_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_requests" ADD CONSTRAINT "training_requests_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_requests" ADD CONSTRAINT "training_requests_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "training_requests" ADD CONSTRAINT "training_requests_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AlterTable: a rate applies to bookings requested from `valid_from` on; a change adds a row.
ALTER TABLE "rates"
    ADD COLUMN "valid_from" TIMESTAMPTZ(3) NOT NULL DEFAULT '2000-01-01T00:00:00Z',
    ADD CONSTRAINT "rates_hourly_rate_cents_check" CHECK ("hourly_rate_cents" >= 0);

-- DropIndex
DROP INDEX "rates_tool_type_id_tenant_class_key";

-- CreateIndex
CREATE UNIQUE INDEX "rates_tool_type_id_tenant_class_valid_from_key" ON "rates"("tool_type_id", "tenant_class", "valid_from");

-- AlterTable: the charge terms of a late cancellation and a no-show, as a share of the booking's cost.
ALTER TABLE "policies"
    ADD COLUMN "late_cancel_charge_percent" INTEGER NOT NULL DEFAULT 50,
    ADD COLUMN "no_show_charge_percent" INTEGER NOT NULL DEFAULT 100,
    ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    ADD CONSTRAINT "policies_durations_check" CHECK ("min_duration_min" >= 1 AND "max_duration_min" >= "min_duration_min"),
    ADD CONSTRAINT "policies_terms_check" CHECK (
        "min_notice_min" >= 0 AND "max_advance_min" >= 0 AND "buffer_after_min" >= 0
        AND ("weekly_quota_min" IS NULL OR "weekly_quota_min" >= 0)
        AND "approval_timeout_min" >= 0 AND "check_in_grace_min" >= 0 AND "late_cancel_min" >= 0
        AND "late_cancel_charge_percent" BETWEEN 0 AND 100 AND "no_show_charge_percent" BETWEEN 0 AND 100);

-- AlterTable
ALTER TABLE "setup_rules" ADD CONSTRAINT "setup_rules_minutes_check" CHECK ("minutes" >= 0);

-- AlterTable
ALTER TABLE "tools" ADD CONSTRAINT "tools_batch_capacity_check" CHECK ("batch_capacity" >= 1);

-- The audit-log view reads the newest first, by actor or by thing changed.
CREATE INDEX "audit_log_actor_id_id_idx" ON "audit_log"("actor_id", "id");
