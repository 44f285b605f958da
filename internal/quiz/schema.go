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
		// Version 2: trainer sessions (internal/quizsession, docs/quiz-sessions.md).
		//
		//	quiz_sessions        one per session: the bundle (id, version, content
		//	                     hash) it draws from, the seed and drawing rule
		//	                     that make it reproducible, time limit, CBM
		//	quiz_session_items   the drawn items in order, each with a snapshot of
		//	                     the question as asked (question_pk links the bank
		//	                     when the bundle was imported there)
		//	quiz_attempts        one participant in one session, under a pseudonym
		//	quiz_answers         one answer of an attempt, with the order the
		//	                     options were shown in, certainty and marks
		//
		// Deleting an attempt deletes its answers (delete-participant).
		{Version: 2, SQL: `
CREATE TABLE quiz_sessions (
	pk INTEGER PRIMARY KEY,
	session_id TEXT NOT NULL UNIQUE,
	title TEXT NOT NULL,
	bundle_id TEXT NOT NULL,
	bundle_version TEXT NOT NULL,
	bundle_title TEXT NOT NULL,
	content_hash TEXT NOT NULL,     -- sha256 of the drawn items' questions
	self_bundle_id TEXT NOT NULL DEFAULT '',
	self_bundle_version TEXT NOT NULL DEFAULT '',
	framework TEXT NOT NULL DEFAULT '',
	license TEXT NOT NULL DEFAULT '',
	seed INTEGER NOT NULL,
	draw TEXT NOT NULL DEFAULT '',   -- drawing rule, e.g. "per-cell=2" or "A1/grundlage=2,…"; '' = all items
	shuffle INTEGER NOT NULL DEFAULT 1,
	time_limit_s INTEGER NOT NULL DEFAULT 0,  -- 0 = no limit
	cbm INTEGER NOT NULL DEFAULT 0,
	status TEXT NOT NULL,            -- open, finished
	created TEXT NOT NULL,
	finished TEXT,
	run_id INTEGER REFERENCES runs(id)
);
CREATE TABLE quiz_session_items (
	session_pk INTEGER NOT NULL REFERENCES quiz_sessions(pk) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	kind TEXT NOT NULL,              -- knowledge, selfrating
	qid TEXT NOT NULL,
	question_pk INTEGER REFERENCES quiz_questions(pk) ON DELETE SET NULL,
	data TEXT NOT NULL,              -- the Question as JSON, as asked
	PRIMARY KEY (session_pk, position)
);
CREATE TABLE quiz_attempts (
	pk INTEGER PRIMARY KEY,
	session_pk INTEGER NOT NULL REFERENCES quiz_sessions(pk) ON DELETE CASCADE,
	pseudonym TEXT NOT NULL,
	display_name TEXT NOT NULL DEFAULT '',  -- optional real name; only shown on request
	role TEXT NOT NULL,
	started TEXT NOT NULL,
	finished TEXT NOT NULL,
	timed_out INTEGER NOT NULL DEFAULT 0,
	score REAL NOT NULL,             -- sum of fractions of the knowledge items
	max_score REAL NOT NULL,         -- number of knowledge items
	cbm_mark REAL,                   -- sum of CBM marks, NULL without CBM
	source TEXT NOT NULL,            -- local, merged
	result_hash TEXT NOT NULL,       -- sha256 of the exported result (docs/quiz-sessions.md)
	UNIQUE (session_pk, pseudonym)
);
CREATE INDEX quiz_attempts_pseudonym ON quiz_attempts(pseudonym);
CREATE TABLE quiz_answers (
	attempt_pk INTEGER NOT NULL REFERENCES quiz_attempts(pk) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	qid TEXT NOT NULL,
	shown_order TEXT NOT NULL DEFAULT '',  -- JSON: option indexes in the order shown
	response TEXT NOT NULL,                -- quiz.Response as JSON (original indexes)
	answered INTEGER NOT NULL,
	certainty INTEGER NOT NULL DEFAULT 0,  -- CBM 1..3, 0 = none
	fraction REAL NOT NULL,
	mark REAL NOT NULL,                    -- CBM mark, or the fraction without CBM
	PRIMARY KEY (attempt_pk, position)
);`},
	},
}
