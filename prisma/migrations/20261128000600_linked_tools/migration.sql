-- Linked tools: a tool may need others alongside it (a stepper and its reticle slot, a furnace and
-- its load station). A booking of the primary holds each linked tool for the same interval as a
-- member booking pointing at it; the exclusion constraint guards every member like any booking.

-- CreateTable
CREATE TABLE "tool_links" (
    "tool_id" TEXT NOT NULL,
    "linked_tool_id" TEXT NOT NULL,

    CONSTRAINT "tool_links_pkey" PRIMARY KEY ("tool_id","linked_tool_id"),
    CONSTRAINT "tool_links_not_itself_check" CHECK ("tool_id" <> "linked_tool_id")
);

CREATE INDEX "tool_links_linked_tool_id_idx" ON "tool_links"("linked_tool_id");

ALTER TABLE "tool_links" ADD CONSTRAINT "tool_links_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "tool_links" ADD CONSTRAINT "tool_links_linked_tool_id_fkey" FOREIGN KEY ("linked_tool_id") REFERENCES "tools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AlterTable: a member booking points at the booking of its primary tool.
ALTER TABLE "bookings" ADD COLUMN "primary_booking_id" UUID;
CREATE INDEX "bookings_primary_booking_id_idx" ON "bookings"("primary_booking_id");
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_primary_booking_id_fkey" FOREIGN KEY ("primary_booking_id") REFERENCES "bookings"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
