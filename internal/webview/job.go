package webview

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
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
	close(j.changed)
	j.changed = make(chan struct{})
}

// maxWait bounds the long poll of "Aktualisieren".
const maxWait = 10 * time.Second

// waitChange waits, when the request asks (?wait=1) and j is still
// running, until j changes, maxWait passes or the request ends.
func (s *Server) waitChange(r *http.Request, j *job) {
	if r.URL.Query().Get("wait") == "" {
		return
	}
	s.mu.Lock()
	ch, fin := j.changed, j.finished
	s.mu.Unlock()
	if fin {
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
