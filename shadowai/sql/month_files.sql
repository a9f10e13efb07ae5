-- Input files with events in the month (a file spanning two months is listed in both),
-- with the line counts of THIS month only: events dated in it, and the rejected,
-- not-event and not-usage lines counted in it.
-- params: $start, $end.
-- out: file_id, path, format, unit, compression, lines, parsed, rejected, not_usage,
--      not_event, first_day, last_day, catalog_version, days_in_month, ai_people (distinct
--      pseudonyms of the file's AI rows in the month: below k, the file is never named)
WITH ev AS (
    SELECT file_id, sum(events) AS events, count(*) AS days_in_month
    FROM file_days WHERE day >= $start AND day < $end GROUP BY file_id
), fl AS (
    SELECT file_id,
           coalesce(sum(lines) FILTER (WHERE kind = 'rejected'), 0) AS rejected,
           coalesce(sum(lines) FILTER (WHERE kind = 'not_event'), 0) AS not_event,
           coalesce(sum(lines) FILTER (WHERE kind = 'not_usage'), 0) AS not_usage
    FROM file_lines WHERE month >= strftime($start, '%Y-%m') AND month < strftime($end, '%Y-%m') GROUP BY file_id
), ai AS (
    SELECT file_id, count(DISTINCT pseudonym) AS ai_people
    FROM ai_daily WHERE day >= $start AND day < $end GROUP BY file_id
)
SELECT f.file_id, f.path, f.format, f.unit, f.compression,
       (ev.events + coalesce(fl.rejected, 0) + coalesce(fl.not_event, 0))::BIGINT AS lines,
       ev.events::BIGINT AS parsed, coalesce(fl.rejected, 0)::BIGINT AS rejected,
       coalesce(fl.not_usage, 0)::BIGINT AS not_usage,
       coalesce(fl.not_event, 0)::BIGINT AS not_event,
       f.first_day, f.last_day, f.catalog_version, ev.days_in_month,
       coalesce(ai.ai_people, 0)::BIGINT AS ai_people
FROM files f JOIN ev USING (file_id) LEFT JOIN fl USING (file_id) LEFT JOIN ai USING (file_id)
ORDER BY f.path
