// Package benchscore holds a bench run's figures as data: the statistics
// of one figure (Stat), one prompt's figures (PromptSummary), the run's
// summary and KI-Check's score (docs/score.md). It is the part of
// internal/bench without runtime or cloud clients, so that the report and
// the collection read bench figures without importing the runner, the
// OpenAI client or the OS credential store. A helper without a subcommand
// of its own (`kicheck bench` shows these figures).
package benchscore
