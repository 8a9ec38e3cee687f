-- Check-in indexes, kept in their own migration because the demo generator
-- and bulk sync drop and rebuild them around large loads.
-- (venue, time_in, time_out, person) covers the tracing query: every
-- co-presence lookup is a range scan inside one venue with no table access.
CREATE INDEX checkin_venue_time ON checkin(venue_id, time_in, time_out, person_id);
CREATE INDEX checkin_person_time ON checkin(person_id, time_in);
