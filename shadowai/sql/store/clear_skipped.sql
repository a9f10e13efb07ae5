DELETE FROM skipped_files
