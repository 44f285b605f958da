// Package quizsession runs quizzes for trainers: a session draws its items
// from a quiz bundle (all items, or a number per competency area × level),
// with a recorded seed so the same bundle, seed and rule give exactly the
// same session again, on this PC or another one. Participants answer under
// pseudonyms, one after another on the same PC or each on their own PC;
// results from other PCs come in as exported result files (JSON with a
// hash, docs/quiz-sessions.md) and are merged without duplicates.
//
// Scoring is the quiz package's (Moodle semantics); with confidence-based
// marking (CBM) each answer carries a certainty 1–3 that earns 1/2/3 marks
// when right and 0/−2/−6 when wrong. The session's answers feed the item
// analysis (internal/quizstats), the per-participant evaluation and
// learning path (internal/learning) and the Art. 4 evidence.
//
// Everything is stored in the quiz component's tables (internal/quiz
// schema version 2).
package quizsession
