-- Episodes are counted file by file: a person's requests to one service on one day that
-- were read from several files of the month's source of record (two proxies behind a load
-- balancer, a log rotated during a session) may count one episode in each file.
-- params: $start, $end.
-- out: person_days (person, service and day with rows from several files), episodes (their
--      episodes as counted), excess (at most this many counted twice: one episode at least
--      per such person-day is real), total (every episode of the month)
WITH pd AS (
    SELECT count(DISTINCT file_id) AS files, sum(episodes) AS episodes
    FROM month_ai WHERE day >= $start AND day < $end
    GROUP BY day, pseudonym, service_id
)
SELECT count(*) FILTER (WHERE files > 1)::BIGINT AS person_days,
       coalesce(sum(episodes) FILTER (WHERE files > 1), 0)::BIGINT AS episodes,
       coalesce(sum(episodes - 1) FILTER (WHERE files > 1), 0)::BIGINT AS excess,
       coalesce(sum(episodes), 0)::BIGINT AS total
FROM pd
