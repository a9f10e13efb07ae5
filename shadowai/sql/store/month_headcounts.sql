-- The headcount a month was reported with: department, headcount.
SELECT department, headcount FROM month_headcounts WHERE month = $month ORDER BY department
