package kicheck_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The package table of docs/ARCHITECTURE.md is the contract of the layers:
// a row per package of the module, and in it the packages of the module
// ("may import") and the libraries it may import directly. This test reads
// the table and the real imports (`go list -deps -json ./...`, without the
// test files) and fails on
//   - an import the package's row does not allow,
//   - an allowance the package does not use (the table says what is),
//   - a package without a row, and a row for a package that does not exist,
//   - Fyne outside internal/ui and app/gui.go.
//
// Every message says which row to add or change.

const modulePath = "github.com/ki-reise/kicheck"

const architectureDoc = "docs/ARCHITECTURE.md"

// archRow is one row of the package table.
type archRow struct {
	line    int
	pkg     string   // module-relative path; "kicheck" is the module root
	imports []string // module packages, module-relative; "internal/*" for every capability package
	libs    []string // module paths of libraries
}

var backticked = regexp.MustCompile("`([^`]+)`")

// readArchTable reads the package table of docs/ARCHITECTURE.md: the rows
// after the heading "## Packages" up to the next heading.
func readArchTable(t *testing.T, file string) []archRow {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatalf("the architecture table: %v", err)
	}
	defer f.Close()
	var rows []archRow
	in := false
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "## "):
			in = line == "## Packages"
			continue
		case !in || !strings.HasPrefix(line, "|"):
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 4 {
			t.Fatalf("%s:%d: a row has four columns (package | what it is | may import | libraries), this one %d", file, n, len(cells))
		}
		pkg := backticked.FindStringSubmatch(cells[0])
		if pkg == nil { // the header and the separator
			continue
		}
		r := archRow{line: n, pkg: pkg[1]}
		for _, m := range backticked.FindAllStringSubmatch(cells[2], -1) {
			r.imports = append(r.imports, m[1])
		}
		for _, m := range backticked.FindAllStringSubmatch(cells[3], -1) {
			r.libs = append(r.libs, m[1])
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("%s: no package table under \"## Packages\"", file)
	}
	return rows
}

// goPackage is what `go list -json` says about a package.
type goPackage struct {
	ImportPath string
	Dir        string
	Standard   bool
	GoFiles    []string
	Imports    []string
	Module     *struct{ Path string }
}

// listPackages runs `go list -deps -json ./...` in the module root.
func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-json", "./...")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p goPackage
		if err := dec.Decode(&p); err != nil {
			t.Fatalf("go list output: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// relative is a module package's path as the table writes it.
func relative(importPath string) string {
	if importPath == modulePath {
		return "kicheck"
	}
	return strings.TrimPrefix(importPath, modulePath+"/")
}

// resolve reads a "may import" entry: a module-relative path, or a
// capability's short name (`fit` for internal/fit).
func resolve(entry string, known map[string]bool) string {
	if known[entry] || strings.Contains(entry, "*") {
		return entry
	}
	return "internal/" + entry
}

// shortName is how a row names a module package: internal/fit as `fit`.
func shortName(rel string) string {
	if s, ok := strings.CutPrefix(rel, "internal/"); ok {
		return s
	}
	return rel
}

func TestArchitectureTableMatchesTheImports(t *testing.T) {
	problems := checkArchitecture(t, architectureDoc, listPackages(t))
	for _, p := range problems {
		t.Error(p)
	}
}

// checkArchitecture compares the table in doc with the packages and
// returns what does not match, one message each.
func checkArchitecture(t *testing.T, doc string, pkgs []goPackage) []string {
	t.Helper()
	moduleOf := map[string]string{} // import path → module path ("" for the standard library)
	own := map[string]goPackage{}   // module-relative path → package
	known := map[string]bool{}
	for _, p := range pkgs {
		if p.Standard || p.Module == nil {
			continue
		}
		moduleOf[p.ImportPath] = p.Module.Path
		if p.Module.Path == modulePath {
			rel := relative(p.ImportPath)
			own[rel], known[rel] = p, true
		}
	}
	var problems []string
	rows := map[string]archRow{}
	for _, r := range readArchTable(t, doc) {
		if prev, dup := rows[r.pkg]; dup {
			problems = append(problems, fmt.Sprintf("%s:%d: `%s` has a second row (the first is line %d); merge them into one", doc, r.line, r.pkg, prev.line))
			continue
		}
		rows[r.pkg] = r
		if !known[r.pkg] {
			problems = append(problems, fmt.Sprintf("%s:%d: the row for `%s` names no package of the module; remove the row (or correct the path)", doc, r.line, r.pkg))
		}
		for _, e := range r.imports {
			if q := resolve(e, known); !known[q] && !strings.Contains(q, "*") {
				problems = append(problems, fmt.Sprintf("%s:%d: the row for `%s` allows `%s`, which is no package of the module; remove it from \"may import\"", doc, r.line, r.pkg, e))
			}
		}
	}
	names := make([]string, 0, len(own))
	for rel := range own {
		names = append(names, rel)
	}
	sort.Strings(names)
	for _, rel := range names {
		p := own[rel]
		var mods, libs []string
		for _, imp := range p.Imports {
			switch m := moduleOf[imp]; {
			case m == "":
			case m == modulePath:
				mods = append(mods, relative(imp))
			case !slices.Contains(libs, m):
				libs = append(libs, m)
			}
		}
		r, ok := rows[rel]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: package `%s` has no row in the package table; add one (what it is in your words):\n| `%s` | WHAT IT IS | %s | %s |",
				doc, rel, rel, tableList(mods, shortName), tableList(libs, nil)))
			continue
		}
		allowed := map[string]bool{}
		var globs []string
		for _, e := range r.imports {
			if q := resolve(e, known); strings.Contains(q, "*") {
				globs = append(globs, q)
			} else {
				allowed[q] = true
			}
		}
		used := map[string]bool{}
		for _, m := range mods {
			if allowed[m] {
				used[m] = true
				continue
			}
			if slices.ContainsFunc(globs, func(g string) bool { ok, _ := path.Match(g, m); return ok }) {
				continue
			}
			problems = append(problems, fmt.Sprintf("%s:%d: `%s` imports `%s`, which its row does not allow. Remove the import, or if the layering is meant, add `%s` to the row's \"may import\" column (and check that nothing below imports `%s`)",
				doc, r.line, rel, m, shortName(m), rel))
		}
		for _, e := range r.imports {
			if q := resolve(e, known); known[q] && !used[q] {
				problems = append(problems, fmt.Sprintf("%s:%d: the row for `%s` allows `%s`, which it does not import; remove `%s` from \"may import\" (the table says what is)", doc, r.line, rel, q, e))
			}
		}
		for _, l := range libs {
			if !slices.Contains(r.libs, l) {
				problems = append(problems, fmt.Sprintf("%s:%d: `%s` imports the library `%s`, which its row does not allow. Remove the import, or add `%s` to the row's \"libraries\" column",
					doc, r.line, rel, l, l))
			}
		}
		if rel != "internal/ui" && rel != "app" && slices.ContainsFunc(libs, isFyne) {
			problems = append(problems, fmt.Sprintf("`%s` imports Fyne: only internal/ui and app/gui.go do (the command line builds without cgo)", rel))
		}
	}
	if p, ok := own["app"]; ok {
		problems = append(problems, fyneOutsideGUI(t, p)...)
	}
	return problems
}

