// Command intakemem measures the peak memory (RSS) of the two intake
// commands under the attacks of issue 20, on loopback:
//
//   - kicheck serve, while 40 clients upload 11 MB of junk at once with a
//     valid unit token (a JSON envelope whose report is valid JSON of many
//     small values, with a well-formed signature of another document);
//   - kicheck collect on a 34 MB ZIP of 256 entries of 8 MiB, each
//     compressed about 63 to 1 (under the intake's ratio cap).
//
// Each -bin is measured in turn in the same run, so two builds (before and
// after a change) can be compared:
//
//	CGO_ENABLED=0 go build -tags nogui -o /tmp/kicheck-new ./app
//	go run ./bench/intakemem -bin /tmp/kicheck-old -bin /tmp/kicheck-new
//
// The peak is the kernel's high-water mark of the process (VmHWM, Linux).
// A process that passes -cap-mb is stopped, and its figure is printed as
// "≥ cap"; that keeps the measurement of an unbounded build from taking a
// shared machine down. The exit status is 1 when the last -bin misses the
// goal (-goal-mb, 300).
package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ki-reise/kicheck/internal/signing"
)

const token = "bench-0123456789abcdef0123456789abcdef"

type bins []string

func (b *bins) String() string     { return strings.Join(*b, ",") }
func (b *bins) Set(s string) error { *b = append(*b, s); return nil }

func main() {
	var bs bins
	flag.Var(&bs, "bin", "kicheck binary to measure (repeatable)")
	uploads := flag.Int("uploads", 40, "concurrent junk uploads")
	entries := flag.Int("entries", 256, "ZIP entries of 8 MiB")
	capMB := flag.Int("cap-mb", 8192, "stop a process above this RSS (MB)")
	signed := flag.Bool("signed", false, "sign the junk with a key the server enrols (it is then parsed)")
	goalMB := flag.Int("goal-mb", 300, "goal: peak RSS below this (MB)")
	flag.Parse()
	if len(bs) == 0 {
		fmt.Fprintln(os.Stderr, "usage: intakemem -bin KICHECK [-bin KICHECK]…")
		os.Exit(2)
	}
	dir, err := os.MkdirTemp("", "intakemem")
	check(err)
	defer os.RemoveAll(dir)
	tokens := filepath.Join(dir, "tokens")
	check(os.WriteFile(tokens, []byte(token+" Bauamt\n"), 0o600))
	body := junkBody(dir, *signed)
	zipPath := filepath.Join(dir, "bomb.zip")
	writeZip(zipPath, *entries)
	zi, _ := os.Stat(zipPath)
	fmt.Printf("inputs: %d uploads of %.1f MB each; ZIP of %.1f MB with %d entries of 8 MiB\n",
		*uploads, float64(len(body))/1e6, float64(zi.Size())/1e6, *entries)
	missed := false
	for i, bin := range bs {
		serve, answers := measureServe(bin, dir, tokens, body, *uploads, *capMB)
		collect, summary := measureCollect(bin, dir, zipPath, *capMB)
		fmt.Printf("%s\n  serve, %d junk uploads at once: peak RSS %s (answers: %s)\n  collect, ZIP bomb: peak RSS %s (%s)\n",
			bin, *uploads, mb(serve, *capMB), answers, mb(collect, *capMB), summary)
		if i == len(bs)-1 {
			missed = serve >= *goalMB || collect >= *goalMB
			verdict := "met"
			if missed {
				verdict = "MISSED"
			}
			fmt.Printf("goal: peak under %d MB for each: %s\n", *goalMB, verdict)
		}
	}
	if missed {
		os.Exit(1)
	}
}

func mb(v, capMB int) string {
	if v >= capMB {
		return fmt.Sprintf("≥ %d MB (stopped at the cap)", capMB)
	}
	return fmt.Sprintf("%d MB", v)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "intakemem:", err)
		os.Exit(1)
	}
}

// junkBody is the envelope of the attack: 8 MB of "0,0,0,…" in base64 and
// a well-formed SSH signature of another document; with signed, a valid
// signature of the junk by a key the server enrols, so it is parsed.
func junkBody(dir string, signed bool) []byte {
	key, err := signing.Load(filepath.Join(dir, "key"))
	check(err)
	var doc bytes.Buffer
	doc.WriteString(`{"a":[`)
	for doc.Len() < 8<<20-16 {
		doc.WriteString(`0,`)
	}
	doc.WriteString(`0]}`)
	signedDoc := []byte("another document")
	if signed {
		signedDoc = doc.Bytes()
	}
	sig, err := key.Sign(signedDoc)
	check(err)
	b, err := json.Marshal(map[string]string{"report": base64.StdEncoding.EncodeToString(doc.Bytes()), "signature": string(sig)})
	check(err)
	return b
}

