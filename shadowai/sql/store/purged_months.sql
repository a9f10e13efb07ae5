SELECT value FROM meta WHERE key = 'purged_month' ORDER BY 1
