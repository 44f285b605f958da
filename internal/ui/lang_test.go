package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// TestEveryUIStringIsTranslated finds every lang.L("id") in this package
// and checks that both languages have a text for it, so no screen shows a
// raw id.
func TestEveryUIStringIsTranslated(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "L" {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lang" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: lang.L with a computed id; use a literal so it can be checked", fset.Position(call.Pos()))
				return true
			}
			id, _ := strconv.Unquote(lit.Value)
			seen++
			for _, l := range []string{"de", "en"} {
				if _, ok := i18n.Catalog(l)[id]; !ok {
					t.Errorf("%s: %q has no %s text in assets/lang/%s.json", fset.Position(lit.Pos()), id, l, l)
				}
			}
			return true
		})
	}
	if seen < 10 {
		t.Fatalf("found only %d lang.L calls; the scan is broken", seen)
	}
}

func TestFyneAppTOMLMatches(t *testing.T) {
	m, err := metadata()
	if err != nil {
		t.Fatal(err)
	}
	if m.ID != appID || m.Name != "KI-Check" || !m.Migrations["fyneDo"] || m.Icon == nil || len(m.Icon.Content()) == 0 {
		t.Fatalf("metadata = %+v; want id %s, name KI-Check, fyneDo migration and the icon", m, appID)
	}
}
