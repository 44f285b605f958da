// Package learning turns quiz results into guidance: it loads the
// competency framework (bundles/competencies, docs/competencies.md) and the
// training catalogue with its learning paths (bundles/training,
// docs/training.md), and evaluates one participant's answers into scores
// and levels per competency area, the gap between self-rating and
// knowledge, and the recommended training modules in the order of the
// learning path of the participant's role.
//
// Both files are YAML with a JSON Schema; a municipality overrides them
// with files of the same format in <datadir>/bundles/competencies/ and
// <datadir>/bundles/training/. A broken override is refused with file,
// line and field, and the packaged content is used instead.
package learning
