DELETE FROM meta WHERE key = 'purged_month' AND value = $month;
INSERT INTO meta VALUES ('purged_month', $month)
