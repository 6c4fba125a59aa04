-- The database is the last line of defence against double booking: whatever the application
-- does, two active claims on one tool (held, confirmed or in-use bookings, active maintenance
-- windows) can never overlap. Bookings and maintenance windows live in their own tables; the
-- triggers below mirror each into `reservations`, where one exclusion constraint covers both.

-- Intervals are half-open [start, end) everywhere.
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_interval_check" CHECK ("ends_at" > "starts_at");
ALTER TABLE "maintenances" ADD CONSTRAINT "maintenances_interval_check" CHECK ("ends_at" > "starts_at");
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_interval_check" CHECK ("ends_at" > "starts_at");
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_interval_check" CHECK ("ends_at" > "starts_at");
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_source_check" CHECK ("source" IN ('booking', 'maintenance'));

-- A rule applies either to one tool or to every tool of a type.
ALTER TABLE "policies" ADD CONSTRAINT "policies_scope_check" CHECK (num_nonnulls("tool_type_id", "tool_id") = 1);
ALTER TABLE "qualifications" ADD CONSTRAINT "qualifications_scope_check" CHECK (num_nonnulls("tool_type_id", "tool_id") = 1);
ALTER TABLE "setup_rules" ADD CONSTRAINT "setup_rules_scope_check" CHECK (num_nonnulls("tool_type_id", "tool_id") = 1);
ALTER TABLE "maintenance_plans" ADD CONSTRAINT "maintenance_plans_scope_check" CHECK (num_nonnulls("tool_type_id", "tool_id") = 1);

-- Closed vocabularies the solver relies on.
ALTER TABLE "setup_rules" ADD CONSTRAINT "setup_rules_dimension_check" CHECK ("dimension" IN ('material', 'contamination'));
ALTER TABLE "tools" ADD CONSTRAINT "tools_contamination_class_check" CHECK ("contamination_class" IN ('cmos-clean', 'standard', 'au-metal'));
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_contamination_group_check" CHECK ("contamination_group" IN ('cmos-clean', 'standard', 'au-metal'));
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_material_check" CHECK ("material" IN ('SiC', 'GaN', 'GaN-on-Si', 'Si'));
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_wafer_size_check" CHECK ("wafer_size" IN (100, 150, 200));
ALTER TABLE "tools" ADD CONSTRAINT "tools_materials_check" CHECK ("materials" <@ ARRAY['SiC', 'GaN', 'GaN-on-Si', 'Si']::TEXT[]);
ALTER TABLE "tools" ADD CONSTRAINT "tools_wafer_sizes_check" CHECK ("wafer_sizes" <@ ARRAY[100, 150, 200]::INTEGER[]);

-- Deferrable, so a repair that moves several bookings into each other's slots can be applied in
-- one transaction (SET CONSTRAINTS ... DEFERRED); checked at once otherwise.
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_no_overlap"
  EXCLUDE USING gist ("tool_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("active")
  DEFERRABLE INITIALLY IMMEDIATE;

CREATE FUNCTION "pilotline_booking_is_active"("state" "booking_state") RETURNS boolean
  LANGUAGE sql IMMUTABLE AS $$ SELECT "state" IN ('held', 'confirmed', 'in_use') $$;

CREATE FUNCTION "pilotline_mirror_booking"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "reservations" WHERE "source" = 'booking' AND "source_id" = OLD."id";
    RETURN OLD;
  END IF;
  INSERT INTO "reservations" ("tool_id", "starts_at", "ends_at", "source", "source_id", "active")
  VALUES (NEW."tool_id", NEW."starts_at", NEW."ends_at", 'booking', NEW."id", "pilotline_booking_is_active"(NEW."state"))
  ON CONFLICT ("source", "source_id") DO UPDATE
    SET "tool_id" = EXCLUDED."tool_id", "starts_at" = EXCLUDED."starts_at",
        "ends_at" = EXCLUDED."ends_at", "active" = EXCLUDED."active";
  RETURN NEW;
END $$;

CREATE TRIGGER "bookings_mirror_reservation"
  AFTER INSERT OR DELETE OR UPDATE OF "tool_id", "starts_at", "ends_at", "state" ON "bookings"
  FOR EACH ROW EXECUTE FUNCTION "pilotline_mirror_booking"();

CREATE FUNCTION "pilotline_mirror_maintenance_window"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "reservations" WHERE "source" = 'maintenance' AND "source_id" = OLD."id";
    RETURN OLD;
  END IF;
  INSERT INTO "reservations" ("tool_id", "starts_at", "ends_at", "source", "source_id", "active")
  VALUES (NEW."tool_id", NEW."starts_at", NEW."ends_at", 'maintenance', NEW."id", NEW."active")
  ON CONFLICT ("source", "source_id") DO UPDATE
    SET "tool_id" = EXCLUDED."tool_id", "starts_at" = EXCLUDED."starts_at",
        "ends_at" = EXCLUDED."ends_at", "active" = EXCLUDED."active";
  RETURN NEW;
END $$;

CREATE TRIGGER "maintenance_windows_mirror_reservation"
  AFTER INSERT OR DELETE OR UPDATE OF "tool_id", "starts_at", "ends_at", "active" ON "maintenance_windows"
  FOR EACH ROW EXECUTE FUNCTION "pilotline_mirror_maintenance_window"();

-- The calendar reads active claims of a tool by time.
CREATE INDEX "reservations_tool_id_starts_at_idx" ON "reservations"("tool_id", "starts_at") WHERE ("active");
