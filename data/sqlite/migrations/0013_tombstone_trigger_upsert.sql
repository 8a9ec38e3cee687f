-- A check-in withdrawn on this device (UndoCheckin) comes back from the hub
-- in the next pull and is applied with an upsert. SQLite lets the upsert's
-- conflict policy override the INSERT OR IGNORE inside the tombstone
-- trigger, so the trigger failed on the tombstone already there
-- ("UNIQUE constraint failed: checkin_tombstone.rid") and the device could
-- not pull any more. The triggers now test for the row instead; 0003's
-- triggers section (which bulk loads re-create) has the same text.
DROP TRIGGER IF EXISTS trace_tombstone_ins;
DROP TRIGGER IF EXISTS trace_tombstone_upd;
CREATE TRIGGER trace_tombstone_ins AFTER INSERT ON checkin WHEN NEW.deleted_at IS NOT NULL BEGIN
    INSERT INTO checkin_tombstone(rid) SELECT NEW.rid
        WHERE NOT EXISTS (SELECT 1 FROM checkin_tombstone WHERE rid = NEW.rid);
END;
CREATE TRIGGER trace_tombstone_upd AFTER UPDATE OF deleted_at ON checkin BEGIN
    DELETE FROM checkin_tombstone WHERE rid = OLD.rid AND NEW.deleted_at IS NULL;
    INSERT INTO checkin_tombstone(rid) SELECT NEW.rid
        WHERE NEW.deleted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM checkin_tombstone WHERE rid = NEW.rid);
END;
