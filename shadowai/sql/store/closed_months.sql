SELECT month, closed_at FROM closed_months
