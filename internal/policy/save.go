package policy

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml"
)

// header goes on top of every policy file KI-Check writes.
const header = `# KI-Richtlinie, geschrieben von KI-Check.
# Grundlage: Muster-KI-Richtlinie der KI-Reise für Kommunen (Sachsen-Anhalt),
# Lizenz: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/deed.de)
# Schema: docs/schema/policy.schema.json, Beschreibung: docs/policy.md
`

// YAML writes the policy as a policy file (what the GUI's editor saves
// into <datadir>/bundles/policy/).
func (p *Policy) YAML() ([]byte, error) {
	body, err := yaml.MarshalWithOptions(p, yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true))
	if err != nil {
		return nil, fmt.Errorf("write policy: %w", err)
	}
	var b bytes.Buffer
	b.WriteString(header)
	b.Write(body)
	return b.Bytes(), nil
}

// Clone returns a deep copy (for editing without touching the policy in force).
func (p *Policy) Clone() *Policy {
	b, err := yaml.Marshal(p)
	if err != nil {
		panic(err)
	}
	var q Policy
	if err := yaml.Unmarshal(b, &q); err != nil {
		panic(err)
	}
	q.Source, q.Packaged = p.Source, p.Packaged
	return &q
}
