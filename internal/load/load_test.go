package load

import (
	"context"
	"errors"
	"math"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/load/loadtest"
)

func refServer(t testing.TB, s loadtest.Schedule) *loadtest.Server {
	t.Helper()
	srv, err := loadtest.Start(s)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func testMix(limits Limits) []Work {
	return []Work{{ID: "p", UseCase: "antwort-entwurf", MaxTokens: 64, Weight: 1, Limits: limits,
		Messages: []bench.Message{{Role: "user", Content: "Hallo"}}}}
}

// accuracy runs the generator at 256 concurrent streams against the
// reference server and returns the level and the schedule.
func accuracy(t testing.TB, protocol string) (Level, loadtest.Schedule, float64) {
	sch := loadtest.Schedule{TTFT: 200 * time.Millisecond, ITL: 15 * time.Millisecond, Tokens: 100}
	srv := refServer(t, sch)
	// One client for both runs: the first opens the 256 connections, the
	// second measures streams, not TCP handshakes.
	tr := &http.Transport{MaxIdleConnsPerHost: 300, MaxIdleConns: 300}
	defer tr.CloseIdleConnections()
	o := Options{URL: srv.URL, Protocol: protocol, Model: "m", Shape: ShapeDay, HTTPClient: &http.Client{Transport: tr},
		Clerks: 256, ThinkTime: 100 * time.Millisecond, MaxRequests: 256, MaxDuration: 2 * time.Minute, Mix: testMix(Limits{}), RequestTimeout: time.Minute}
	o.Mix[0].MaxTokens = sch.Tokens
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	o.MaxRequests = 1024
	srv.ResetLateness()
	res, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Levels) != 1 {
		t.Fatalf("levels: %d", len(res.Levels))
	}
	var late []float64
	for _, d := range srv.FirstTokenLateness() {
		late = append(late, ms(d))
	}
	return res.Levels[0], sch, NewDist(late).P50.Value
}

// within: 1 % of the scheduled value or 1 ms, whichever is larger.
func within(got, want float64) bool { return math.Abs(got-want) <= math.Max(0.01*want, 1) }

// TestGeneratorIsNotTheBottleneck runs 256 concurrent streams against the
// reference server and checks what does not depend on the machine's load:
// every request answered and the client's token count equal to the
// server's. How close TTFT and inter-token latency come to the schedule
// (the 1 % or 1 ms at more than 10,000 tokens/s) is a speed figure:
// BenchmarkGeneratorAccuracy reports it (make bench); here it is logged,
// because a shared machine under load moves it and a timed assertion would
// fail for the machine's sake, not the generator's.
func TestGeneratorIsNotTheBottleneck(t *testing.T) {
	if testing.Short() {
		t.Skip("256 streams for a few seconds")
	}
	for _, proto := range []string{ProtocolOllama, ProtocolOpenAI} {
		t.Run(proto, func(t *testing.T) {
			lv, sch, late := accuracy(t, proto)
			if lv.OK != lv.Requests || lv.Requests < 1024 {
				t.Fatalf("%d of %d requests ok (errors %v)", lv.OK, lv.Requests, lv.Errors)
			}
			if lv.Tokens != lv.ServerTok {
				t.Errorf("client counted %d tokens, server reported %d", lv.Tokens, lv.ServerTok)
			}
			ttft, itl := ms(sch.TTFT), ms(sch.ITL)
			t.Logf("TTFT p50 %.3f ms (schedule %.0f, server's own first-token delay p50 %.3f; within 1 %%/1 ms: %v), ITL mean %.3f ms, TPOT p50 %.3f ms (schedule %.0f; within: %v), %.0f tokens/s",
				lv.TTFT.P50.Value, ttft, late, within(lv.TTFT.P50.Value, ttft+late),
				lv.ITL.Mean, lv.TPOT.P50.Value, itl, within(lv.ITL.Mean, itl) && within(lv.TPOT.P50.Value, itl), lv.TokPerS)
		})
	}
}

