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
	out.Reset()
	errb.Reset()
	if code := Main(context.Background(), []string{"--data-dir", t.TempDir(), "gibt-es-nicht"}, &out, &errb); code != exitUsage ||
		errb.String() != "error: unbekannter Befehl „gibt-es-nicht“\nhint: „kicheck help“ listet die Befehle\n" {
		t.Errorf("unknown command in German: exit %d, %q", code, errb.String())
	}
}

// flagHelpRuns are `kicheck … -h` for every command and every subcommand.
func flagHelpRuns() [][]string {
	var runs [][]string
	for name := range commands {
		runs = append(runs, []string{name, "-h"})
	}
	for _, s := range []*subcommands{aiactCmds, benchCmds, cloudCmds, hotspotCmds, keyCmds, policyCmds, policyFileCmds,
		quizCmds, sessionCmds, strategyCmds, trainingCmds, offersCmds} {
		for _, c := range s.list {
			runs = append(runs, append(strings.Fields(s.parent), c.name, "-h"))
		}
	}
	return runs
}

// flagHelp is the output of -h in lang (flag help goes to standard error).
func flagHelp(t *testing.T, lang string, run []string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Main(context.Background(), append([]string{"--data-dir", t.TempDir(), "--lang", lang}, run...), &out, &errb); code != exitOK {
		t.Fatalf("--lang %s %v: exit %d, %s", lang, run, code, errb.String())
	}
	return out.String() + errb.String()
}

// TestFlagHelpSpeaksTheUsersLanguage: every command's -h describes each
// flag in the run's language. A description that is no message id prints
// the same in both languages, so each description line of the German help
// must differ from the English one; and neither prints a sentence of the
// other language's catalogue.
func TestFlagHelpSpeaksTheUsersLanguage(t *testing.T) {
	foreignDE, foreignEN := sentences("en", "de"), sentences("de", "en")
	for _, run := range flagHelpRuns() {
		de, en := flagHelp(t, "de", run), flagHelp(t, "en", run)
		deLines, enLines := strings.Split(de, "\n"), strings.Split(en, "\n")
		if len(deLines) != len(enLines) {
			t.Errorf("%v: German and English -h differ in length:\n%s\n%s", run, de, en)
			continue
		}
		for i := range deLines {
			if strings.HasPrefix(deLines[i], "    \t") && deLines[i] == enLines[i] {
				t.Errorf("%v -h: description not rendered per language: %q", run, strings.TrimSpace(deLines[i]))
			}
		}
		for _, s := range foreignDE {
			if strings.Contains(de, s) {
				t.Errorf("--lang de %v prints English %q", run, s)
			}
		}
		for _, s := range foreignEN {
			if strings.Contains(en, s) {
				t.Errorf("--lang en %v prints German %q", run, s)
			}
		}
	}
}
