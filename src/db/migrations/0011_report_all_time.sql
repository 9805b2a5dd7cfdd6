-- All-time rollup rows. A report with no dates (every dashboard's default) summed every month of
-- every service: 150,000–900,000 rows a table for London, 50–70 ms a query, 1 s for the
-- commissioner's seven reports. Each rollup now also keeps one row per cell with month NULL, the
-- sum of all its months, kept by the same statements (GROUPING SETS) as the monthly rows; a report
-- with no dates reads those, one with dates the months. The unique keys already treat NULLs as equal.
ALTER TABLE report_month ALTER COLUMN month DROP NOT NULL;
ALTER TABLE report_month_count ALTER COLUMN month DROP NOT NULL;
ALTER TABLE report_month_days ALTER COLUMN month DROP NOT NULL;
ALTER TABLE report_month_onward ALTER COLUMN month DROP NOT NULL;
ALTER TABLE report_month_measure ALTER COLUMN month DROP NOT NULL;
ALTER TABLE report_month_outcome ALTER COLUMN month DROP NOT NULL;
ALTER TABLE report_month_factor ALTER COLUMN month DROP NOT NULL;

-- The next refresh rebuilds everything, with the all-time rows.
UPDATE report_state SET full_at = NULL;
