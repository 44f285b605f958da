package fit

import "testing"

func TestCatalogueModelFor(t *testing.T) {
	c := &Catalogue{Models: []Model{
		{ID: "llama3.2-1b", Ollama: "llama3.2:1b"},
		{ID: "phi4-mini", Ollama: "phi4-mini:3.8b"},
		{ID: "eigenes-7b"}, // no ollama name: matched through the id
	}}
	for name, want := range map[string]string{
		"llama3.2:1b":               "llama3.2-1b",
		"Llama3.2:1B":               "llama3.2-1b",
		"phi4-mini:3.8b":            "phi4-mini",
		"eigenes:7b":                "eigenes-7b",
		"eigenes-7b:latest":         "eigenes-7b",
		"llama3.2:3b":               "",
		"llama3.2:1b-instruct-q8_0": "llama3.2-1b", // another file of the same model
		"llama3.2:1bx":              "",
		"llama3.2-1b-foo":           "", // no tag: not a variant
		"":                          "",
	} {
		got, ok := CatalogueModelFor(c, name)
		if got != want || ok != (want != "") {
			t.Errorf("%q: got %q %v, want %q", name, got, ok, want)
		}
	}
}
