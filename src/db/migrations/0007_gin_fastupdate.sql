-- GIN indexes keep new entries in a "pending list" until vacuum merges them; the embedded database
-- has no autovacuum, so after bulk inserts every search scanned that list. Every GIN index of the
-- directory writes straight into the index instead, and whatever is already pending is merged.
-- (New GIN indexes: create them WITH (fastupdate = off).)
DO $$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT c.relname
    FROM pg_class c JOIN pg_am a ON a.oid = c.relam
    WHERE a.amname = 'gin' AND c.relkind = 'i' AND c.relname LIKE 'dir\_%'
  LOOP
    EXECUTE format('ALTER INDEX %I SET (fastupdate = off)', r.relname);
    PERFORM gin_clean_pending_list(r.relname::regclass);
  END LOOP;
END $$;
