-- One department per person (pseudonym) of the month: the department of their most
-- recently ingested rows. ai_daily / traffic_daily rows carry the department the
-- directory gave at ingest, so a users map changed between two ingests of an open month
-- leaves a person in two departments; the latest ingest carries the newest map (the one
-- `run --force` would apply to the whole month), which the day of the rows does not:
-- an old file of late days may be ingested first. Ties (one file: a person outside the
-- user map seen from networks of two departments): latest day, then department name.
-- unit_files: the files of the month's unit (the views unit_ai / unit_traffic read this).
-- params: $start, $end. out: pseudonym, department, departments (how many were seen)
WITH rows AS (
    SELECT pseudonym, department, day, file_id FROM traffic_daily
    WHERE file_id IN (SELECT file_id FROM unit_files) AND day >= $start AND day < $end
    UNION ALL
    SELECT pseudonym, department, day, file_id FROM ai_daily
    WHERE file_id IN (SELECT file_id FROM unit_files) AND day >= $start AND day < $end
)
SELECT r.pseudonym,
       arg_max(r.department, (f.ingested_at, r.file_id, r.day, r.department)) AS department,
       count(DISTINCT r.department) AS departments
FROM rows r JOIN files f USING (file_id)
GROUP BY r.pseudonym
