-- Retention of closed violation files (data/hub purge_violations.go): the
-- hub deletes a closed violation older than the violation period with its
-- events and documents, by the rule every replica applies, without
-- shipping the purge as deletes.

-- The keys of the purged rows, kept for the longest offline period. A
-- violation can still change on a device that has not seen it closed (or
-- purged), and its events and documents are rows of their own: a key here
-- is never stored again, so a device that still holds the file and pushes
-- it is acknowledged without the file coming back to every device.
CREATE TABLE purged_row (
    district  text NOT NULL,
    tbl       text NOT NULL,
    id        bytea NOT NULL,
    purged_at bigint NOT NULL,
    PRIMARY KEY (district, tbl, id)
);

-- Every write of these tables goes through an INSERT (… ON CONFLICT): a
-- purged key is skipped there, whichever path the write takes. One primary
-- key probe per row of the three tables; other tables never call it.
CREATE FUNCTION sync_row_skip_purged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM purged_row p WHERE p.district = NEW.district AND p.tbl = NEW.tbl AND p.id = NEW.id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER sync_row_skip_purged BEFORE INSERT ON sync_row FOR EACH ROW
    WHEN (NEW.tbl IN ('violation', 'violation_event', 'document'))
    EXECUTE FUNCTION sync_row_skip_purged();
