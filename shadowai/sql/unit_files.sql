-- The files of one counting unit (the month's source of record).
-- params: $unit. out: file_id
SELECT file_id FROM files WHERE unit = $unit
