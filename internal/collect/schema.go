package collect

import "github.com/ki-reise/kicheck/internal/store"

// Schema is the collection's part of the central database. The central
// database is its own file (kicheck collect --db FILE), not the data dir's
// kicheck.db, but it is opened through the same store, so it has the core
// tables too.
//
// The figures the fleet overview aggregates are real columns filled at
// intake, so the overview never parses stored report JSON. Each device row
// points at its newest report (latest_report), so the overview reads one
// report per device however long the history grows.
var Schema = store.Schema{Component: "collect", Migrations: []store.Migration{{Version: 1, SQL: `
CREATE TABLE collect_devices (
	device_id     TEXT PRIMARY KEY,
	public_key    TEXT NOT NULL,           -- "ssh-ed25519 AAAA…", the key trusted for this device
	fingerprint   TEXT NOT NULL,
	trust         TEXT NOT NULL,           -- "allowed_signers" or "enrolled"
	first_seen    TEXT NOT NULL,           -- RFC 3339 UTC, when the intake first accepted it
	latest_report INTEGER,                 -- collect_reports.id of the newest report (by created)
	latest_created TEXT,                   -- its created time, for the stale-device query
	reports       INTEGER NOT NULL DEFAULT 0 -- stored reports of this device (history included)
);
CREATE INDEX collect_devices_latest_created ON collect_devices(latest_created);

CREATE TABLE collect_reports (
	id             INTEGER PRIMARY KEY,
	sha256         TEXT NOT NULL UNIQUE,   -- of the report bytes: the duplicate key
	report_id      TEXT NOT NULL UNIQUE,
	device_id      TEXT NOT NULL REFERENCES collect_devices(device_id),
	created        TEXT NOT NULL,          -- RFC 3339 UTC, from the report
	received       TEXT NOT NULL,          -- RFC 3339 UTC, when stored
	source         TEXT NOT NULL,          -- file path, zip entry or "upload:ORG-UNIT"
	org_unit       TEXT NOT NULL DEFAULT '',
	hostname       TEXT NOT NULL DEFAULT '',
	overall        TEXT NOT NULL,          -- ready, limited, not_ready, unknown
	status         TEXT NOT NULL,          -- complete, incomplete
	app_version    TEXT NOT NULL DEFAULT '',
	os             TEXT NOT NULL DEFAULT '',
	cpu_model      TEXT NOT NULL DEFAULT '',
	threads        INTEGER,
	ram_bytes      INTEGER,                -- NULL = unknown
	gpu_model      TEXT NOT NULL DEFAULT '',
	vram_bytes     INTEGER,                -- largest dedicated VRAM; NULL = unknown, 0 = none
	bandwidth_gbps REAL,                   -- measured memory read bandwidth; NULL = not measured
	quiz_participants INTEGER,             -- quiz aggregate, only when the report carries one
	quiz_score_pct REAL
);
CREATE INDEX collect_reports_device ON collect_reports(device_id, created);

-- The signed bytes live apart from the columns, so the fleet queries read
-- small rows and never page through report JSON.
CREATE TABLE collect_report_files (
	report INTEGER PRIMARY KEY REFERENCES collect_reports(id) ON DELETE CASCADE,
	data   BLOB NOT NULL,                  -- the exact signed bytes
	sig    BLOB NOT NULL
);

CREATE TABLE collect_verdicts (
	report        INTEGER NOT NULL REFERENCES collect_reports(id) ON DELETE CASCADE,
	use_case      TEXT NOT NULL DEFAULT '',
	model         TEXT NOT NULL DEFAULT '',
	subject       TEXT NOT NULL DEFAULT '',
	level         TEXT NOT NULL,
	predicted_tps REAL,
	measured_tps  REAL,
	required_ram_bytes INTEGER             -- replaced by ready_with_ram_gb in version 2
);
CREATE INDEX collect_verdicts_report ON collect_verdicts(report);

-- Running counts of the fleet overview, kept by the intake in the same
-- transaction as the reports (counts.go): the overview reads these rows
-- instead of every device.
CREATE TABLE collect_fleet_counts (
	dim   TEXT NOT NULL,                   -- overall, org, ram, model, speed, upgrade, …
	key   TEXT NOT NULL,                   -- org unit, use case, model …
	val   TEXT NOT NULL,                   -- level, bucket label, speed bin …
	n     INTEGER NOT NULL,                -- devices (quiz: participants)
	total REAL NOT NULL DEFAULT 0,         -- quiz: sum of participants × score
	PRIMARY KEY (dim, key, val)
) WITHOUT ROWID;
`}, {Version: 2, SQL: `
-- Report version 2 says per use case at which memory size it would be
-- ready (report.FitUseCase.ReadyWithRAMGB); version 1 reports never
-- carried a usable memory need, so required_ram_bytes goes.
ALTER TABLE collect_verdicts ADD COLUMN ready_with_ram_gb INTEGER; -- NULL = the report does not say, 0 = memory alone does not help
ALTER TABLE collect_verdicts DROP COLUMN required_ram_bytes;

-- Report bytes are stored compressed from version 2 on (files.go).
ALTER TABLE collect_report_files ADD COLUMN encoding TEXT NOT NULL DEFAULT ''; -- '' = plain, 'zstd'

-- The upgrade counter is recounted under the new rule: a device whose
-- newest report has no verdict below ready counts for no upgrade ('0'),
-- every other device cannot be judged from what is stored.
DELETE FROM collect_fleet_counts WHERE dim = 'upgrade';
INSERT INTO collect_fleet_counts (dim, key, val, n)
SELECT 'upgrade', '', v, COUNT(*) FROM (
	SELECT CASE WHEN EXISTS (SELECT 1 FROM collect_verdicts x WHERE x.report = d.latest_report AND x.level <> 'ready')
		THEN 'unjudged' ELSE '0' END AS v
	FROM collect_devices d WHERE d.latest_report IS NOT NULL)
GROUP BY v;
`}, {Version: 3, SQL: `
-- An upload token may enrol only so many devices (Grant.MaxEnroll): each
-- device enrolled through an upload remembers the token's unit.
ALTER TABLE collect_devices ADD COLUMN enrolled_unit TEXT NOT NULL DEFAULT ''; -- '' = not enrolled through an upload
CREATE INDEX collect_devices_enrolled_unit ON collect_devices(enrolled_unit);

-- How far the clock of the PC was ahead when its newest report arrived:
-- created minus received, in seconds, 0 when not ahead (the overview
-- lists PCs with a clock ahead). NULL for devices stored before.
ALTER TABLE collect_devices ADD COLUMN clock_ahead_s INTEGER;
CREATE INDEX collect_devices_clock_ahead ON collect_devices(clock_ahead_s);
`}, {Version: 4, SQL: `
-- Reports say whether a verdict's prediction was calibrated with a local
-- runtime measurement (report.Verdict.Calibrated); earlier ones never are.
ALTER TABLE collect_verdicts ADD COLUMN calibrated INTEGER NOT NULL DEFAULT 0;
INSERT INTO collect_fleet_counts (dim, key, val, n)
SELECT 'calibrated', '', '0', COUNT(*) FROM collect_devices d JOIN collect_verdicts v ON v.report = d.latest_report
WHERE v.use_case <> '' HAVING COUNT(*) > 0;
`}}}
