INSERT INTO skipped_files VALUES ($place, $reason, $now)
