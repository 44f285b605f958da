package bundles

import "embed"

// Quizzes holds the packaged quizzes content (bundles/quizzes/*.yaml). Its format is
// described in docs/schema/quiz.schema.json (docs/quiz-format.md); a municipality can put its own
// files into <datadir>/bundles/quizzes/.
//
//go:embed quizzes
var Quizzes embed.FS
