package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/golden"
	"github.com/ki-reise/kicheck/internal/store"
)

// kicheck runs the command line in-process and returns stdout, stderr and
// the exit code.
func kicheck(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestVersion(t *testing.T) {
	out, _, code := kicheck(t, "--data-dir", t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "kicheck ") || !strings.Contains(out, "commit") {
		t.Fatalf("version: code %d, out %q", code, out)
	}
	out, _, code = kicheck(t, "--data-dir", t.TempDir(), "version", "--json")
	var v versionJSON
	if code != 0 || json.Unmarshal([]byte(out), &v) != nil || v.Version == "" || v.Platform == "" {
		t.Fatalf("version --json: code %d, out %q", code, out)
	}
	if v.GUI != guiAvailable {
		t.Fatalf("gui = %v, want %v", v.GUI, guiAvailable)
	}
}

func TestHelpListsCommandsAndExitCodes(t *testing.T) {
	out, _, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", "en", "help")
	if code != 0 {
		t.Fatalf("help exit %d", code)
	}
	for name := range commands {
		if !strings.Contains(out, "  "+name) {
			t.Errorf("help does not list %q", name)
		}
	}
	if !strings.Contains(out, "Exit codes") {
		t.Error("help does not document exit codes")
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	_, errOut, code := kicheck(t, "--data-dir", t.TempDir(), "--lang", "en", "no-such-command")
	if code != exitUsage || !strings.Contains(errOut, "unknown command") || !strings.Contains(errOut, "hint:") {
		t.Fatalf("unknown command: code %d, stderr %q", code, errOut)
	}
	_, _, code = kicheck(t, "--data-dir", t.TempDir(), "version", "--bogus")
	if code != exitUsage {
		t.Fatalf("unknown flag: code %d, want %d", code, exitUsage)
	}
	_, _, code = kicheck(t, "--lang", "fr", "version")
	if code != exitUsage {
		t.Fatalf("--lang fr: code %d, want %d", code, exitUsage)
	}
}

func TestInfoCreatesDatabaseInDataDir(t *testing.T) {
	dir := t.TempDir()
	out, errOut, code := kicheck(t, "--data-dir", dir, "info", "--json")
	if code != 0 {
		t.Fatalf("info: code %d, stderr %s", code, errOut)
	}
	var info infoJSON
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatal(err)
	}
	if info.Database != filepath.Join(dir, store.FileName) || info.Schema["core"] != 1 || info.Language != "de" {
		t.Fatalf("info = %+v", info)
	}
	if _, err := os.Stat(info.Database); err != nil {
		t.Fatal(err)
	}
}

func TestCorruptDatabaseMessageOnCommandLine(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, store.FileName)
	junk := []byte("PK\x03\x04 this is a zip file someone renamed\n")
	os.WriteFile(p, junk, 0o600)
	_, errOut, code := kicheck(t, "--data-dir", dir, "info")
	if code != exitFailure {
		t.Fatalf("code %d, want %d", code, exitFailure)
	}
	if !strings.Contains(errOut, "error: database "+p) || !strings.Contains(errOut, "not an SQLite database") || !strings.Contains(errOut, "hint: move the file away") {
		t.Fatalf("stderr = %q; want the file, the problem and a hint", errOut)
	}
	if b, _ := os.ReadFile(p); !bytes.Equal(b, junk) {
		t.Fatal("the file was changed")
	}
}

// parseFlags is the one flag parser: flags before and after positional
// arguments, "--" ends the flags, a repeated stringList flag collects,
// an empty one and an unknown flag are usage errors.
func TestParseFlagsAcceptsFlagsAfterArguments(t *testing.T) {
	for _, c := range []struct {
		args     []string
		json     bool
		list     string
		pos      string
		usageErr bool
	}{
		{args: []string{"a", "--json", "b"}, json: true, pos: "a b"},
		{args: []string{"--list", "x", "a", "--list", "y"}, list: "x,y", pos: "a"},
		{args: []string{"a", "--", "--json", "-b"}, pos: "a --json -b"},
		{args: []string{"--json", "--", "--"}, json: true, pos: "--"},
		{args: []string{"a", "--nope"}, usageErr: true},
		{args: []string{"--list", " "}, usageErr: true},
	} {
		fs := newFlagSet("test", &env{stderr: io.Discard, lang: "en"})
		json := fs.Bool("json", false, "")
		var list stringList
		fs.Var(&list, "list", "")
		err := parseFlags(fs, c.args)
		var ee *exitError
		if c.usageErr {
			if !errors.As(err, &ee) || ee.code != exitUsage {
				t.Errorf("%q: err %v, want a usage error", c.args, err)
			}
			continue
		}
		if err != nil || *json != c.json || list.String() != c.list || strings.Join(fs.Args(), " ") != c.pos {
			t.Errorf("%q: err %v, json %v, list %q, positional %q; want %v %q %q", c.args, err, *json, list.String(), fs.Args(), c.json, c.list, c.pos)
		}
	}
}

// `kicheck help` lists every registered exit code with its text, against
// its golden file (the list of commands above it grows with each command
// and is not part of it).
func TestHelpExitCodesGolden(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Main(context.Background(), []string{"--data-dir", t.TempDir(), "--lang", "en", "help"}, &out, &errb); code != exitOK {
		t.Fatalf("help: exit %d %s", code, errb.String())
	}
	_, codes, ok := strings.Cut(out.String(), "\nExit codes:\n")
	if !ok {
		t.Fatalf("help lists no exit codes:\n%s", out.String())
	}
	golden.CheckString(t, "help-exit-codes.golden", codes)
}

// Every command with subcommands dispatches the same way: help on
// standard output, a missing or unknown subcommand is a usage error that
// names the command.
func TestSubcommandsDispatchOneWay(t *testing.T) {
	for _, parent := range [][]string{{"quiz"}, {"quiz", "session"}, {"hotspot"}, {"training"}, {"training", "offers"}, {"cloud"}} {
		name := strings.Join(parent, " ")
		var out, errb bytes.Buffer
		if code := Main(context.Background(), append(append([]string{"--data-dir", t.TempDir()}, parent...), "help"), &out, &errb); code != exitOK || out.Len() == 0 {
			t.Errorf("%s help: exit %d, %q", name, code, out.String())
		}
		out.Reset()
		errb.Reset()
		if code := Main(context.Background(), append([]string{"--data-dir", t.TempDir(), "--lang", "en"}, parent...), &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "kicheck "+name+" needs a subcommand") {
			t.Errorf("%s: exit %d, %q", name, code, errb.String())
		}
		errb.Reset()
		if code := Main(context.Background(), append([]string{"--data-dir", t.TempDir()}, parent...), &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "kicheck "+name+" braucht einen Unterbefehl") {
			t.Errorf("%s (German): exit %d, %q", name, code, errb.String())
		}
		errb.Reset()
		if code := Main(context.Background(), append(append([]string{"--data-dir", t.TempDir(), "--lang", "en"}, parent...), "bogus"), &out, &errb); code != exitUsage ||
			!strings.Contains(errb.String(), `unknown subcommand "bogus" of kicheck `+name+"; run 'kicheck "+name+" help'") {
			t.Errorf("%s bogus: exit %d, %q", name, code, errb.String())
		}
	}
}
