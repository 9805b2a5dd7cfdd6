-- GIN indexes keep new entries in a "pending list" until vacuum merges them; the embedded database
-- has no autovacuum, so after bulk inserts every search scanned that list. Write straight into the
-- indexes instead, and merge whatever is already pending.
ALTER INDEX dir_service_search_idx SET (fastupdate = off);
ALTER INDEX dir_service_name_trgm_idx SET (fastupdate = off);
ALTER INDEX dir_search_doc_terms_idx SET (fastupdate = off);
ALTER INDEX dir_search_doc_facets_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('dir_service_search_idx'::regclass);
SELECT gin_clean_pending_list('dir_service_name_trgm_idx'::regclass);
SELECT gin_clean_pending_list('dir_search_doc_terms_idx'::regclass);
SELECT gin_clean_pending_list('dir_search_doc_facets_idx'::regclass);
