-- Any write to users, sessions or organizations announces itself, after commit, on the
-- channel every server process listens to (app/realtime/events.ts: `accounts:changed`).
-- Servers remember who is behind a session between requests and forget it on hearing this;
-- a trigger, not the models, sends it, so that no write path (CLI, import, raw SQL) can be
-- forgotten. PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION "notify_accounts_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('market_events', '{"type":"accounts:changed"}');
  RETURN NULL;
END;
$$;

CREATE TRIGGER "User_accounts_changed"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "User"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_accounts_changed"();

CREATE TRIGGER "Session_accounts_changed"
  AFTER UPDATE OR DELETE OR TRUNCATE ON "Session"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_accounts_changed"();

CREATE TRIGGER "Organization_accounts_changed"
  AFTER UPDATE OR DELETE OR TRUNCATE ON "Organization"
  FOR EACH STATEMENT EXECUTE FUNCTION "notify_accounts_changed"();
