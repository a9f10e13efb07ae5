SELECT DISTINCT strftime(day, '%Y-%m') FROM file_days WHERE file_id = $file_id ORDER BY 1
