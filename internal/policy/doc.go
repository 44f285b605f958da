// Package policy is the municipality's AI policy (KI-Richtlinie) as data:
// which AI tool (workplace PC, the central AI server, a named cloud service
// with or without a data-processing agreement) may see which data class
// (internal/dataclass) for which purpose, the forbidden uses, the duty to
// check results, the labelling of AI-made texts, roles, the approval path
// and the training duty per role and tool (KI-Pass).
//
// The packaged model policy (bundles/policy/muster.yaml, CC BY 4.0) is
// read through internal/bundle; a municipality's own files in
// <datadir>/bundles/policy/ are full policies that replace it. IT names the
// policy in force (id and version) in the central policy file
// (internal/check). A broken own file is refused with file, line and
// field, and the packaged policy stays in force.
//
// Check answers, for a tool, a data class and a purpose, with the rule
// that applies; Pass checks a role's KI-Pass against quiz results. The
// clause library renders the three variants (Leitlinie, Dienstanweisung,
// Dienstvereinbarung) as an internal/document.Document (ODT, PDF,
// Markdown), and Diff compares two policies clause by clause.
package policy
