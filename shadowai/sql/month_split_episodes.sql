-- Episodes are counted file by file: a person's requests to one service on one day that
-- were read from several files of the month's source of record (two proxies behind a load
-- balancer, a log rotated during a session) may count one episode in each file. When every
-- file holds the same number of requests for such a person-day, the same lines may have
-- been stored twice (a copy with other line ends or without its first lines is another
-- file to shadowai): then requests are counted twice too.
-- params: $start, $end.
-- out: person_days (person, service and day with rows from several files), episodes (their
--      episodes as counted), excess (at most this many counted twice: one episode at least
--      per such person-day is real), total (every episode of the month), mirrored (those
--      person-days where each file holds the same number of requests)
WITH pf AS (
    SELECT day, pseudonym, service_id, file_id, sum(requests) AS requests,
           sum(episodes) AS episodes
    FROM month_ai WHERE day >= $start AND day < $end
    GROUP BY day, pseudonym, service_id, file_id
), pd AS (
    SELECT count(*) AS files, sum(episodes) AS episodes,
           min(requests) = max(requests) AS same
    FROM pf GROUP BY day, pseudonym, service_id
)
SELECT count(*) FILTER (WHERE files > 1)::BIGINT AS person_days,
       coalesce(sum(episodes) FILTER (WHERE files > 1), 0)::BIGINT AS episodes,
       coalesce(sum(episodes - 1) FILTER (WHERE files > 1), 0)::BIGINT AS excess,
       coalesce(sum(episodes), 0)::BIGINT AS total,
       count(*) FILTER (WHERE files > 1 AND same)::BIGINT AS mirrored
FROM pd
