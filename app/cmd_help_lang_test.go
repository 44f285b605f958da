package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// helpRuns are the help texts a person reads: the command list, each
// command's subcommand list and the training usage block.
var helpRuns = [][]string{
	{"help"}, {"quiz", "help"}, {"quiz", "session", "help"}, {"hotspot", "help"}, {"training", "help"},
	{"cloud", "help"}, {"key", "help"}, {"policy", "help"}, {"aiact", "help"}, {"strategy", "help"},
}

// TestHelpSpeaksTheUsersLanguage: `kicheck help` and the subcommand lists
// print each command's summary, the fixed lines and the exit codes in the
// language of the run, with no sentence of the other language; German is
// the default.
func TestHelpSpeaksTheUsersLanguage(t *testing.T) {
	for _, lang := range []string{"de", "en"} {
		other := map[string]string{"de": "en", "en": "de"}[lang]
		foreign := sentences(other, lang)
		for _, run := range helpRuns {
			var out, errb bytes.Buffer
			if code := Main(context.Background(), append([]string{"--data-dir", t.TempDir(), "--lang", lang}, run...), &out, &errb); code != exitOK {
				t.Fatalf("%s %v: exit %d, %s", lang, run, code, errb.String())
			}
			for _, s := range foreign {
				if strings.Contains(out.String(), s) {
					t.Errorf("--lang %s %v prints %s text %q", lang, run, other, s)
				}
			}
		}
	}
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"--data-dir", t.TempDir(), "help"}, &out, &errb); code != exitOK {
		t.Fatalf("help: exit %d, %s", code, errb.String())
	}
	for _, want := range []string{"Befehle:", "Rückgabewerte:", "Fragenbank:", "Lasttest eines zentralen KI-Servers"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help without --lang (German by default) lacks %q:\n%s", want, out.String())
		}
	}
}
