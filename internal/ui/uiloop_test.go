package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Why the GUI tests run their own UI loop
//
// In the real app fyne.Do queues a function for the main goroutine, so a
// screen's background goroutine never touches a widget itself. Fyne's test
// driver does not do that: its DoFromGoroutine (fyne.io/fyne/v2@v2.7.1
// test/driver.go:54, "ignores the wait flag as our threading is simple")
// calls the function at once, through internal/async.EnsureNotMain, on the
// goroutine that called fyne.Do. Every widget call in it then runs beside
// the test goroutine. With the plain test driver, go test -race reported
// 626 races in this package, every one with one side in a fyne.Do
// function on a background goroutine and the other on the test goroutine,
// for example:
//   - widget/label.go:127 (Label.SetText in overview.loadHost) against
//     label.go:82 (CreateRenderer when the test selects a screen);
//   - internal/cache/base.go:121 (expiringCache.setAlive) written from
//     both, on any Refresh;
//   - widget/richtext.go:701 and widget/table.go:1301, where it was not
//     only reported but crashed: "slice bounds out of range" in the text
//     renderer and "concurrent map read and map write" in the table
//     (the fit screen's late update, after the test had gone on).
//
// Under load a test also read a screen half updated (TestQuizImportDrop
// saw the summary before the import button was enabled). None of these is
// a race inside Fyne: Fyne's widgets are meant to be used from one
// goroutine, and the test driver's shortcut breaks that.
//
// uiLoop gives the tests the real app's rule back: fyne.Do from a
// background goroutine only queues, and the test goroutine (the "main
// goroutine" of the test) runs the queue while it waits in awaitUI. So
// every widget is read and written on the test goroutine only, in the
// order the real app would run it, and a test waits for a condition of
// the screen, never for a fixed time.
type uiLoop struct {
	fyne.Driver // Fyne's test driver for everything else

	owner uint64 // id of the test goroutine that runs the queue

	mu     sync.Mutex
	queue  []func()
	closed bool
	wake   chan struct{} // gets a value when the queue got something
}

// uiTestApp is Fyne's test app with uiLoop as its driver.
type uiTestApp struct {
	fyne.App
	loop *uiLoop
}

func (a *uiTestApp) Driver() fyne.Driver { return a.loop }

// newTestApp is test.NewTempApp with the UI loop; it must be called on the
// test goroutine. The loop closes when the test ends: what was queued then
// is dropped, as a closed window would drop it.
func newTestApp(t testing.TB) *uiTestApp {
	t.Helper()
	inner := test.NewTempApp(t)
	loop := &uiLoop{Driver: inner.Driver(), owner: goroutineID(), wake: make(chan struct{}, 1)}
	a := &uiTestApp{App: inner, loop: loop}
	fyne.SetCurrentApp(a)
	t.Cleanup(loop.close)
	return a
}

// DoFromGoroutine queues f for the test goroutine, like the real driver
// queues it for the main goroutine. Called on the test goroutine itself
// (a handler calling fyne.Do) it runs f at once; with wait it returns once
// f ran.
func (l *uiLoop) DoFromGoroutine(f func(), wait bool) {
	if goroutineID() == l.owner {
		f()
		return
	}
	var done chan struct{}
	if wait {
		done = make(chan struct{})
		inner := f
		f = func() { defer close(done); inner() }
	}
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return // the test is over: nobody shows this any more
	}
	l.queue = append(l.queue, f)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	if wait {
		<-done
	}
}

// runQueued runs what is queued now, in order, on the calling (test)
// goroutine.
func (l *uiLoop) runQueued() {
	for {
		l.mu.Lock()
		q := l.queue
		l.queue = nil
		l.mu.Unlock()
		if len(q) == 0 {
			return
		}
		for _, f := range q {
			f()
		}
	}
}

