-- What purge.sql deletes before the day $start (the month $month), table by table.
SELECT (SELECT count(*) FROM ai_daily WHERE day < $start) AS ai_daily,
       (SELECT count(*) FROM traffic_daily WHERE day < $start) AS traffic_daily,
       (SELECT count(*) FROM file_days WHERE day < $start) AS file_days,
       (SELECT count(*) FROM candidates WHERE month < $month) AS candidates,
       (SELECT count(*) FROM dns_answers WHERE month < $month) AS dns_answers,
       (SELECT count(*) FROM files WHERE file_id NOT IN
            (SELECT file_id FROM file_days WHERE day >= $start)) AS files
