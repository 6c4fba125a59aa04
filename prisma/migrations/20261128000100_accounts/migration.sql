-- People sign in: passwords (argon2id), an OpenID Connect subject, browser sessions, one-time
-- sign-in links, and API tokens with a name, an expiry and a last-used time. Only hashes of
-- secrets are stored: a session's id, a token and a link are SHA-256 of what the holder has.

-- AlterTable
ALTER TABLE "users"
    ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true,
    ADD COLUMN "deactivated_at" TIMESTAMPTZ(3),
    ADD COLUMN "password_hash" TEXT,
    ADD COLUMN "oidc_issuer" TEXT,
    ADD COLUMN "oidc_subject" TEXT,
    ADD COLUMN "last_sign_in_at" TIMESTAMPTZ(3),
    -- A subject means nothing without its issuer.
    ADD CONSTRAINT "users_oidc_pair" CHECK (("oidc_issuer" IS NULL) = ("oidc_subject" IS NULL));

-- CreateIndex
CREATE UNIQUE INDEX "users_oidc_issuer_oidc_subject_key" ON "users"("oidc_issuer", "oidc_subject");

-- AlterTable
ALTER TABLE "api_tokens" RENAME COLUMN "label" TO "name";
ALTER TABLE "api_tokens"
    ADD COLUMN "expires_at" TIMESTAMPTZ(3),
    ADD COLUMN "last_used_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "csrf_secret" TEXT NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sessions_user_id_idx" ON "sessions"("user_id");

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateTable
CREATE TABLE "sign_in_links" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "sign_in_links_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sign_in_links_purpose" CHECK ("purpose" IN ('first_admin', 'welcome', 'reset'))
);

-- CreateIndex
CREATE UNIQUE INDEX "sign_in_links_token_hash_key" ON "sign_in_links"("token_hash");

-- CreateIndex
CREATE INDEX "sign_in_links_user_id_idx" ON "sign_in_links"("user_id");

-- AddForeignKey
ALTER TABLE "sign_in_links" ADD CONSTRAINT "sign_in_links_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
