-- The headcount a month is reported with (per department), replacing the one kept before.
-- $departments and $headcounts: two lists of the same length.
DELETE FROM month_headcounts WHERE month = $month;
INSERT INTO month_headcounts
SELECT $month, unnest($departments), unnest($headcounts), $now
