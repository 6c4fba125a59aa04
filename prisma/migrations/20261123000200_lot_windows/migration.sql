-- Lot routes: the window the tenant accepts for the whole route, its approval deadline, and the
-- contamination a step's wafers carry (a route turns Au-contaminated after its metal steps).

-- AlterTable
ALTER TABLE "lots" ADD COLUMN "contamination_group" TEXT NOT NULL DEFAULT 'standard',
ADD COLUMN "earliest_start" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN "latest_end" TIMESTAMPTZ(3) NOT NULL,
ADD COLUMN "approval_deadline" TIMESTAMPTZ(3),
ADD COLUMN "decided_by_id" TEXT,
ADD COLUMN "cancel_reason" TEXT;

-- AlterTable
ALTER TABLE "lot_steps" ADD COLUMN "contamination_group" TEXT;

ALTER TABLE "lots" ADD CONSTRAINT "lots_window_check" CHECK ("latest_end" > "earliest_start");
ALTER TABLE "lots" ADD CONSTRAINT "lots_material_check" CHECK ("material" IN ('SiC', 'GaN', 'GaN-on-Si', 'Si'));
ALTER TABLE "lots" ADD CONSTRAINT "lots_contamination_group_check" CHECK ("contamination_group" IN ('cmos-clean', 'standard', 'au-metal'));
ALTER TABLE "lot_steps" ADD CONSTRAINT "lot_steps_contamination_group_check" CHECK ("contamination_group" IN ('cmos-clean', 'standard', 'au-metal'));
ALTER TABLE "lot_steps" ADD CONSTRAINT "lot_steps_lags_check" CHECK ("min_lag_to_next_min" >= 0 AND ("max_lag_to_next_min" IS NULL OR "max_lag_to_next_min" >= "min_lag_to_next_min"));
