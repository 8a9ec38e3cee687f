-- Follow-ups of contacts (trace_contact), evidence snapshots and outbreak
-- areas sync from this version on (data/syncproto tables.go). Until now
-- their outbox entries were acknowledged without being sent, so the rows
-- already here are queued again, once, to reach the district.

-- A follow-up takes the id every device derives for its (case, person)
-- (data.FollowUpID: bytes 1-8 of the case id, 9-16 of the person id), so
-- the same contact followed up on two devices is one row everywhere.
UPDATE trace_contact SET id = unhex(hex(substr(case_id, 1, 8)) || hex(substr(person_id, 9, 8)))
    WHERE id <> unhex(hex(substr(case_id, 1, 8)) || hex(substr(person_id, 9, 8)));

DELETE FROM outbox WHERE tbl IN ('outbreak_area', 'trace_contact', 'evidence');
INSERT INTO outbox(tbl, row_id, op, row_version, payload, created_at)
    SELECT 'outbreak_area', id, 'insert', version, '{"requeued":11}', updated_at FROM outbreak_area ORDER BY id;
INSERT INTO outbox(tbl, row_id, op, row_version, payload, created_at)
    SELECT 'trace_contact', id, 'insert', version, '{"requeued":11}', updated_at FROM trace_contact ORDER BY id;
INSERT INTO outbox(tbl, row_id, op, row_version, payload, created_at)
    SELECT 'evidence', id, 'insert', version, '{"requeued":11}', updated_at FROM evidence ORDER BY id;
