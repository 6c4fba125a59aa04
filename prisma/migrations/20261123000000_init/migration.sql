-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "btree_gist";

-- CreateEnum
CREATE TYPE "tenant_class" AS ENUM ('institute', 'university', 'industry');

-- CreateEnum
CREATE TYPE "role" AS ENUM ('tenant_user', 'lab_manager', 'ops', 'admin');

-- CreateEnum
CREATE TYPE "tool_status" AS ENUM ('up', 'down', 'requalifying');

-- CreateEnum
CREATE TYPE "booking_state" AS ENUM ('requested', 'held', 'confirmed', 'in_use', 'completed', 'rejected', 'cancelled', 'expired', 'no_show');

-- CreateEnum
CREATE TYPE "maintenance_kind" AS ENUM ('planned', 'recurring', 'outage');

-- CreateEnum
CREATE TYPE "maintenance_state" AS ENUM ('proposed', 'scheduled', 'in_progress', 'awaiting_requalification', 'completed', 'cancelled');

-- CreateEnum
CREATE TYPE "lot_state" AS ENUM ('requested', 'held', 'confirmed', 'in_progress', 'completed', 'rejected', 'cancelled', 'expired');

-- CreateEnum
CREATE TYPE "notification_state" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "tool_types" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "area" TEXT NOT NULL,
    "description" TEXT,

    CONSTRAINT "tool_types_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tools" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tool_type_id" TEXT NOT NULL,
    "materials" TEXT[],
    "wafer_sizes" INTEGER[],
    "contamination_class" TEXT NOT NULL,
    "batch_capacity" INTEGER NOT NULL DEFAULT 1,
    "requires_requalification" BOOLEAN NOT NULL DEFAULT false,
    "status" "tool_status" NOT NULL DEFAULT 'up',
    "location" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tools_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tenants" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "class" "tenant_class" NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "role" "role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "qualifications" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "tool_id" TEXT,
    "tool_type_id" TEXT,
    "granted_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "qualifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policies" (
    "id" TEXT NOT NULL,
    "tool_type_id" TEXT,
    "tool_id" TEXT,
    "min_duration_min" INTEGER NOT NULL,
    "max_duration_min" INTEGER NOT NULL,
    "min_notice_min" INTEGER NOT NULL DEFAULT 0,
    "max_advance_min" INTEGER NOT NULL,
    "buffer_after_min" INTEGER NOT NULL DEFAULT 0,
    "weekly_quota_min" INTEGER,
    "approval_required" BOOLEAN NOT NULL DEFAULT false,
    "approval_timeout_min" INTEGER NOT NULL DEFAULT 1440,
    "check_in_grace_min" INTEGER NOT NULL DEFAULT 15,
    "late_cancel_min" INTEGER NOT NULL DEFAULT 1440,
    "reminder_offsets_min" INTEGER[] DEFAULT ARRAY[1440, 60]::INTEGER[],

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setup_rules" (
    "id" TEXT NOT NULL,
    "tool_type_id" TEXT,
    "tool_id" TEXT,
    "dimension" TEXT NOT NULL,
    "from_group" TEXT NOT NULL,
    "to_group" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,

    CONSTRAINT "setup_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rates" (
    "id" TEXT NOT NULL,
    "tool_type_id" TEXT NOT NULL,
    "tenant_class" "tenant_class" NOT NULL,
    "hourly_rate_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'HKD',

    CONSTRAINT "rates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bookings" (
    "id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "tool_id" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "state" "booking_state" NOT NULL,
    "material" TEXT NOT NULL,
    "wafer_size" INTEGER NOT NULL,
    "contamination_group" TEXT NOT NULL DEFAULT 'standard',
    "window_start" TIMESTAMPTZ(3),
    "window_end" TIMESTAMPTZ(3),
    "purpose" TEXT,
    "lot_step_id" UUID,
    "approval_deadline" TIMESTAMPTZ(3),
    "decided_by_id" TEXT,
    "checked_in_at" TIMESTAMPTZ(3),
    "checked_out_at" TIMESTAMPTZ(3),
    "cancel_reason" TEXT,
    "late_cancel" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bookings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_lines" (
    "id" UUID NOT NULL,
    "booking_id" UUID NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "tool_id" TEXT NOT NULL,
    "minutes" INTEGER NOT NULL,
    "rate_cents" INTEGER NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "maintenances" (
    "id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "kind" "maintenance_kind" NOT NULL,
    "state" "maintenance_state" NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "requires_requalification" BOOLEAN NOT NULL DEFAULT false,
    "created_by_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "maintenances_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "maintenance_windows" (
    "id" UUID NOT NULL,
    "maintenance_id" UUID NOT NULL,
    "tool_id" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "maintenance_windows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "maintenance_plans" (
    "id" TEXT NOT NULL,
    "tool_type_id" TEXT,
    "tool_id" TEXT,
    "every_days" INTEGER NOT NULL,
    "duration_min" INTEGER NOT NULL,
    "requires_requalification" BOOLEAN NOT NULL DEFAULT false,
    "schedule_id" TEXT,
    "paused" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "maintenance_plans_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reservations" (
    "id" BIGSERIAL NOT NULL,
    "tool_id" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,
    "source_id" UUID NOT NULL,
    "active" BOOLEAN NOT NULL,

    CONSTRAINT "reservations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lots" (
    "id" UUID NOT NULL,
    "request_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "material" TEXT NOT NULL,
    "wafer_size" INTEGER NOT NULL,
    "state" "lot_state" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "lots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lot_steps" (
    "id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "tool_type_id" TEXT NOT NULL,
    "duration_min" INTEGER NOT NULL,
    "min_lag_to_next_min" INTEGER NOT NULL DEFAULT 0,
    "max_lag_to_next_min" INTEGER,

    CONSTRAINT "lot_steps_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" TEXT,
    "actor_role" TEXT,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "recipient_id" TEXT,
    "tenant_id" TEXT,
    "audience" TEXT,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "state" "notification_state" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tools_tool_type_id_idx" ON "tools"("tool_type_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "users_tenant_id_idx" ON "users"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_user_id_idx" ON "api_tokens"("user_id");

-- CreateIndex
CREATE INDEX "qualifications_user_id_idx" ON "qualifications"("user_id");

-- CreateIndex (NULLS NOT DISTINCT: a qualification names a tool or a tool type, never both)
CREATE UNIQUE INDEX "qualifications_user_id_tool_id_tool_type_id_key" ON "qualifications"("user_id", "tool_id", "tool_type_id") NULLS NOT DISTINCT;

-- CreateIndex
CREATE UNIQUE INDEX "policies_tool_type_id_key" ON "policies"("tool_type_id");

-- CreateIndex
CREATE UNIQUE INDEX "policies_tool_id_key" ON "policies"("tool_id");

-- CreateIndex
CREATE UNIQUE INDEX "rates_tool_type_id_tenant_class_key" ON "rates"("tool_type_id", "tenant_class");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_request_id_key" ON "bookings"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_workflow_id_key" ON "bookings"("workflow_id");

-- CreateIndex
CREATE UNIQUE INDEX "bookings_lot_step_id_key" ON "bookings"("lot_step_id");

-- CreateIndex
CREATE INDEX "bookings_tool_id_starts_at_idx" ON "bookings"("tool_id", "starts_at");

-- CreateIndex
CREATE INDEX "bookings_tenant_id_starts_at_idx" ON "bookings"("tenant_id", "starts_at");

-- CreateIndex
CREATE INDEX "bookings_state_idx" ON "bookings"("state");

-- CreateIndex
CREATE UNIQUE INDEX "usage_lines_booking_id_key" ON "usage_lines"("booking_id");

-- CreateIndex
CREATE INDEX "usage_lines_tenant_id_created_at_idx" ON "usage_lines"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "maintenances_request_id_key" ON "maintenances"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "maintenances_workflow_id_key" ON "maintenances"("workflow_id");

-- CreateIndex
CREATE INDEX "maintenances_starts_at_idx" ON "maintenances"("starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "maintenance_windows_maintenance_id_tool_id_key" ON "maintenance_windows"("maintenance_id", "tool_id");

-- CreateIndex
CREATE INDEX "maintenance_windows_tool_id_starts_at_idx" ON "maintenance_windows"("tool_id", "starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "maintenance_plans_schedule_id_key" ON "maintenance_plans"("schedule_id");

-- CreateIndex
CREATE UNIQUE INDEX "reservations_source_source_id_key" ON "reservations"("source", "source_id");

-- CreateIndex
CREATE UNIQUE INDEX "lots_request_id_key" ON "lots"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "lots_workflow_id_key" ON "lots"("workflow_id");

-- CreateIndex
CREATE UNIQUE INDEX "lot_steps_lot_id_seq_key" ON "lot_steps"("lot_id", "seq");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "notifications_state_id_idx" ON "notifications"("state", "id");

-- CreateIndex
CREATE INDEX "notifications_recipient_id_idx" ON "notifications"("recipient_id");

-- AddForeignKey
ALTER TABLE "tools" ADD CONSTRAINT "tools_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policies" ADD CONSTRAINT "policies_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policies" ADD CONSTRAINT "policies_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "setup_rules" ADD CONSTRAINT "setup_rules_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "setup_rules" ADD CONSTRAINT "setup_rules_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rates" ADD CONSTRAINT "rates_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_lot_step_id_fkey" FOREIGN KEY ("lot_step_id") REFERENCES "lot_steps"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_lines" ADD CONSTRAINT "usage_lines_booking_id_fkey" FOREIGN KEY ("booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_maintenance_id_fkey" FOREIGN KEY ("maintenance_id") REFERENCES "maintenances"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lots" ADD CONSTRAINT "lots_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lots" ADD CONSTRAINT "lots_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lot_steps" ADD CONSTRAINT "lot_steps_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "lots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lot_steps" ADD CONSTRAINT "lot_steps_tool_type_id_fkey" FOREIGN KEY ("tool_type_id") REFERENCES "tool_types"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
