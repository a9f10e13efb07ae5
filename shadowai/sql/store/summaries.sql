-- Kept summaries in month order, those before $before (all when it is null).
SELECT summary FROM month_summaries WHERE month < coalesce($before, '9999') ORDER BY month
