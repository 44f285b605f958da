// Package quiz is KI-Check's question bank: the question model (every type
// Moodle's GIFT format knows plus Likert self-rating statements), the
// scoring of a response with Moodle's semantics, the formats questions come
// and go in (GIFT import/export, Moodle XML export, the project's YAML
// bundle format, see docs/quiz-format.md) and their storage in SQLite.
//
// The model is shared with the sessions and statistics built on top of it
// (quiz sessions, trainer dashboard): those use Question, Response, Score
// and the tables created by Schema.
//
// A question file with problems is refused with bundle.Errors, the one
// type for a refused content file: each problem names file, line and
// column (the question element in Moodle XML), the question and the
// field, and says what is wrong as a message id (lang/*.quizparse.json)
// rendered in the reader's language.
package quiz
