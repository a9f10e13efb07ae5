SELECT summary FROM month_summaries WHERE month = $month
