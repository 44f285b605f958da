// Package quizstats computes the trainer dashboard's item analysis from a
// session's scores: per item the facility index, standard deviation,
// discrimination index (top third minus bottom third, as in Moodle's
// classic item analysis) and discriminative efficiency with a flag below
// 15 %, a distractor analysis of choice items, Cronbach's α for the test,
// per-area averages and warnings when the sample is too small to trust.
//
// It works on plain numbers (one fraction per participant and item) and
// knows nothing about the database, so the formulas can be checked by hand;
// quizstats_test.go shows the arithmetic.
package quizstats