func isFyne(module string) bool { return strings.HasPrefix(module, "fyne.io/") }

// fyneOutsideGUI names the files of app other than gui.go that import Fyne.
func fyneOutsideGUI(t *testing.T, p goPackage) []string {
	t.Helper()
	var problems []string
	for _, name := range p.GoFiles {
		if name == "gui.go" {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(p.Dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if strings.HasPrefix(strings.Trim(imp.Path.Value, `"`), "fyne.io/") {
				problems = append(problems, fmt.Sprintf("app/%s imports %s: only app/gui.go may (build tag !nogui)", name, imp.Path.Value))
			}
		}
	}
	return problems
}

// tableList writes names as the table does: `a`, `b`; "—" for none.
func tableList(names []string, short func(string) string) string {
	if len(names) == 0 {
		return "—"
	}
	out := make([]string, len(names))
	for i, n := range names {
		if short != nil {
			n = short(n)
		}
		out[i] = "`" + n + "`"
	}
	return strings.Join(out, ", ")
}

// The check itself fails where it should: on a table and packages made up
// for it, each kind of mismatch is named once, with the row to write.
func TestArchitectureCheckNamesEveryMismatch(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "ARCHITECTURE.md")
	table := "# x\n\n## Packages\n\n| package | what it is | may import (this module) | libraries |\n|---|---|---|---|\n" +
		"| `internal/store` | db | — | `modernc.org/sqlite` |\n" +
		"| `internal/fit` | fit | `store`, `i18n` | — |\n" +
		"| `internal/fit` | fit again | — | — |\n" +
		"| `internal/gone` | removed long ago | — | — |\n" +
		"\n## Next\n\n| `internal/notatable` | x | — | — |\n"
	if err := os.WriteFile(doc, []byte(table), 0o644); err != nil {
		t.Fatal(err)
	}
	mod := &struct{ Path string }{modulePath}
	pkgs := []goPackage{
		{ImportPath: "modernc.org/sqlite", Module: &struct{ Path string }{"modernc.org/sqlite"}},
		{ImportPath: "fyne.io/fyne/v2", Module: &struct{ Path string }{"fyne.io/fyne/v2"}},
		{ImportPath: "fmt", Standard: true},
		{ImportPath: modulePath + "/internal/store", Module: mod, Imports: []string{"fmt", "modernc.org/sqlite"}},
		{ImportPath: modulePath + "/internal/i18n", Module: mod},
		{ImportPath: modulePath + "/internal/bench", Module: mod, Imports: []string{modulePath + "/internal/store"}},
		{ImportPath: modulePath + "/internal/fit", Module: mod, Imports: []string{modulePath + "/internal/store", modulePath + "/internal/bench", "fyne.io/fyne/v2"}},
	}
	got := strings.Join(checkArchitecture(t, doc, pkgs), "\n")
	for _, want := range []string{
		":9: `internal/fit` has a second row (the first is line 8)",
		":10: the row for `internal/gone` names no package of the module",
		"package `internal/bench` has no row in the package table; add one (what it is in your words):\n| `internal/bench` | WHAT IT IS | `store` | — |",
		"package `internal/i18n` has no row",
		":8: `internal/fit` imports `internal/bench`, which its row does not allow",
		"add `bench` to the row's \"may import\" column",
		":8: the row for `internal/fit` allows `internal/i18n`, which it does not import; remove `i18n`",
		":8: `internal/fit` imports the library `fyne.io/fyne/v2`, which its row does not allow",
		"`internal/fit` imports Fyne: only internal/ui and app/gui.go do",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the check does not say %q; it says:\n%s", want, got)
		}
	}
	if strings.Contains(got, "notatable") || strings.Contains(got, "internal/store`") && strings.Contains(got, "`internal/store` imports") {
		t.Errorf("a row outside the table or an allowed import was reported:\n%s", got)
	}
}
