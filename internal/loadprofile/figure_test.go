package loadprofile

import (
	"context"
	"os"
	goruntime "runtime"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/shirou/gopsutil/v4/load"

	"github.com/ki-reise/kicheck/internal/gguf"
	"github.com/ki-reise/kicheck/internal/ollamatest"
)

// readBandwidth measures how fast workers goroutines together read a
// buffer much larger than the caches: the figure decode speed is limited by, because
// every generated token reads all weights once. It is a plain Go loop (sum
// of 64-bit words per goroutine), so it is a lower bound of what optimised
// kernels reach.
func readBandwidth(buf []uint64, passes, workers int) float64 {
	chunk := len(buf) / workers
	var sink uint64
	var mu sync.Mutex
	start := time.Now()
	for range passes {
		var wg sync.WaitGroup
		for w := range workers {
			part := buf[w*chunk : (w+1)*chunk]
			wg.Add(1)
			go func() {
				defer wg.Done()
				var s0, s1, s2, s3 uint64
				for i := 0; i+3 < len(part); i += 4 {
					s0 += part[i]
					s1 += part[i+1]
					s2 += part[i+2]
					s3 += part[i+3]
				}
				mu.Lock()
				sink += s0 + s1 + s2 + s3
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	elapsed := time.Since(start).Seconds()
	_ = sink
	return float64(passes) * float64(chunk*workers) * float64(unsafe.Sizeof(buf[0])) / elapsed
}

// figureShape is a llama-style model of about 1.1 GB at Q8_0 (16 layers of
// width 2048, like Llama 3.2 1B but untied and with a 32000-token vocabulary).
var figureShape = gguf.Shape{Layers: 16, Hidden: 2048, Heads: 32, KVHeads: 8, FFN: 8192, Vocab: 32000, Context: 4096}

// BenchmarkDecodeVsBandwidth is the figure for the model catalogue: decode
// tokens/s of a ~1 GB synthetic model in the real Ollama, against this
// machine's measured read bandwidth, both measured in the same run.
// Reported: read_GB/s, model_GB, decode_tok/s, the bandwidth bound
// (bandwidth / model size) and the share of it reached.
//
//	KICHECK_OLLAMA=… go test -run '^$' -bench DecodeVsBandwidth -benchtime 1x ./internal/loadprofile/
func BenchmarkDecodeVsBandwidth(b *testing.B) {
	srv := ollamatest.Shared(b)
	buf := make([]uint64, (1<<30)/8) // 1 GiB
	for i := range buf {
		buf[i] = uint64(i)
	}
	// all-cores is the figure; one-core compares one decoding thread with
	// one reading goroutine, which suffers less on a machine busy with other
	// work (llama.cpp's threads wait for each other at every layer).
	for _, c := range []struct {
		name    string
		threads int
	}{{"all-cores", 0}, {"one-core", 1}} {
		b.Run(c.name, func(b *testing.B) {
			workers := goruntime.NumCPU()
			if c.threads > 0 {
				workers = c.threads
			}
			for b.Loop() {
				bw := readBandwidth(buf, 5, workers)
				res, err := Run(context.Background(), Options{Endpoint: srv.URL(),
					Target: gguf.Target{Name: "figure-1gb", Shape: figureShape, Quant: gguf.QuantQ8_0},
					Dir:    os.TempDir(), Tokens: 32, Runs: 3, NumThread: c.threads})
				if err != nil {
					b.Fatal(err)
				}
				bw = (bw + readBandwidth(buf, 5, workers)) / 2
				bound := bw / float64(res.FileBytes)
				b.ReportMetric(bw/1e9, "read_GB/s")
				b.ReportMetric(float64(res.FileBytes)/1e9, "model_GB")
				b.ReportMetric(res.DecodeTPS, "decode_tok/s")
				b.ReportMetric(bound, "bound_tok/s")
				b.ReportMetric(res.DecodeTPS/bound, "share_of_bound")
				b.ReportMetric(res.PromptTPS, "prompt_tok/s")
				// The figures mean little on a machine busy with other work; say how busy.
				if avg, err := load.Avg(); err == nil {
					b.ReportMetric(avg.Load1, "load_avg_1m")
				}
			}
		})
	}
}
