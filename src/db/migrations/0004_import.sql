-- Importing other directories (src/directory/import/).

-- Registered feeds: the ORUK version the feed spoke at its last sync (3.0 feeds are then synced
-- incrementally with modified_after), and who registered it.
ALTER TABLE dir_feed ADD COLUMN format text CHECK (format IN ('1.0', '3.0'));
ALTER TABLE dir_feed ADD COLUMN created_by uuid REFERENCES app_user (id);

-- What the importer last wrote for each imported service: the source it came from, the record's
-- own id there (often not a UUID in ORUK 1.0 feeds), and a hash of the cleaned record, so that a
-- re-import can tell "unchanged" without reading back every row.
CREATE TABLE dir_import_record (
  service_id    uuid PRIMARY KEY REFERENCES dir_service (id) ON DELETE CASCADE,
  source_key    text NOT NULL,
  source_id     text NOT NULL,
  content_hash  text NOT NULL,
  feed_id       uuid REFERENCES dir_feed (id) ON DELETE SET NULL,
  imported_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dir_import_record_feed_idx ON dir_import_record (feed_id);

-- Foreign keys that deletes go through (the importer's, and ON DELETE CASCADE's) had no index.
CREATE INDEX IF NOT EXISTS dir_funding_service_idx ON dir_funding (service_id);
CREATE INDEX IF NOT EXISTS dir_phone_service_idx ON dir_phone (service_id);
CREATE INDEX IF NOT EXISTS dir_phone_contact_idx ON dir_phone (contact_id);
CREATE INDEX IF NOT EXISTS dir_accessibility_location_idx ON dir_accessibility (location_id);
CREATE INDEX IF NOT EXISTS dir_organization_identifier_organization_idx ON dir_organization_identifier (organization_id);