// BenchmarkGeneratorAccuracy reports the generator's error against the
// schedule at 256 streams (make bench).
func BenchmarkGeneratorAccuracy(b *testing.B) {
	for range b.N {
		lv, sch, late := accuracy(b, ProtocolOllama)
		b.ReportMetric(lv.TTFT.P50.Value-ms(sch.TTFT), "ttft_p50_err_ms")
		b.ReportMetric(late, "server_delay_p50_ms")
		b.ReportMetric(lv.ITL.P50.Value-ms(sch.ITL), "itl_p50_err_ms")
		b.ReportMetric(lv.ITL.Mean-ms(sch.ITL), "itl_mean_err_ms")
		b.ReportMetric(lv.TPOT.P50.Value-ms(sch.ITL), "tpot_p50_err_ms")
		b.ReportMetric(lv.TokPerS, "tok/s")
		b.ReportMetric(float64(lv.Requests), "requests")
	}
}

func TestConcurrencyBounds(t *testing.T) {
	for _, n := range []int{0, 100000, -1, 1025} {
		o := Options{URL: "http://127.0.0.1:1", Model: "m", Shape: ShapeSweep, MaxConc: n, Mix: testMix(Limits{})}
		_, err := Run(context.Background(), o)
		var le *Error
		if !errors.As(err, &le) || le.Msg.ID != "load.error.concurrency" {
			t.Fatalf("concurrency %d: %v", n, err)
		}
		if msg, hint := le.Localize("de"); msg == le.Msg.ID || hint == le.Tip.ID {
			t.Errorf("concurrency %d: untranslated %q / %q", n, msg, hint)
		}
	}
	o := Options{URL: "http://127.0.0.1:1", Model: "m", Shape: ShapeDay, Clerks: 0, Mix: testMix(Limits{})}
	if _, err := Run(context.Background(), o); err == nil {
		t.Fatal("0 clerks accepted")
	}
}

// TestSweepFindsSaturation: a reference server with 2 slots queues the
// rest; the sweep stops where throughput is flat and latency grows.
func TestSweepFindsSaturation(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: 10 * time.Millisecond, ITL: 2 * time.Millisecond, Tokens: 20, Slots: 2})
	res, err := Run(context.Background(), Options{URL: srv.URL, Model: "m", Shape: ShapeSweep, MaxConc: 64,
		Mix: testMix(Limits{FirstTokenS: 0.03}), MaxDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if res.Saturation != 4 {
		for _, l := range res.Levels {
			t.Logf("level %d: %.0f tok/s, e2e p50 %.1f", l.Level, l.TokPerS, l.E2E.P50.Value)
		}
		t.Fatalf("saturation at %d, want 4 (2 slots)", res.Saturation)
	}
	if !res.Complete {
		t.Errorf("incomplete: %s", res.Incomplete)
	}
	if res.Answer == nil || res.Answer.Clerks < 1 || res.Answer.Clerks > 2 {
		t.Errorf("answer %+v, want 1 or 2 clerks (TTFT limit 30 ms, queueing beyond 2)", res.Answer)
	}
}

// TestBusyCountedNotCrash uses the reference server's injected full queue.
func TestBusyCountedNotCrash(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: 20 * time.Millisecond, ITL: 5 * time.Millisecond, Tokens: 10, MaxInFlight: 2})
	res, err := Run(context.Background(), Options{URL: srv.URL, Model: "m", Shape: ShapeDay, Clerks: 8, MaxRequests: 40,
		Mix: testMix(Limits{}), MaxDuration: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	lv := res.Levels[0]
	if lv.Errors[ErrBusy] == 0 || lv.OK == 0 || lv.Errors[ErrBusy]+lv.OK != lv.Requests {
		t.Fatalf("ok %d, errors %v of %d", lv.OK, lv.Errors, lv.Requests)
	}
	if int64(lv.Errors[ErrBusy]) != srv.Busy.Load() {
		t.Errorf("counted %d busy, server sent %d", lv.Errors[ErrBusy], srv.Busy.Load())
	}
}

// TestBrokenStream: the injected fault closes every stream after 3 tokens.
func TestBrokenStream(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: time.Millisecond, ITL: time.Millisecond, Tokens: 10})
	// The preflight must pass, so the fault comes with a second server.
	res, err := Run(context.Background(), Options{URL: srv.URL, Model: "m", Shape: ShapeDay, Clerks: 1, MaxRequests: 2, Mix: testMix(Limits{})})
	if err != nil || res.Levels[0].OK != 2 {
		t.Fatalf("healthy: %v", err)
	}
	broken := refServer(t, loadtest.Schedule{TTFT: time.Millisecond, ITL: time.Millisecond, Tokens: 10, BreakAfter: 3})
	_, err = Run(context.Background(), Options{URL: broken.URL, Model: "m", Shape: ShapeDay, Clerks: 1, MaxRequests: 2, Mix: testMix(Limits{})})
	var le *Error
	if !errors.As(err, &le) || le.Msg.ID != "load.error.not_model_server" {
		t.Fatalf("broken stream at preflight: %v", err)
	}
	tg := target{url: broken.URL, protocol: ProtocolOllama, model: "m", client: broken2client()}
	var s Sample
	tg.do(context.Background(), testMix(Limits{})[0], &s, true)
	if s.Error != ErrBroken || s.Tokens != 3 {
		t.Fatalf("sample %+v", s)
	}
}

