-- Route templates: the process flows a wafer lot starts from (a GaN HEMT, a SiC MOSFET front end),
-- each step as a lot request asks for it; a tenant picks one, adjusts the window and submits the lot.

-- CreateTable
CREATE TABLE "route_templates" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "material" TEXT NOT NULL,
    "wafer_size" INTEGER NOT NULL DEFAULT 150,
    "contamination_group" TEXT NOT NULL DEFAULT 'standard',
    "steps" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "route_templates_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "route_templates_steps_array" CHECK (jsonb_typeof("steps") = 'array' AND jsonb_array_length("steps") > 0)
);
