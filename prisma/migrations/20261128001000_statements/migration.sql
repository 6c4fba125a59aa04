-- Usage statements (issue 14): usage lines become charges of three kinds (the time used, a no-show,
-- a late cancellation), each dated to the Hong Kong month it belongs to and charged to the
-- booking's project; statements sum them per tenant, project, month and currency; lab managers add
-- adjustments; an issued statement, its lines and its adjustments never change again.

CREATE TYPE "usage_kind" AS ENUM ('use', 'no_show', 'late_cancel');
CREATE TYPE "statement_state" AS ENUM ('draft', 'issued');

CREATE TABLE "statements" (
  "id" UUID NOT NULL,
  "tenant_id" TEXT NOT NULL,
  "project_id" UUID,
  "month" TEXT NOT NULL,
  "currency" TEXT NOT NULL,
  "state" "statement_state" NOT NULL DEFAULT 'draft',
  "usage_cents" INTEGER NOT NULL DEFAULT 0,
  "adjustments_cents" INTEGER NOT NULL DEFAULT 0,
  "total_cents" INTEGER NOT NULL DEFAULT 0,
  "line_count" INTEGER NOT NULL DEFAULT 0,
  "drafted_at" TIMESTAMPTZ(3) NOT NULL,
  "issued_at" TIMESTAMPTZ(3),
  "issued_by_id" TEXT,
  CONSTRAINT "statements_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "statements_month_check" CHECK ("month" ~ '^(20[0-9]{2})-(0[1-9]|1[0-2])$'),
  CONSTRAINT "statements_total_check" CHECK ("total_cents" = "usage_cents" + "adjustments_cents"),
  CONSTRAINT "statements_issued_check" CHECK (("state" = 'issued') = ("issued_at" IS NOT NULL)),
  CONSTRAINT "statements_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
  CONSTRAINT "statements_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
-- One statement per tenant, project (or none), month and currency.
CREATE UNIQUE INDEX "statements_tenant_project_month_currency_key"
  ON "statements"("tenant_id", "project_id", "month", "currency") NULLS NOT DISTINCT;
CREATE INDEX "statements_month_state_idx" ON "statements"("month", "state");
CREATE INDEX "statements_tenant_id_month_idx" ON "statements"("tenant_id", "month");

CREATE TABLE "statement_adjustments" (
  "id" UUID NOT NULL,
  "statement_id" UUID NOT NULL,
  "amount_cents" INTEGER NOT NULL,
  "reason" TEXT NOT NULL,
  "corrects_statement_id" UUID,
  "created_by_id" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "statement_adjustments_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "statement_adjustments_reason_check" CHECK (length(btrim("reason")) > 0),
  CONSTRAINT "statement_adjustments_amount_check" CHECK ("amount_cents" <> 0),
  CONSTRAINT "statement_adjustments_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "statements"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  CONSTRAINT "statement_adjustments_corrects_statement_id_fkey" FOREIGN KEY ("corrects_statement_id") REFERENCES "statements"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "statement_adjustments_statement_id_idx" ON "statement_adjustments"("statement_id");

ALTER TABLE "usage_lines" ADD COLUMN "kind" "usage_kind" NOT NULL DEFAULT 'use';
ALTER TABLE "usage_lines" ADD COLUMN "project_id" UUID;
ALTER TABLE "usage_lines" ADD COLUMN "charged_at" TIMESTAMPTZ(3);
ALTER TABLE "usage_lines" ADD COLUMN "charge_percent" INTEGER;
ALTER TABLE "usage_lines" ADD COLUMN "month" TEXT;
-- Lines written before: the time used, dated at check-out, charged to the booking's project.
UPDATE "usage_lines" u SET "project_id" = b."project_id", "charged_at" = COALESCE(b."checked_out_at", u."created_at")
  FROM "bookings" b WHERE b."id" = u."booking_id";
UPDATE "usage_lines" SET "month" = to_char(("charged_at" AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM');
ALTER TABLE "usage_lines" ALTER COLUMN "charged_at" SET NOT NULL;
ALTER TABLE "usage_lines" ALTER COLUMN "month" SET NOT NULL;
ALTER TABLE "usage_lines" ADD CONSTRAINT "usage_lines_charge_percent_check"
  CHECK (("kind" = 'use') = ("charge_percent" IS NULL) AND ("charge_percent" IS NULL OR "charge_percent" BETWEEN 0 AND 100));
ALTER TABLE "usage_lines" ADD CONSTRAINT "usage_lines_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "usage_lines_month_tenant_id_idx" ON "usage_lines"("month", "tenant_id");

-- The last line of defence: whatever the application does, an issued statement stays as issued.
-- Statement writes (drafting, adjusting, issuing) hold this advisory lock; a new usage line holds it
-- shared, so it never lands in a month whose statement is being issued at that moment.
CREATE FUNCTION "pilotline_statement_lock"() RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
  SELECT hashtext('pilotline/statements')::bigint
$$;

CREATE FUNCTION "pilotline_statement_issued"(statement UUID) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM "statements" WHERE "id" = statement AND "state" = 'issued')
$$;

CREATE FUNCTION "pilotline_month_issued"(tenant TEXT, project UUID, cur TEXT, m TEXT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM "statements" WHERE "tenant_id" = tenant AND "project_id" IS NOT DISTINCT FROM project
                 AND "currency" = cur AND "month" = m AND "state" = 'issued')
$$;

CREATE FUNCTION "pilotline_refuse_issued_statement_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'statement % is issued and never changes', OLD."id" USING ERRCODE = 'P0001', HINT = 'STATEMENT_ISSUED';
END $$;
CREATE TRIGGER "statements_issued_immutable" BEFORE UPDATE OR DELETE ON "statements"
  FOR EACH ROW WHEN (OLD."state" = 'issued') EXECUTE FUNCTION "pilotline_refuse_issued_statement_change"();

CREATE FUNCTION "pilotline_refuse_adjustment_on_issued"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND "pilotline_statement_issued"(OLD."statement_id") THEN
    RAISE EXCEPTION 'statement % is issued and never changes', OLD."statement_id" USING ERRCODE = 'P0001', HINT = 'STATEMENT_ISSUED';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND "pilotline_statement_issued"(NEW."statement_id") THEN
    RAISE EXCEPTION 'statement % is issued and never changes', NEW."statement_id" USING ERRCODE = 'P0001', HINT = 'STATEMENT_ISSUED';
  END IF;
  RETURN COALESCE(NEW, OLD);
END $$;
CREATE TRIGGER "statement_adjustments_issued_immutable" BEFORE INSERT OR UPDATE OR DELETE ON "statement_adjustments"
  FOR EACH ROW EXECUTE FUNCTION "pilotline_refuse_adjustment_on_issued"();

-- A line whose month was issued before it was written (a check-out just after the month was issued)
-- goes on the first later month not issued; a line of an issued month never changes.
CREATE FUNCTION "pilotline_usage_line_month"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND "pilotline_month_issued"(OLD."tenant_id", OLD."project_id", OLD."currency", OLD."month") THEN
    RAISE EXCEPTION 'usage line % is on an issued statement and never changes', OLD."id" USING ERRCODE = 'P0001', HINT = 'STATEMENT_ISSUED';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  PERFORM pg_advisory_xact_lock_shared("pilotline_statement_lock"());
  WHILE "pilotline_month_issued"(NEW."tenant_id", NEW."project_id", NEW."currency", NEW."month") LOOP
    NEW."month" := to_char(to_date(NEW."month", 'YYYY-MM') + interval '1 month', 'YYYY-MM');
  END LOOP;
  RETURN NEW;
END $$;
CREATE TRIGGER "usage_lines_month" BEFORE INSERT OR UPDATE OR DELETE ON "usage_lines"
  FOR EACH ROW EXECUTE FUNCTION "pilotline_usage_line_month"();
