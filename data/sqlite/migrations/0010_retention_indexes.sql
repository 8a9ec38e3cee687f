-- Indexes the retention purge needs to find what still refers to a person
-- without scanning whole tables (a daily job on a ten-million-row replica).
CREATE INDEX venue_owner ON venue(owner_id);
CREATE INDEX case_f0_person ON case_f0(person_id);
CREATE INDEX trace_contact_person ON trace_contact(person_id);
