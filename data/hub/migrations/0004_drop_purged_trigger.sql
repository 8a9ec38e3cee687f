-- The push now skips purged keys itself (purge_violations.go holdPurged):
-- the distributed engines the hub is meant to run on restrict or lack
-- triggers on distributed tables (docs/SCALING.md). purged_row stays.
DROP TRIGGER IF EXISTS sync_row_skip_purged ON sync_row;
DROP FUNCTION IF EXISTS sync_row_skip_purged();
