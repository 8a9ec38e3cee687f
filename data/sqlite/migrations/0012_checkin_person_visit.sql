-- A trace starts by reading the F0's visits: venue and times of each of
-- their check-ins in the infectious window. Through (person_id, time_in)
-- that cost two random table pages per visit, about half of a cold trace
-- on a large replica. The wider index answers it from the index alone and
-- still serves every (person, time) lookup the narrow one did.
DROP INDEX IF EXISTS checkin_person_time;
CREATE INDEX IF NOT EXISTS checkin_person_visit ON checkin(person_id, time_in, venue_id, time_out);
