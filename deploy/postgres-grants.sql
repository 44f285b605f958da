-- KI-Check central collection on PostgreSQL: what the intake and read
-- roles may do. Run as a superuser or kicheck_owner in the database
-- kicheck (psql -d kicheck -f …) after kicheck_owner has created the
-- tables (kicheck fleet --db postgres://kicheck_owner@HOST/kicheck once),
-- and again after an update that adds tables.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO kicheck_intake, kicheck_read;

-- Reading: everything, changing nothing.
GRANT SELECT ON ALL TABLES IN SCHEMA public TO kicheck_read;

-- Intake: reports, their bytes and verdicts are insert-only (a stored
-- report can be neither changed nor deleted through this role). The
-- device row (its key, newest report and count) and the overview's
-- running counters are updated as reports arrive; runs records each
-- kicheck collect. No DELETE, TRUNCATE or DDL anywhere.
GRANT SELECT ON schema_migrations TO kicheck_intake;
GRANT SELECT, INSERT ON collect_reports, collect_report_files, collect_verdicts TO kicheck_intake;
GRANT SELECT, INSERT, UPDATE ON collect_devices, collect_fleet_counts, runs TO kicheck_intake;
