-- KI-Check central collection on PostgreSQL: roles and database.
-- Run once as a superuser, in any database (psql -d postgres -f …),
-- then set the passwords (\password kicheck_owner, …) or use your
-- directory's authentication in pg_hba.conf.
--   kicheck_owner   owns the tables; kicheck run with it creates and
--                   updates them (first start, after an update)
--   kicheck_intake  kicheck serve and kicheck collect: adds reports
--   kicheck_read    kicheck fleet and the Sammelstelle: reads
CREATE ROLE kicheck_owner LOGIN;
CREATE ROLE kicheck_intake LOGIN;
CREATE ROLE kicheck_read LOGIN;
CREATE DATABASE kicheck OWNER kicheck_owner ENCODING 'UTF8' TEMPLATE template0;
