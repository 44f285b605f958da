package webview

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"

	"github.com/ki-reise/kicheck/internal/i18n"
)

//go:embed templates/*.html templates/style.css
var files embed.FS

var (
	styleCSS = mustRead("templates/style.css")
	// csp allows no script at all, the inline style by its hash, forms
	// only to this server, and no framing.
	csp  = "default-src 'none'; style-src 'sha256-" + hashOf(styleCSS) + "'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	tmpl = template.Must(template.New("").ParseFS(files, "templates/*.html"))
)

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(h[:])
}

// page is what every template gets: the language, the links, the token
// for forms, and the page's own data.
type page struct {
	Lang  string
	Base  string // /TOKEN/LANG
	Token string
	// Switch is this page in the other language; Other that language.
	Switch string
	Other  string
	// Title is the page's title (also its h1 unless the page says so).
	Title string
	// Nav marks the current section: home, check, fit, quiz.
	Nav  string
	Data any
}

// T is the text of id in the page's language; kv are pairs of template
// fields and values.
func (p page) T(id string, kv ...any) string {
	if len(kv) == 0 {
		return i18n.T(p.Lang, id)
	}
	data := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok {
			data[k] = kv[i+1]
		}
	}
	return i18n.T(p.Lang, id, data)
}

// Style is the inline stylesheet (allowed by its hash in the CSP).
func (p page) Style() template.CSS { return template.CSS(styleCSS) }

// newPage is the frame of a page in lang at path (the path after
// /TOKEN/LANG, for the language switch).
func (s *Server) newPage(lang, rest, titleID, nav string, data any) page {
	other := "en"
	if lang == "en" {
		other = "de"
	}
	p := page{Lang: lang, Base: s.base(lang), Token: s.token, Other: other, Switch: s.base(other) + rest, Nav: nav, Data: data}
	p.Title = p.T(titleID)
	return p
}

// render writes template name with p, or a plain error.
func (s *Server) render(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		http.Error(w, "page "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// langOf is the {lang} path value: de or en (else "").
func langOf(r *http.Request) string {
	switch l := r.PathValue("lang"); l {
	case "de", "en":
		return l
	}
	return ""
}

// rest is the request's path after /LANG (for the language switch; the
// query, such as ?seen=3, is left out).
func rest(r *http.Request) string {
	p := strings.TrimPrefix(r.URL.Path, "/")
	if _, after, ok := strings.Cut(p, "/"); ok {
		return "/" + after
	}
	return "/"
}
