package webview

import (
	"errors"
	"net/http"
	"time"

	"github.com/ki-reise/kicheck/internal/i18n"
)

// checkTimeout bounds a check started from the view, as from the window.
const checkTimeout = 15 * time.Minute

// routes are the pages, on the path after /TOKEN.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(pattern string, h http.HandlerFunc) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			if langOf(r) == "" {
				http.NotFound(w, r)
				return
			}
			h(w, r)
		})
	}
	handle("GET /{lang}/{$}", s.home)
	handle("GET /{lang}/check", s.checkStart)
	handle("POST /{lang}/check", s.checkPost)
	handle("GET /{lang}/check/{id}", s.checkGet)
	handle("POST /{lang}/check/{id}/cancel", s.checkCancel)
	handle("POST /{lang}/check/{id}/export", s.checkExport)
	handle("GET /{lang}/check/{id}/file/{kind}", s.checkFile)
	handle("GET /{lang}/fit", s.fitGet)
	handle("POST /{lang}/fit/measure", s.measurePost)
	handle("GET /{lang}/fit/measure/{id}", s.measureGet)
	handle("POST /{lang}/fit/measure/{id}/cancel", s.measureCancel)
	handle("GET /{lang}/quiz", s.quizStart)
	handle("POST /{lang}/quiz", s.quizPost)
	handle("GET /{lang}/quiz/{id}", s.quizGet)
	handle("POST /{lang}/quiz/{id}", s.quizAnswer)
	handle("GET /{lang}/", s.notFound)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			http.Redirect(w, r, s.base(s.opts.Lang)+"/", http.StatusSeeOther)
			return
		}
		s.notFound(w, r)
	})
	return mux
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, http.StatusOK, "home", s.newPage(langOf(r), rest(r), "webview.home_title", "home", nil))
}

type errorData struct{ Message, Hint string }

// notFound is the view's 404 page (a plain one outside the token).
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	if l == "" {
		l = s.opts.Lang
	}
	s.render(w, http.StatusNotFound, "error", s.newPage(l, rest(r), "webview.not_found_title", "",
		errorData{Message: i18n.T(l, "webview.not_found"), Hint: i18n.T(l, "webview.not_found_hint")}))
}

// fail shows err with its hint.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	l := langOf(r)
	s.render(w, status, "error", s.newPage(l, rest(r), "common.error_title", "", errorData{Message: errorText(l, err)}))
}

// errorText is an error for people: its message and, where it has one,
// the hint with what to do.
func errorText(l string, err error) string {
	if err == nil {
		return ""
	}
	var h interface{ Hint() string }
	text := err.Error()
	if errors.As(err, &h) && h.Hint() != "" {
		text += " " + i18n.T(l, "webview.hint", map[string]any{"Hint": h.Hint()})
	}
	return text
}
