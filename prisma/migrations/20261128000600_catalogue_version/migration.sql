-- The catalogue's version: one row, given a new random value by every statement that changes what
-- placement reads besides the calendar (tools, tool types, policies, setup rules, tenants,
-- qualifications). Workers keep the catalogue in memory and read it again only when the version
-- they hold is no longer the database's; the new value commits (or rolls back) with the change.
-- Random rather than counted: a database restored from a backup can never repeat a version.

-- CreateTable
CREATE TABLE "catalogue_version" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "version" UUID NOT NULL DEFAULT gen_random_uuid(),
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "catalogue_version_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "catalogue_version_one_row" CHECK ("id")
);

INSERT INTO "catalogue_version" DEFAULT VALUES;

-- Before the statement, so a transaction locks the version row before any catalogue row: two
-- writers of the catalogue then queue on it instead of deadlocking over rows in between.
CREATE FUNCTION "bump_catalogue_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "catalogue_version" SET "version" = gen_random_uuid(), "changed_at" = CURRENT_TIMESTAMP;
    RETURN NULL;
END
$$;

CREATE TRIGGER "tools_bump_catalogue_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tools"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalogue_version"();
CREATE TRIGGER "tool_types_bump_catalogue_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tool_types"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalogue_version"();
CREATE TRIGGER "policies_bump_catalogue_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "policies"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalogue_version"();
CREATE TRIGGER "setup_rules_bump_catalogue_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "setup_rules"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalogue_version"();
CREATE TRIGGER "tenants_bump_catalogue_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tenants"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalogue_version"();
CREATE TRIGGER "qualifications_bump_catalogue_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "qualifications"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalogue_version"();
