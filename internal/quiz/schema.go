package quiz

import "github.com/ki-reise/kicheck/internal/store"

// Schema is the quiz component's part of the database. Migrations are
// appended here, in this one file, by everything built on the question
// bank (sessions, answers, statistics): add {Version: N+1, SQL: …} at the
// end, never edit an applied one.
//
// Layout of the bank (version 1):
//
//	quiz_bundles    one row per imported (bundle id, version); never changed
//	                after import, so sessions can cite exactly what was asked
//	quiz_questions  the questions of a bundle version; data holds the whole
//	                Question as JSON, the other columns are for queries
//
// A session refers to quiz_questions(pk) (stable: a re-import of changed
// content creates a new bundle version with new rows, the old ones stay).
var Schema = store.Schema{
	Component: "quiz",
	Migrations: []store.Migration{
		{Version: 1, SQL: `
CREATE TABLE quiz_bundles (
	pk INTEGER PRIMARY KEY,
	bundle_id TEXT NOT NULL,
	version TEXT NOT NULL,
	title TEXT NOT NULL,
	language TEXT NOT NULL DEFAULT '',
	license TEXT NOT NULL DEFAULT '',
	framework TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL,           -- file the questions came from, or embedded:<name>
	source_format TEXT NOT NULL,    -- gift, yaml
	content_hash TEXT NOT NULL,     -- sha256 of the normalized questions
	imported TEXT NOT NULL,         -- RFC 3339, UTC
	run_id INTEGER REFERENCES runs(id),
	UNIQUE (bundle_id, version)
);
CREATE TABLE quiz_questions (
	pk INTEGER PRIMARY KEY,
	bundle_pk INTEGER NOT NULL REFERENCES quiz_bundles(pk) ON DELETE CASCADE,
	position INTEGER NOT NULL,      -- order in the file, from 0
	qid TEXT NOT NULL,              -- id within the bundle
	type TEXT NOT NULL,
	title TEXT NOT NULL,
	area TEXT NOT NULL DEFAULT '',
	level TEXT NOT NULL DEFAULT '',
	category TEXT NOT NULL DEFAULT '',
	data TEXT NOT NULL,             -- the Question as JSON
	UNIQUE (bundle_pk, qid)
);
CREATE INDEX quiz_questions_area_level ON quiz_questions(area, level);
CREATE TABLE quiz_question_tags (
	question_pk INTEGER NOT NULL REFERENCES quiz_questions(pk) ON DELETE CASCADE,
	tag TEXT NOT NULL,
	PRIMARY KEY (question_pk, tag)
);
CREATE INDEX quiz_question_tags_tag ON quiz_question_tags(tag);`},
	},
}
