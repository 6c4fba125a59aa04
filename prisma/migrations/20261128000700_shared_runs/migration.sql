-- Shared furnace runs: a batch tool runs one recipe for every load in it. The first booking of a
-- run holds the tool's time; a compatible booking that joins points at it (shared_run_id) and holds
-- no time of its own, so its reservation is inactive. Usage lines record the load share billed.

ALTER TABLE "bookings" ADD COLUMN "recipe" TEXT;
ALTER TABLE "bookings" ADD COLUMN "wafer_count" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "bookings" ADD COLUMN "shared_run_id" UUID;
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_wafer_count_check" CHECK ("wafer_count" >= 1);
CREATE INDEX "bookings_shared_run_id_idx" ON "bookings"("shared_run_id");
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_shared_run_id_fkey" FOREIGN KEY ("shared_run_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "usage_lines" ADD COLUMN "load_wafers" INTEGER;
ALTER TABLE "usage_lines" ADD COLUMN "run_wafers" INTEGER;

-- A booking that joined a run claims no time itself: the run's holder does.
CREATE OR REPLACE FUNCTION "pilotline_mirror_booking"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "reservations" WHERE "source" = 'booking' AND "source_id" = OLD."id";
    RETURN OLD;
  END IF;
  INSERT INTO "reservations" ("tool_id", "starts_at", "ends_at", "source", "source_id", "active")
  VALUES (NEW."tool_id", NEW."starts_at", NEW."ends_at", 'booking', NEW."id",
          "pilotline_booking_is_active"(NEW."state") AND NEW."shared_run_id" IS NULL)
  ON CONFLICT ("source", "source_id") DO UPDATE
    SET "tool_id" = EXCLUDED."tool_id", "starts_at" = EXCLUDED."starts_at",
        "ends_at" = EXCLUDED."ends_at", "active" = EXCLUDED."active";
  RETURN NEW;
END $$;

DROP TRIGGER "bookings_mirror_reservation" ON "bookings";
CREATE TRIGGER "bookings_mirror_reservation"
  AFTER INSERT OR DELETE OR UPDATE OF "tool_id", "starts_at", "ends_at", "state", "shared_run_id" ON "bookings"
  FOR EACH ROW EXECUTE FUNCTION "pilotline_mirror_booking"();
