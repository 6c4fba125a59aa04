-- E-mail: each notification (an event for a user or an audience) becomes one mail per recipient,
-- or a line in their daily digest; mails are claimed before they are handed to SMTP so that none
-- is sent twice. Calendar feeds: a secret URL per user or tool, its token stored hashed.

-- A notification whose recipients have their mails (or digest lines): nothing left to do for it.
ALTER TYPE "notification_state" ADD VALUE 'dispatched';

-- CreateEnum
-- queued → sending (claimed) → sent; or back to queued after a definite failure (with backoff),
-- failed (refused for good, or out of attempts), unconfirmed (may have been sent: a person checks).
CREATE TYPE "mail_state" AS ENUM ('queued', 'sending', 'sent', 'failed', 'unconfirmed');

-- CreateEnum
CREATE TYPE "mail_delivery" AS ENUM ('immediate', 'digest');

-- CreateEnum
CREATE TYPE "calendar_feed_scope" AS ENUM ('user', 'tool');

-- CreateTable
CREATE TABLE "mail_messages" (
    "id" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "user_id" TEXT NOT NULL,
    "to_address" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "notification_id" BIGINT,
    "digest_cutoff" TIMESTAMPTZ(3),
    "subject" TEXT NOT NULL,
    "text_body" TEXT NOT NULL,
    "html_body" TEXT,
    "message_id" TEXT NOT NULL,
    "state" "mail_state" NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimed_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "smtp_response" TEXT,
    "checked_by_id" TEXT,
    "checked_at" TIMESTAMPTZ(3),

    CONSTRAINT "mail_messages_pkey" PRIMARY KEY ("id"),
    -- A mail is about one notification or is one day's digest.
    CONSTRAINT "mail_messages_one_source" CHECK (("notification_id" IS NULL) <> ("digest_cutoff" IS NULL))
);

-- CreateTable
CREATE TABLE "mail_digest_items" (
    "notification_id" BIGINT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "digest_id" BIGINT,

    CONSTRAINT "mail_digest_items_pkey" PRIMARY KEY ("notification_id", "user_id")
);

-- CreateTable
CREATE TABLE "mail_preferences" (
    "user_id" TEXT NOT NULL,
    "delivery" "mail_delivery" NOT NULL DEFAULT 'immediate',
    "muted_kinds" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mail_preferences_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "calendar_feeds" (
    "id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "scope" "calendar_feed_scope" NOT NULL,
    "tool_id" TEXT,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotated_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "calendar_feeds_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "calendar_feeds_tool_scope" CHECK (("scope" = 'tool') = ("tool_id" IS NOT NULL))
);

-- CreateIndex
CREATE UNIQUE INDEX "mail_messages_message_id_key" ON "mail_messages"("message_id");

-- CreateIndex (one mail per notification and recipient, one digest per recipient and day: retries never double)
CREATE UNIQUE INDEX "mail_messages_notification_id_user_id_key" ON "mail_messages"("notification_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "mail_messages_user_id_digest_cutoff_key" ON "mail_messages"("user_id", "digest_cutoff");

-- CreateIndex
CREATE INDEX "mail_messages_state_next_attempt_at_idx" ON "mail_messages"("state", "next_attempt_at");

-- CreateIndex
CREATE INDEX "mail_digest_items_user_id_digest_id_idx" ON "mail_digest_items"("user_id", "digest_id");

-- CreateIndex
CREATE UNIQUE INDEX "calendar_feeds_token_hash_key" ON "calendar_feeds"("token_hash");

-- CreateIndex
CREATE INDEX "calendar_feeds_user_id_idx" ON "calendar_feeds"("user_id");

-- AddForeignKey
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_messages" ADD CONSTRAINT "mail_messages_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_digest_items" ADD CONSTRAINT "mail_digest_items_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notifications"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_digest_items" ADD CONSTRAINT "mail_digest_items_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_digest_items" ADD CONSTRAINT "mail_digest_items_digest_id_fkey" FOREIGN KEY ("digest_id") REFERENCES "mail_messages"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_preferences" ADD CONSTRAINT "mail_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calendar_feeds" ADD CONSTRAINT "calendar_feeds_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
