-- Counting units of the files with events in the month, with what each unit saw.
-- params: $start, $end. out: unit, files, lines, ai_people, ai_requests
WITH f AS (
    SELECT DISTINCT f.file_id, f.unit, f.lines FROM files f JOIN file_days d USING (file_id)
    WHERE d.day >= $start AND d.day < $end
)
SELECT f.unit, count(DISTINCT f.file_id) AS files, sum(f.lines) AS lines,
       (SELECT count(DISTINCT a.pseudonym) FROM ai_daily a
        WHERE a.day >= $start AND a.day < $end
          AND a.file_id IN (SELECT file_id FROM f f2 WHERE f2.unit = f.unit)) AS ai_people,
       (SELECT coalesce(sum(a.requests), 0) FROM ai_daily a
        WHERE a.day >= $start AND a.day < $end
          AND a.file_id IN (SELECT file_id FROM f f2 WHERE f2.unit = f.unit)) AS ai_requests
-- ties by name: the same store gives the same order (and the same first unit)
FROM f GROUP BY f.unit ORDER BY lines DESC, f.unit
