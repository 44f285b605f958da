package cloudtest

import "fmt"

// PromptBundle is a prompt bundle (docs/bench.md) of two short German
// tasks, small enough to run against the tests' tiny synthetic model in
// seconds: id and title name it, cloudAllowed sets cloud_allowed, and
// maxTokens caps each answer.
func PromptBundle(id, title string, cloudAllowed bool, maxTokens int) string {
	return fmt.Sprintf(`format: 1
id: %s
version: 0.1.0
title: %s
language: de
cloud_allowed: %t
prompts:
  - id: gruss
    use_case: draft
    title: Gruß formulieren
    messages:
      - {role: user, content: "Schreibe einen kurzen Gruß an Erika Beispiel."}
    params: {temperature: 0, max_tokens: %d, seed: 1}
    checks:
      - length: {min: 1, max: 2000}
  - id: zuordnen
    use_case: classify
    title: E-Mail zuordnen
    messages:
      - {role: user, content: "Welches Amt ist für Parkverstöße zuständig?"}
    params: {temperature: 0, max_tokens: %d, seed: 1}
    checks:
      - contains: Ordnungsamt
`, id, title, cloudAllowed, maxTokens, maxTokens)
}
