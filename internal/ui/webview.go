package ui

import (
	"context"
	"errors"
	"net/url"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"github.com/ki-reise/kicheck/internal/webview"
)

// accessibleView is the window's accessible view in the browser
// (internal/webview): started on first use as background work of the
// window, so it stops when the window closes (and the database is closed
// only after it stopped); later uses open the running one.
type accessibleView struct {
	mu  sync.Mutex
	srv *webview.Server
}

// openAccessibleView starts the view if needed and opens it in the
// default browser in the window's language ("Barrierefreie Ansicht im
// Browser", Ctrl+B). done, if set, gets the address or the error on the
// UI goroutine.
func (st *state) openAccessibleView(done func(string, error)) {
	report := func(u string, err error) {
		if err != nil {
			dialog.ShowError(errors.New(lang.L("webview.gui_failed", map[string]any{"Detail": err.Error()})), st.win)
		}
		if done != nil {
			done(u, err)
		}
	}
	open := func(addr string) {
		u, err := url.Parse(addr)
		if err == nil {
			err = st.app.OpenURL(u)
		}
		report(addr, err)
	}
	if st.db == nil {
		report("", errors.New(lang.L("webview.gui_no_db")))
		return
	}
	if st.view == nil {
		st.view = &accessibleView{}
	}
	v := st.view
	language := st.settings.Language
	v.mu.Lock()
	srv := v.srv
	v.mu.Unlock()
	if srv != nil {
		open(srv.URLIn(language))
		return
	}
	st.goBackground(func(ctx context.Context) {
		v.mu.Lock()
		if v.srv != nil { // started meanwhile
			addr := v.srv.URLIn(language)
			v.mu.Unlock()
			fyne.Do(func() { open(addr) })
			return
		}
		srv, err := webview.Start(ctx, webview.Options{DataDir: st.dataDir, DB: st.db, Lang: language})
		if err != nil {
			v.mu.Unlock()
			fyne.Do(func() { report("", err) })
			return
		}
		v.srv = srv
		v.mu.Unlock()
		addr := srv.URLIn(language)
		fyne.Do(func() { open(addr) })
		// Serve until the window closes.
		<-srv.Done()
		v.mu.Lock()
		v.srv = nil
		v.mu.Unlock()
	})
}
