package webview

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Whatever a browser (or anything else on the PC) sends to the view, it
// answers without a server error and within the form's size cap: the
// quiz's start form and answers of every question type, the check's and
// the fit's forms, and any path.
func FuzzRequests(f *testing.F) {
	f.Add("/de/quiz", "session=fuzz-1&pseudonym=Falke&role=it")
	f.Add("/de/quiz/ATTEMPT", "pos=0&a=1&cbm=3")
	f.Add("/de/quiz/ATTEMPT", "pos=0&a=-1&a=99&a=x&cbm=9")
	f.Add("/de/quiz/ATTEMPT", "pos=0&text="+strings.Repeat("x", 5000))
	f.Add("/en/quiz/ATTEMPT", "pos=0&m0=%00&m1=KI-Kompetenz&m7=y")
	f.Add("/de/check/nope/cancel", "")
	f.Add("/de/fit/measure/nope/cancel", "")
	f.Add("/de/check/nope/file/../../etc/passwd", "")
	f.Add("/%2e%2e/de/", "pos=%zz")
	e := newEnv(f, nil)
	e.startSession("fuzz-1", true)
	h := e.srv.Handler()
	// One attempt to answer into.
	req := httptest.NewRequest("POST", "/"+e.srv.token+"/de/quiz", strings.NewReader(url.Values{"csrf": {e.srv.token}, "session": {"fuzz-1"}, "pseudonym": {"Fuzz"}}.Encode()))
	req.Host = e.srv.host
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	loc := rec.Header().Get("Location")
	attempt := loc[strings.LastIndex(loc, "/")+1 : strings.Index(loc, "#")]
	f.Fuzz(func(t *testing.T, path, body string) {
		path = strings.ReplaceAll(path, "ATTEMPT", attempt)
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#?") {
			return
		}
		for _, m := range []string{"GET", "POST"} {
			if m == "POST" && (strings.HasSuffix(path, "/check") || strings.HasSuffix(path, "/fit/measure")) {
				continue // would start a real check or probe each time
			}
			form := body
			if m == "POST" {
				form = "csrf=" + e.srv.token + "&" + body
			}
			req, err := http.NewRequest(m, "http://"+e.srv.host+"/"+e.srv.token+path, strings.NewReader(form))
			if err != nil {
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("%s %s %q: %d %s", m, path, body, rec.Code, rec.Body.String())
			}
		}
	})
}
