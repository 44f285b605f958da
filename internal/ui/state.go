package ui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/ki-reise/kicheck/internal/settings"
	"github.com/ki-reise/kicheck/internal/store"
)

// state is what all screens share: the app, its window, the settings and
// the open database (or why it could not be opened).
type state struct {
	app      fyne.App
	win      fyne.Window
	loc      settings.Location
	settings settings.Settings
	dataDir  string
	db       *store.DB
	dbErr    error

	shell *shell          // what the window shows now; replaced on a language change
	view  *accessibleView // the accessible view in the browser, once opened

	// onReportsChanged are called (on the UI goroutine) after a check or
	// an export added to the list of reports.
	onReportsChanged []func()

	// Background work of every screen runs under ctx, which ends when the
	// window closes (stopBackground), and is counted in background, so the
	// window (or a test) can wait until none of it is left to write to
	// widgets or to the database being closed.
	bgOnce     sync.Once
	ctx        context.Context
	cancel     context.CancelFunc
	bgMu       sync.Mutex // orders goBackground's Add against stopBackground's Wait
	background sync.WaitGroup
	// busy counts the background work running now; tests wait until it is
	// none and the UI queue is empty (awaitIdle) instead of a channel per
	// screen.
	busy atomic.Int64
}

// windowContext is the context all background work of the window runs
// under; it is cancelled when the window closes.
func (st *state) windowContext() context.Context {
	st.bgOnce.Do(func() {
		if st.ctx == nil {
			st.ctx = context.Background()
		}
		st.ctx, st.cancel = context.WithCancel(st.ctx)
	})
	return st.ctx
}

// goBackground runs work on its own goroutine under the window's context.
// work must report to the UI only through fyne.Do and return soon after
// ctx is done. Once the window has closed, nothing new is started: there
// is nobody to show the result to, and the database is about to close.
func (st *state) goBackground(work func(ctx context.Context)) {
	ctx := st.windowContext()
	st.bgMu.Lock()
	defer st.bgMu.Unlock()
	if ctx.Err() != nil {
		return
	}
	st.background.Add(1)
	st.busy.Add(1)
	go func() {
		defer st.background.Done()
		defer st.busy.Add(-1) // before Done: a test waiting for idle sees the end first
		work(ctx)
	}()
}

// stopBackground cancels the background work and returns a channel closed
// once all of it has returned. The caller waits on it while still running
// the UI loop (fyne.DoAndWait would block otherwise).
func (st *state) stopBackground() <-chan struct{} {
	st.windowContext()
	st.bgMu.Lock()
	st.cancel()
	st.bgMu.Unlock()
	done := make(chan struct{})
	go func() {
		st.background.Wait()
		close(done)
	}()
	return done
}

// backgroundGrace is how long closing the app waits for background work
// to notice the cancellation before the database is closed under it.
const backgroundGrace = 5 * time.Second

// reportsChanged tells the screens that show reports to reload.
func (st *state) reportsChanged() {
	for _, f := range st.onReportsChanged {
		f()
	}
}