// writeZip writes n entries of 8 MiB compressed about 63:1 (deflated
// once, stored n times).
func writeZip(path string, n int) {
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, 8<<20)
	for i := range b {
		if rng.IntN(165) == 0 {
			b[i] = byte('a' + rng.IntN(26))
		} else {
			b[i] = '0'
		}
	}
	var raw bytes.Buffer
	w, _ := flate.NewWriter(&raw, flate.BestCompression)
	w.Write(b)
	w.Close()
	f, err := os.Create(path)
	check(err)
	zw := zip.NewWriter(f)
	for i := range n {
		ew, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("r%03d.json", i), Method: zip.Deflate,
			CRC32: crc32.ChecksumIEEE(b), CompressedSize64: uint64(raw.Len()), UncompressedSize64: uint64(len(b))})
		check(err)
		ew.Write(raw.Bytes())
	}
	check(zw.Close())
	check(f.Close())
}

// watch polls the process's RSS, stops it above capMB, and returns the
// peak (VmHWM) in MB when stop is called.
func watch(pid, capMB int) (stop func() int) {
	done := make(chan struct{})
	var peak int
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if hwm, rss, ok := status(pid); ok {
				mu.Lock()
				peak = max(peak, hwm)
				mu.Unlock()
				if rss >= capMB {
					mu.Lock()
					peak = max(peak, capMB)
					mu.Unlock()
					syscall.Kill(pid, syscall.SIGKILL)
					return
				}
			}
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()
	return func() int {
		if hwm, _, ok := status(pid); ok {
			mu.Lock()
			peak = max(peak, hwm)
			mu.Unlock()
		}
		close(done)
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

// status reads VmHWM and VmRSS of pid in MB.
func status(pid int) (hwm, rss int, ok bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.Atoi(f[1])
		switch f[0] {
		case "VmHWM:":
			hwm = kb >> 10
		case "VmRSS:":
			rss = kb >> 10
		}
	}
	return hwm, rss, true
}

func measureServe(bin, dir, tokens string, body []byte, n, capMB int) (int, string) {
	data := filepath.Join(dir, "serve-data")
	db := filepath.Join(dir, "serve.db")
	os.Remove(db)
	cmd := exec.Command(bin, "--data-dir", data, "--lang", "en", "serve", "--db", db, "--token-file", tokens, "--enroll", "--addr", "127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	check(err)
	cmd.Stderr = io.Discard
	check(cmd.Start())
	stop := watch(cmd.Process.Pid, capMB)
	url := ""
	sc := bufio.NewScanner(out)
	re := regexp.MustCompile(`https?://127\.0\.0\.1:\d+`)
	for sc.Scan() {
		if url = re.FindString(sc.Text()); url != "" {
			break
		}
	}
	go io.Copy(io.Discard, out)
	if url == "" {
		cmd.Process.Kill()
		cmd.Wait()
		return stop(), "server did not start"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/v1/reports", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+token)
			code := "error"
			if resp, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				code = strconv.Itoa(resp.StatusCode)
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	time.Sleep(time.Second)
	peak := stop()
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	var parts []string
	for c, k := range codes {
		parts = append(parts, fmt.Sprintf("%d× %s", k, c))
	}
	return peak, strings.Join(parts, ", ")
}

func measureCollect(bin, dir, zipPath string, capMB int) (int, string) {
	db := filepath.Join(dir, "collect.db")
	os.Remove(db)
	cmd := exec.Command(bin, "--data-dir", filepath.Join(dir, "collect-data"), "--lang", "en", "collect", "--db", db, "--enroll", zipPath)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = io.Discard
	check(cmd.Start())
	stop := watch(cmd.Process.Pid, capMB)
	cmd.Wait()
	peak := stop()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		peak = max(peak, int(ru.Maxrss>>10))
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return peak, fmt.Sprintf("%s, exit %d", lines[len(lines)-1], cmd.ProcessState.ExitCode())
}