func TestModelNotFoundAndNotAServer(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: time.Millisecond, ITL: time.Millisecond, Tokens: 3, Model: "da"})
	_, err := Run(context.Background(), Options{URL: srv.URL, Model: "fehlt", Shape: ShapeDay, Clerks: 1, MaxRequests: 1, Mix: testMix(Limits{})})
	var le *Error
	if !errors.As(err, &le) || le.Msg.ID != "load.error.not_found" {
		t.Fatalf("missing model: %v", err)
	}
	_, err = Run(context.Background(), Options{URL: "http://127.0.0.1:1", Model: "m", Shape: ShapeDay, Clerks: 1, MaxRequests: 1, Mix: testMix(Limits{})})
	if !errors.As(err, &le) || le.Msg.ID != "load.error.refused" {
		t.Fatalf("nothing listening: %v", err)
	}
}

// TestCancelKeepsMeasured: cancelling mid-sweep keeps the finished
// requests and marks the run incomplete.
func TestCancelKeepsMeasured(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: 5 * time.Millisecond, ITL: 5 * time.Millisecond, Tokens: 10})
	ctx, cancel := context.WithCancel(context.Background())
	var done atomic.Int64
	res, err := Run(ctx, Options{URL: srv.URL, Model: "m", Shape: ShapeSweep, MaxConc: 1024, RequestsPerLevel: 1000,
		Mix: testMix(Limits{}), Progress: func(p Progress) {
			if done.Add(1) == 20 {
				cancel()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Complete || res.Incomplete != "cancelled" {
		t.Fatalf("complete %v, incomplete %q", res.Complete, res.Incomplete)
	}
	if len(res.Levels) != 1 || res.Levels[0].OK < 20 {
		t.Fatalf("levels %+v", res.Levels)
	}
}

func TestMaxDurationMarksSweepIncomplete(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: 5 * time.Millisecond, ITL: 5 * time.Millisecond, Tokens: 10})
	res, err := Run(context.Background(), Options{URL: srv.URL, Model: "m", Shape: ShapeSweep, MaxConc: 4, RequestsPerLevel: 100000,
		MaxDuration: 300 * time.Millisecond, Mix: testMix(Limits{})})
	if err != nil {
		t.Fatal(err)
	}
	if res.Complete || res.Incomplete != "max_duration" || len(res.Levels) == 0 {
		t.Fatalf("complete %v %q levels %d", res.Complete, res.Incomplete, len(res.Levels))
	}
}

func TestRemoteNeedsConsent(t *testing.T) {
	_, err := Run(context.Background(), Options{URL: "http://192.0.2.1:11434", Model: "m", Shape: ShapeDay, Clerks: 1, Mix: testMix(Limits{}), Bundle: "kommune-basis", CloudAllowed: true})
	if !errors.Is(err, cloud.ErrConsentRequired) {
		t.Fatalf("remote without consent: %v", err)
	}
}

func TestPoisson(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: 2 * time.Millisecond, ITL: time.Millisecond, Tokens: 5})
	res, err := Run(context.Background(), Options{URL: srv.URL, Protocol: ProtocolOpenAI, Model: "m", Shape: ShapePoisson, Rate: 200, MaxRequests: 60, Mix: testMix(Limits{FirstTokenS: 1})})
	if err != nil {
		t.Fatal(err)
	}
	lv := res.Levels[0]
	if lv.OK != 60 || !res.Complete || lv.Goodput.K != 60 {
		t.Fatalf("ok %d complete %v goodput %+v", lv.OK, res.Complete, lv.Goodput)
	}
	if lv.Level != 12000 {
		t.Errorf("level %d, want 12000 requests/min", lv.Level)
	}
}

