// Package loadtest is a reference model server for the load generator's
// tests: it streams tokens on a known schedule (first token after TTFT,
// then one every ITL, deadlines on the absolute clock so delays do not
// add up), in Ollama's /api/chat and OpenAI's /v1/chat/completions
// formats, so a test can compare what internal/load measured with what
// was sent. Faults (a full queue answered with 503, a stream that breaks
// off) are injected on purpose and the tests that use them say so.
package loadtest

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Schedule is what every answer looks like.
type Schedule struct {
	TTFT   time.Duration // request read → first token written
	ITL    time.Duration // between tokens
	Tokens int           // tokens per answer
	// MaxInFlight > 0 answers 503 to a request beyond that many (a full
	// queue, as Ollama's OLLAMA_MAX_QUEUE).
	MaxInFlight int
	// BreakAfter > 0 closes the connection after that many tokens (a
	// server dying mid-stream).
	BreakAfter int
	// Slots > 0 serves that many answers at a time and queues the rest,
	// as a runtime with that many parallel slots does.
	Slots int
	// LoadDuration is reported as Ollama's load_duration on every answer
	// (a model reload); 0 reports 1 µs (loaded).
	LoadDuration time.Duration
	// Model is the only model name accepted (404 otherwise); "" = any.
	Model string
}

// Server is a running reference server on loopback.
type Server struct {
	URL      string
	s        Schedule
	srv      *http.Server
	slots    chan struct{}
	inFlight atomic.Int64
	Requests atomic.Int64
	Tokens   atomic.Int64
	Busy     atomic.Int64

	mu   sync.Mutex
	late []time.Duration // first token written − its due time, per answer
}

// FirstTokenLateness returns how late the server itself wrote each
// answer's first token against the schedule (timer and scheduling delay
// on a busy machine), so a test can tell the server's delay from the
// generator's.
func (rs *Server) FirstTokenLateness() []time.Duration {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return append([]time.Duration(nil), rs.late...)
}

// ResetLateness forgets the recorded lateness (between warm-up and run).
func (rs *Server) ResetLateness() {
	rs.mu.Lock()
	rs.late = rs.late[:0]
	rs.mu.Unlock()
}

// Start listens on 127.0.0.1:0.
func Start(s Schedule) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	rs := &Server{URL: "http://" + l.Addr().String(), s: s}
	if s.Slots > 0 {
		rs.slots = make(chan struct{}, s.Slots)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/chat", func(w http.ResponseWriter, r *http.Request) { rs.serve(w, r, false) })
	mux.HandleFunc("POST /v1/chat/completions", func(w http.ResponseWriter, r *http.Request) { rs.serve(w, r, true) })
	rs.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go rs.srv.Serve(l)
	return rs, nil
}

// Close stops the server.
func (rs *Server) Close() error { return rs.srv.Close() }

func (rs *Server) serve(w http.ResponseWriter, r *http.Request, openai bool) {
	t0 := time.Now()
	rs.Requests.Add(1)
	n := rs.inFlight.Add(1)
	defer rs.inFlight.Add(-1)
	if rs.s.MaxInFlight > 0 && int(n) > rs.s.MaxInFlight {
		rs.Busy.Add(1)
		http.Error(w, `{"error":"server busy, please try again.  maximum pending requests exceeded"}`, http.StatusServiceUnavailable)
		return
	}
	var req struct {
		Model string `json:"model"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, `{"error":"bad request"}`, http.StatusBadRequest)
		return
	}
	if rs.s.Model != "" && req.Model != rs.s.Model {
		http.Error(w, fmt.Sprintf(`{"error":"model %q not found, try pulling it first"}`, req.Model), http.StatusNotFound)
		return
	}
	if rs.slots != nil {
		select {
		case rs.slots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		defer func() { <-rs.slots }()
		t0 = time.Now() // the schedule starts when a slot is free
	}
	fl := w.(http.Flusher)
	if openai {
		w.Header().Set("Content-Type", "text/event-stream")
	} else {
		w.Header().Set("Content-Type", "application/x-ndjson")
	}
	w.WriteHeader(http.StatusOK)
	fl.Flush() // headers now: the client's clock runs from its request
	line := ollamaToken
	if openai {
		line = openAIToken
	}
	timer := time.NewTimer(0)
	<-timer.C
	defer timer.Stop()
	for i := 0; i < rs.s.Tokens; i++ {
		if rs.s.BreakAfter > 0 && i == rs.s.BreakAfter {
			panic(http.ErrAbortHandler) // the connection breaks off
		}
		due := t0.Add(rs.s.TTFT + time.Duration(i)*rs.s.ITL)
		if d := time.Until(due); d > 0 {
			timer.Reset(d)
			select {
			case <-r.Context().Done():
				return
			case <-timer.C:
			}
		}
		if _, err := w.Write(line); err != nil {
			return
		}
		fl.Flush()
		if i == 0 {
			rs.mu.Lock()
			if len(rs.late) < 1<<20 {
				rs.late = append(rs.late, time.Since(due))
			}
			rs.mu.Unlock()
		}
		rs.Tokens.Add(1)
	}
	if openai {
		fmt.Fprintf(w, "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}],\"usage\":{\"completion_tokens\":%d}}\n\ndata: [DONE]\n\n", rs.s.Tokens)
	} else {
		fmt.Fprintf(w, "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"eval_count\":%d,\"load_duration\":%d}\n", rs.s.Tokens, max(rs.s.LoadDuration, time.Microsecond).Nanoseconds())
	}
	fl.Flush()
}

var (
	ollamaToken = []byte("{\"message\":{\"role\":\"assistant\",\"content\":\"Wort \"},\"done\":false}\n")
	openAIToken = []byte("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Wort \"}}]}\n\n")
)
