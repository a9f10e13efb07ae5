-- People active on the network in the folded departments, unassigned identities left out
-- (activity is not AI use and carries no k threshold; it is the denominator of a rate).
-- month_traffic: traffic_daily of the files of the month's unit.
-- params: $start, $end, $departments (the folded department names).
-- out: active_people
SELECT count(DISTINCT pseudonym) AS active_people
FROM month_traffic
WHERE day >= $start AND day < $end AND department IN (SELECT unnest($departments))
  AND department <> 'unassigned'