// TestReloadsNoticed: answers whose load_duration shows a model load are
// counted as reloads (the reference server reports 300 ms on purpose).
func TestReloadsNoticed(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: time.Millisecond, ITL: time.Millisecond, Tokens: 3, LoadDuration: 300 * time.Millisecond})
	res, err := Run(context.Background(), Options{URL: srv.URL, Model: "m", Shape: ShapeDay, Clerks: 2, MaxRequests: 6, Mix: testMix(Limits{})})
	if err != nil {
		t.Fatal(err)
	}
	if lv := res.Levels[0]; lv.Reloads != lv.OK || lv.OK != 6 {
		t.Fatalf("reloads %d of %d", lv.Reloads, lv.OK)
	}
	quiet := refServer(t, loadtest.Schedule{TTFT: time.Millisecond, ITL: time.Millisecond, Tokens: 3})
	res, err = Run(context.Background(), Options{URL: quiet.URL, Model: "m", Shape: ShapeDay, Clerks: 2, MaxRequests: 6, Mix: testMix(Limits{})})
	if err != nil || res.Levels[0].Reloads != 0 {
		t.Fatalf("reloads on a loaded model: %v %v", res.Levels[0].Reloads, err)
	}
}

// TestProgressOneCallAtATime: requests finish on many goroutines, but
// Options.Progress is never entered twice at once (the CLI and the GUI keep
// the time of their last line between calls; -race found the GUI's).
func TestProgressOneCallAtATime(t *testing.T) {
	srv := refServer(t, loadtest.Schedule{TTFT: time.Millisecond, ITL: time.Millisecond, Tokens: 5})
	var inside atomic.Bool
	var calls, overlaps atomic.Int64
	o := Options{URL: srv.URL, Model: "m", Shape: ShapeDay, Clerks: 32, ThinkTime: time.Millisecond,
		MaxRequests: 256, MaxDuration: time.Minute, Mix: testMix(Limits{}),
		Progress: func(Progress) {
			if !inside.CompareAndSwap(false, true) {
				overlaps.Add(1)
				return
			}
			time.Sleep(200 * time.Microsecond) // widen the window another call could enter
			calls.Add(1)
			inside.Store(false)
		}}
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if overlaps.Load() != 0 {
		t.Errorf("Progress entered %d times while another call was running", overlaps.Load())
	}
	if calls.Load() < 256 {
		t.Errorf("Progress called %d times for 256 requests", calls.Load())
	}
}
