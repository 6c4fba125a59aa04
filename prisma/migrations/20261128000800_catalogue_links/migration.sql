-- Tool links are part of the catalogue workers cache (which tools a booking holds alongside its
-- own, and which tools a placement takes into scope): a change to them bumps its version too,
-- before the statement, as for the other catalogue tables (see 20261128000600_catalogue_version).
CREATE TRIGGER "tool_links_bump_catalogue_version" BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "tool_links"
    FOR EACH STATEMENT EXECUTE FUNCTION "bump_catalogue_version"();
