-- A month's k-anonymous summary, replacing the one kept before.
DELETE FROM month_summaries WHERE month = $month;
INSERT INTO month_summaries VALUES ($month, $summary, $now)
