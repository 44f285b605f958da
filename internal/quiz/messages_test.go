package quiz

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestEveryMessageIsTranslated finds every message format in the package
// (msgf, add and errAt calls) and checks that it has a German text with the
// same formatting verbs.
func TestEveryMessageIsTranslated(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	verbs := regexp.MustCompile(`%(\[\d+\])?[-+# 0]*[a-zA-Z%]`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			idx := -1
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				switch fn.Name {
				case "msgf":
					idx = 0
				case "add":
					idx = 1
				}
			case *ast.SelectorExpr:
				if fn.Sel.Name == "errAt" {
					idx = 2
				}
			}
			if idx < 0 || len(call.Args) <= idx {
				return true
			}
			if id, ok := call.Args[idx].(*ast.Ident); ok && id.Name == "format" {
				return true // the helpers passing their format on
			}
			lit, ok := call.Args[idx].(*ast.BasicLit)
			if !ok {
				t.Errorf("%s: message format is not a literal", fset.Position(call.Pos()))
				return true
			}
			format, _ := strconv.Unquote(lit.Value)
			seen++
			de, ok := germanMessages[format]
			if !ok {
				t.Errorf("%s: no German text for %q", fset.Position(lit.Pos()), format)
				return true
			}
			if a, b := strings.Join(verbs.FindAllString(format, -1), " "), strings.Join(verbs.FindAllString(de, -1), " "); a != b {
				t.Errorf("%q: German verbs %q differ from English %q", format, b, a)
			}
			return true
		})
	}
	if seen < 40 {
		t.Fatalf("found only %d messages; the scan is broken", seen)
	}
}

func TestErrorTextInGerman(t *testing.T) {
	_, errs := ParseGIFT("k.gift", []byte("::Q:: Offen {=a ~b\n\n::R:: Leer {=a ~}\n\n::S:: Nur falsch {~a ~b}\n"))
	if len(errs) != 4 {
		t.Fatalf("errors %v", errs)
	}
	errs = Errors{errs[0], errs[1], errs[3]}
	want := []string{
		"der hier begonnene Antwortblock wird nicht mit } geschlossen; eine Klammer als Text wird als \\{ geschrieben",
		"Antwort 2 ist leer",
		"mindestens eine Antwort muss einen positiven Anteil haben",
	}
	for i, w := range want {
		if got := errs[i].Text("de"); got != w {
			t.Errorf("error %d in German: %q, want %q", i, got, w)
		}
		if errs[i].Text("en") != errs[i].Msg {
			t.Errorf("English text %q differs from Msg %q", errs[i].Text("en"), errs[i].Msg)
		}
	}
}