func (l *uiLoop) close() {
	l.mu.Lock()
	l.closed = true
	q := l.queue
	l.queue = nil
	l.mu.Unlock()
	// Whatever is still queued runs now, on the test goroutine during its
	// cleanup, so that a DoAndWait is not left blocked. The screens'
	// background work has ended by then (stopBackground in the state's
	// cleanup), so this is normally empty.
	for _, f := range q {
		f()
	}
}

// currentLoop is the UI loop of the running test.
func currentLoop(t testing.TB) *uiLoop {
	t.Helper()
	a, ok := fyne.CurrentApp().(*uiTestApp)
	if !ok {
		t.Fatal("the test app was not made with newTestApp")
	}
	return a.loop
}

// awaitUI runs the UI queue until cond holds (checked on the test
// goroutine after each batch, and at least every 20 ms for conditions that
// change off the UI, like a database row), or fails the test after
// timeout.
func awaitUI(t testing.TB, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	l := currentLoop(t)
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		l.runQueued()
		if cond() {
			return
		}
		select {
		case <-l.wake:
		case <-tick.C:
		case <-deadline.C:
			l.runQueued()
			if cond() {
				return
			}
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}

// awaitSignal runs the UI queue until c delivers (a value or its close).
func awaitSignal(t testing.TB, c <-chan struct{}, what string, timeout time.Duration) {
	t.Helper()
	got := false
	awaitUI(t, what, timeout, func() bool {
		if got {
			return true
		}
		select {
		case <-c:
			got = true
		default:
		}
		return got
	})
}

// drainUI runs what background work has queued so far.
func drainUI(t testing.TB) { currentLoop(t).runQueued() }

// pending is how many functions wait in the queue.
func (l *uiLoop) pending() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.queue)
}

// awaitIdle runs the UI loop until no background work of st runs
// (goBackground) and nothing is queued for the UI: every screen has
// settled, whatever it was doing. It is the one way a test waits for a
// screen's work; the screens keep no channels for tests. Work that runs
// on purpose until it is stopped (a timed quiz attempt's clock) keeps the
// state busy: wait for a condition of the screen there (awaitUI).
func awaitIdle(t testing.TB, st *state, what string) {
	t.Helper()
	l := currentLoop(t)
	// busy first: work that ended has queued its last update before.
	awaitUI(t, what, 3*time.Minute, func() bool { return st.busy.Load() == 0 && l.pending() == 0 })
}

// goroutineID is the id the runtime prints in a stack trace. Go has no API
// for it; Fyne finds its main goroutine the same way
// (internal/async/goroutine.go).
func goroutineID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b = bytes.TrimPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}

// stopBackgroundAtEnd makes the end of the test close the window's
// background work the way closing the window does: cancelled through its
// context and waited for, with the UI loop running meanwhile. Register it
// after the database's Close (cleanups run last first), so no goroutine
// is left using the database, the temp dir or the next test's app.
func stopBackgroundAtEnd(t testing.TB, st *state) {
	t.Helper()
	t.Cleanup(func() {
		awaitSignal(t, st.stopBackground(), "the screens' background work to stop after the test", time.Minute)
		// Their last updates, queued before they returned, run now (a
		// goroutine they would start is refused: the context is done).
		drainUI(t)
	})
}

// TestGUITestsUseTheUILoop keeps new tests on the UI loop: a test built on
// test.NewTempApp alone would let background goroutines write widgets
// while it reads them, the flakiness this file exists to remove; and a
// test that waits with a bare select or sleep does not run the UI loop,
// so the screen update it waits for never comes (awaitUI, awaitSignal).
func TestGUITestsUseTheUILoop(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		if f == "uiloop_test.go" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, "test.NewTempApp(") || strings.Contains(line, "test.NewApp(") {
				t.Errorf("%s:%d: use newTestApp (uiloop_test.go) instead of Fyne's test app alone", f, i+1)
			}
			if strings.Contains(line, "time.After(") || strings.Contains(line, "time.Sleep(") {
				t.Errorf("%s:%d: wait with awaitUI or awaitSignal (uiloop_test.go), which run the UI loop meanwhile", f, i+1)
			}
		}
	}
}
