package webview

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// job is a check or a probe running in the background; its state is read
// and written under Server.mu.
type job struct {
	id         string
	cancel     context.CancelFunc
	step       string
	fraction   float64
	cancelling bool
	finished   bool
	// changed is closed (and replaced) on every change, for the long poll
	// of the "Aktualisieren" link.
	changed chan struct{}
	// version counts the changes; a progress page links to itself with
	// the version it shows (?seen=N) and the next refresh number (&r=),
	// so every "Aktualisieren" is a new address and a real reload.
	version int
	// result: one of these is set when finished.
	check any
	err   error
	// export of a finished check.
	export *exportState
}

// newID is a short random id for jobs and attempts.
func newID() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// touch marks j changed; the caller holds s.mu.
func (j *job) touch() {
	j.version++
	close(j.changed)
	j.changed = make(chan struct{})
}

// requestCancel asks j to stop (it is marked cancelling until it ends)
// and returns the version the progress page should show it from: the one
// cancel path of the check and the probe.
func (s *Server) requestCancel(j *job) (seen int) {
	s.mu.Lock()
	if !j.finished {
		j.cancelling = true
		j.touch()
	}
	seen = j.version
	s.mu.Unlock()
	j.cancel()
	return seen
}

// maxWait bounds the long poll of "Aktualisieren".
const maxWait = 10 * time.Second

// waitChange waits, when the request names the version its page showed
// (?seen=N) and j has not changed since, until j changes, maxWait passes
// or the request ends.
func (s *Server) waitChange(r *http.Request, j *job) {
	seen, err := strconv.Atoi(r.URL.Query().Get("seen"))
	if err != nil {
		return
	}
	s.mu.Lock()
	ch, done := j.changed, j.finished || j.version > seen
	s.mu.Unlock()
	if done {
		return
	}
	t := time.NewTimer(maxWait)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	case <-r.Context().Done():
	}
}

// refreshLink is the address of a progress page's "Aktualisieren": the
// version shown and the next refresh number.
func refreshLink(base string, j *job, r *http.Request) string {
	n, _ := strconv.Atoi(r.URL.Query().Get("r"))
	return base + "?seen=" + strconv.Itoa(j.version) + "&r=" + strconv.Itoa(n+1) + "#progress"
}

// startJob registers a job in m and runs work under the server's context;
// false when the view is closing.
func (s *Server) startJob(m map[string]*job, work func(ctx context.Context, j *job)) (*job, bool) {
	ctx, cancel := context.WithCancel(s.ctx)
	j := &job{id: newID(), cancel: cancel, changed: make(chan struct{})}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		cancel()
		return nil, false
	}
	m[j.id] = j
	s.work.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.work.Done()
		defer cancel()
		work(ctx, j)
	}()
	return j, true
}

// percent is a fraction as a whole percentage.
func percent(f float64) int {
	p := int(f*100 + 0.5)
	return min(max(p, 0), 100)
}
