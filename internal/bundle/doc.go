// Package bundle owns how KI-Check reads its content bundles: the YAML
// files embedded from bundles/<kind>/ and a municipality's own files in
// <datadir>/bundles/<kind>/.
//
// The mechanism is the same for every kind of content (models, use cases,
// test prompts, the competency framework, the training catalogue, cost
// parameters, quizzes), so it lives here once:
//
//   - Kind lists a kind's files in a defined order: the packaged files in
//     name order, then the municipality's files in name order (a later file
//     with the same id replaces an earlier one, which is the caller's
//     rule to apply).
//   - Parse reads one YAML document; Document.Validate checks it against
//     the published JSON Schema in docs/schema/ (Schema); Document.Decode
//     decodes it strictly (a key the Go type has no field for is refused).
//     Decode does the three in a row.
//   - Every problem is an *Error naming file, line, column and field (and
//     the question, in a question file), with a hint, rendered in the
//     reader's language (Localize), so the CLI prints "error: …" and
//     "hint: …" and a person can find and fix the line.
//     Document.ErrorAt positions the problems a package finds after
//     decoding (rules a schema cannot say); such a package says what is
//     wrong as a message id (Error.Text) and may give its own hint (Tip).
//     The schema's and the YAML library's words stay English inside the
//     localized line.
//
// What a bundle means (ids, overrides, fallbacks to the packaged content)
// stays with the package that reads it: internal/fit, internal/bench,
// internal/learning, internal/cost and internal/quiz (which reads GIFT and
// Moodle XML too) refuse a file with an *Error or Errors; there is no
// other type for a refused content file.
package bundle
