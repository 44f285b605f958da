//go:build linux

package probe

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// BenchmarkBandwidthCause is the experiment behind docs/probe.md, "Why the
// bandwidth swings": it measures the read bandwidth in variants that differ
// in one thing each (threads, buffer size against the caches, the length of
// one timed sample, a fresh buffer per round against a reused one, 4 KiB
// against 2 MiB pages, a file-backed mapping as llama.cpp maps a model, and
// the probe's own quantized matrix × vector over a model-sized buffer). The
// variants alternate round by round so that a busy neighbour hits all of
// them alike; every round logs the load average.
//
//	KICHECK_CAUSE_ROUNDS=5 go test -run '^$' -bench BandwidthCause -benchtime 1x -v ./internal/probe
func BenchmarkBandwidthCause(b *testing.B) {
	rounds := 5
	if n, err := strconv.Atoi(os.Getenv("KICHECK_CAUSE_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	all := runtime.NumCPU()
	phys := DetectCPU(b.Context()).PhysicalCores
	if phys <= 0 {
		phys = all
	}
	const mib = 1 << 20
	type variant struct {
		name string
		run  func() []float64 // GB/s samples of one round
	}
	reused := map[int][]byte{}
	anon := func(size int, huge bool) []byte {
		m, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
		if err != nil {
			b.Fatal(err)
		}
		adv := unix.MADV_NOHUGEPAGE
		if huge {
			adv = unix.MADV_HUGEPAGE
		}
		if err := unix.Madvise(m, adv); err != nil {
			b.Logf("madvise: %v", err)
		}
		touch(m, all)
		return m
	}
	buffer := func(size int) []byte {
		if buf, ok := reused[size]; ok {
			return buf
		}
		buf := anon(size, false)
		reused[size] = buf
		return buf
	}
	// passes reads buf n times per sample, 3 samples after one warm-up.
	passes := func(buf []byte, threads, n int) []float64 {
		readAll(buf, threads)
		var out []float64
		for range 3 {
			t0 := time.Now()
			for range n {
				sink += readAll(buf, threads)
			}
			out = append(out, float64(n*len(buf))/time.Since(t0).Seconds()/1e9)
		}
		return out
	}
	// A 512 MiB file in the page cache, mapped read-only as llama.cpp maps
	// a model file.
	fileBuf := func() []byte {
		path := filepath.Join(b.TempDir(), "weights.bin")
		data := make([]byte, 512*mib)
		for i := range data {
			data[i] = byte(i * 7)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		m, err := unix.Mmap(int(f.Fd()), 0, len(data), unix.PROT_READ, unix.MAP_SHARED)
		if err != nil {
			b.Fatal(err)
		}
		readAll(m, all) // fault the pages in
		return m
	}()
	heap := make([]byte, 512*mib) // as the probe allocates: Go heap, the kernel's default pages
	touch(heap, all)
	variants := []variant{
		{"512 MiB Go heap (as the probe), all threads", func() []float64 { return passes(heap, all, 1) }},
		{fmt.Sprintf("512 MiB, %d threads (all), 1 pass per sample", all), func() []float64 { return passes(buffer(512*mib), all, 1) }},
		{fmt.Sprintf("512 MiB, %d threads (physical cores)", phys), func() []float64 { return passes(buffer(512*mib), phys, 1) }},
		{"512 MiB, 1 thread", func() []float64 { return passes(buffer(512*mib), 1, 1) }},
		{"4 MiB (in L3), all threads", func() []float64 { return passes(buffer(4*mib), all, 128) }},
		{"16 MiB (half of L3), all threads", func() []float64 { return passes(buffer(16*mib), all, 32) }},
		{"64 MiB, all threads", func() []float64 { return passes(buffer(64*mib), all, 8) }},
		{"1 GiB, all threads", func() []float64 { return passes(buffer(1024*mib), all, 1) }},
		{"512 MiB, all threads, 10 passes per sample", func() []float64 { return passes(buffer(512*mib), all, 10) }},
		{"512 MiB fresh buffer each round (first touch), all threads", func() []float64 {
			m := anon(512*mib, false)
			defer unix.Munmap(m)
			return passes(m, all, 1)
		}},
		{"512 MiB fresh, 2 MiB pages (MADV_HUGEPAGE), all threads", func() []float64 {
			m := anon(512*mib, true)
			defer unix.Munmap(m)
			return passes(m, all, 1)
		}},
		{"512 MiB file mapping (page cache, as llama.cpp), all threads", func() []float64 { return passes(fileBuf, all, 1) }},
		{"Go Q8_0 mat-vec over 1 GiB, all threads (weight GB/s)", func() []float64 {
			return matvecGBps(buffer(1024*mib), all)
		}},
		{"Go Q8_0 mat-vec over 1 GiB, 1 thread (weight GB/s)", func() []float64 {
			return matvecGBps(buffer(1024*mib), 1)
		}},
	}
	res := make([][]float64, len(variants))
	for b.Loop() {
		for r := range rounds {
			load, _ := os.ReadFile("/proc/loadavg")
			var line []string
			for i, v := range variants {
				s := v.run()
				res[i] = append(res[i], s...)
				line = append(line, fmt.Sprintf("%.1f", median(s)))
			}
			b.Logf("round %d, load %s: %s", r+1, strings.Join(strings.Fields(string(load))[:3], " "), strings.Join(line, " | "))
		}
	}
	b.Logf("%-64s %7s %7s %7s %7s %7s  n", "variant (GB/s)", "median", "min", "q1", "q3", "max")
	for i, v := range variants {
		s := newStat(res[i])
		b.Logf("%-64s %7.1f %7.1f %7.1f %7.1f %7.1f  %d", v.name, s.Median, s.Min, s.Q1, s.Q3, s.Max, len(res[i]))
	}
}

// touch writes one byte per page with threads workers.
func touch(buf []byte, threads int) {
	parallel(threads, len(buf), func(lo, hi int) {
		for i := lo; i < hi; i += 4096 {
			buf[i] = byte(i >> 12)
		}
	})
}

// matvecGBps runs the probe's int8 matrix × vector over buf and returns
// the weight bytes streamed per second, 3 samples after a warm-up.
func matvecGBps(buf []byte, threads int) []float64 {
	m := newMatVecSized(buf, len(buf))
	m.int8(threads)
	var out []float64
	for range 3 {
		t0 := time.Now()
		ops := m.int8(threads)
		out = append(out, ops/2/time.Since(t0).Seconds()/1e9)
	}
	return out
}
