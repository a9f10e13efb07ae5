-- 1 once the first migration has run (it creates meta), else 0.
SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'
