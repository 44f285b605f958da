package collect

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ki-reise/kicheck/internal/pgtest"
	"github.com/ki-reise/kicheck/internal/report"
)

// envInt reads a size from the environment (benchmarks whose full size
// takes long on a small machine), else def.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkServeIntake is issue 15's intake figure: the same real-shaped
// signed reports (KICHECK_BENCH_INTAKE_REPORTS, default 1,000, from 250
// devices) uploaded by 8 clients on loopback to serve processes (this
// test binary running what kicheck serve runs, with the commands' GC
// settings): into SQLite with one process, into PostgreSQL (same
// machine, fsync on) with one and with two processes. The three run in
// turn, KICHECK_BENCH_INTAKE_ROUNDS times (default 3), each round from
// an empty database (the processes' start is not timed), so that load
// from elsewhere on the machine falls on all three alike; the figures
// are the medians, and the ratios to SQLite are of the same run.
func BenchmarkServeIntake(b *testing.B) {
	n := envInt("KICHECK_BENCH_INTAKE_REPORTS", 1000)
	rounds := envInt("KICHECK_BENCH_INTAKE_ROUNDS", 3)
	items := signedCorpus(b, n)
	bodies := make([][]byte, len(items))
	for i, it := range items {
		bodies[i], _ = json.Marshal(envelope{Report: base64.StdEncoding.EncodeToString(it.Data), Signature: string(it.Sig)})
	}
	cluster := pgtest.Start(b, pgtest.Options{Durable: true})
	configs := []struct {
		name    string
		pg      bool
		servers int
	}{{"sqlite_1proc", false, 1}, {"postgres_1proc", true, 1}, {"postgres_2proc", true, 2}}
	for b.Loop() {
		rates := make([][]float64, len(configs))
		for r := range rounds {
			for ci, c := range configs {
				db := filepath.Join(b.TempDir(), "central.db")
				if c.pg {
					db = cluster.NewDatabase(b)
				}
				var procs []*os.Process
				var urls []string
				for range c.servers {
					u, cmd := serveChild(b, db)
					urls = append(urls, u)
					procs = append(procs, cmd.Process)
				}
				start := time.Now()
				codes := uploadAll(urls, bodies, 8)
				took := time.Since(start)
				for _, p := range procs {
					p.Kill()
				}
				if codes[http.StatusCreated] != n {
					b.Fatalf("%s: answers %v", c.name, codes)
				}
				rates[ci] = append(rates[ci], float64(n)/took.Seconds())
				b.Logf("round %d %s: %.1f reports/s", r+1, c.name, float64(n)/took.Seconds())
			}
		}
		med := make([]float64, len(configs))
		for ci, c := range configs {
			slices.Sort(rates[ci])
			med[ci] = rates[ci][len(rates[ci])/2]
			b.ReportMetric(med[ci], c.name+"_reports/s")
		}
		b.ReportMetric(med[1]/med[0], "postgres_1proc/sqlite")
		b.ReportMetric(med[2]/med[0], "postgres_2proc/sqlite")
	}
}

// uploadAll posts bodies with the given number of clients, spread over
// the servers in turn, and counts the answers.
func uploadAll(urls []string, bodies [][]byte, clients int) map[int]int {
	jobs := make(chan int)
	go func() {
		for i := range bodies {
			jobs <- i
		}
		close(jobs)
	}()
	codes := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				req, _ := http.NewRequest(http.MethodPost, urls[i%len(urls)]+UploadPath, bytes.NewReader(bodies[i]))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+childToken)
				code := 0
				if resp, err := client.Do(req); err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					code = resp.StatusCode
				}
				mu.Lock()
				codes[code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return codes
}

// BenchmarkFleetPostgres is the overview on PostgreSQL at
// KICHECK_BENCH_PG_REPORTS reports (default 1,000,000) of
// KICHECK_BENCH_PG_DEVICES devices (default 50,000). The rows are written
// with COPY, not through the intake (a million signed reports would take
// hours to make and verify here): every report row with its columns,
// verdict rows for each device's newest report (what the overview and
// the recount read), no report bytes (the overview never reads them;
// BenchmarkDatabaseSize measures their size). The counters are made by
// RebuildCounts, as kicheck fleet --recount does.
func BenchmarkFleetPostgres(b *testing.B) {
	reports := envInt("KICHECK_BENCH_PG_REPORTS", 1_000_000)
	devices := envInt("KICHECK_BENCH_PG_DEVICES", 50_000)
	cluster := pgtest.Start(b, pgtest.Options{Durable: true})
	dsn := cluster.NewDatabase(b)
	ctx := context.Background()
	s, err := OpenPostgres(ctx, dsn, PostgresOptions{Password: pgtest.Password, StatementTimeout: time.Hour})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	now := fillPostgres(b, s.(*pgStore), reports, devices)
	filled := time.Since(start)
	var size int64
	DB(s).QueryRow(`SELECT pg_database_size(current_database())`).Scan(&size)
	b.Logf("filled %d reports of %d devices with COPY and recounted in %v; database %d MB", reports, devices, filled.Round(time.Second), size>>20)
	opts := FleetOptions{Now: now}
	// The first overview after the fill reads cold pages; it is reported
	// apart, then the median of 20 (make bench runs -benchtime 1x).
	b.Run("query", func(b *testing.B) {
		for b.Loop() {
			var times []time.Duration
			for i := range 21 {
				start := time.Now()
				f, err := ComputeFleet(ctx, s, opts)
				if err != nil || f.Reports != reports || f.Devices != devices {
					b.Fatal(err, f.Reports, f.Devices)
				}
				if i == 0 {
					b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "ms_first")
					continue
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms_median")
			b.ReportMetric(float64(times[len(times)-1].Microseconds())/1000, "ms_max")
		}
	})
	b.Run("query+html", func(b *testing.B) {
		for b.Loop() {
			f, err := ComputeFleet(ctx, s, opts)
			if err != nil {
				b.Fatal(err)
			}
			if err := WriteHTML(discard{}, f, "de"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// fillPostgres writes reports rows of devices devices (in weekly rounds,
// the newest round last) with COPY and returns a time just after the
// newest, so that devices older than 30 days count as stale.
func fillPostgres(b *testing.B, s *pgStore, reports, devices int) time.Time {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	perDevice := max(reports/devices, 1)
	begin := time.Date(2025, 1, 6, 8, 0, 0, 0, time.UTC)
	specs := make([]spec, devices)
	for d := range specs {
		specs[d] = randomSpec(rng, begin)
	}
	latest := make([]int64, devices)
	latestCreated := make([]time.Time, devices)
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	devRows := make([][]any, devices)
	for d := range devRows {
		devRows[d] = []any{fmt.Sprintf("kc-%020d", d), fmt.Sprintf("ssh-ed25519 SYNTHETIC%d", d), "SHA256:synthetic", "enrolled", begin}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"collect_devices"}, []string{"device_id", "public_key", "fingerprint", "trust", "first_seen"}, pgx.CopyFromRows(devRows)); err != nil {
		b.Fatal(err)
	}
	// Report rows in chunks: ids are given, so verdicts can refer to them.
	id := int64(0)
	const chunk = 50_000
	rows := make([][]any, 0, chunk)
	flush := func() {
		if len(rows) == 0 {
			return
		}
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"collect_reports"}, []string{"id", "sha256", "report_id", "device_id", "created", "received", "source", "org_unit",
			"overall", "status", "os", "cpu_model", "threads", "ram_bytes", "gpu_model", "vram_bytes", "bandwidth_gbps", "quiz_participants", "quiz_score_pct"}, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		rows = rows[:0]
	}
	for i := range reports {
		d := i % devices
		week := i / devices
		if week >= perDevice {
			week = perDevice - 1
		}
		sp := specs[d]
		created := begin.AddDate(0, 0, 7*week).Add(time.Duration(d) * time.Second)
		_, verdicts := judged(b, sp)
		id++
		sum := sha256.Sum256(fmt.Appendf(nil, "%d", i))
		h := hex.EncodeToString(sum[:])
		var qp *int64
		var qs *float64
		if sp.quiz[0] > 0 {
			qp, qs = ptr(int64(sp.quiz[0])), ptr(sp.quiz[1])
		}
		rows = append(rows, []any{id, h, h[:32], fmt.Sprintf("kc-%020d", d), created, created.Add(time.Hour), "synthetic", sp.orgUnit,
			report.Overall(verdicts), report.StatusComplete, "Microsoft Windows 11 Pro", "Intel(R) Core(TM) i5-1335U", int64(12), int64(sp.ramGB << 30),
			sp.gpu, int64(sp.vramGB << 30), sp.bandwidth, qp, qs})
		if !created.Before(latestCreated[d]) {
			latest[d], latestCreated[d] = id, created
		}
		if len(rows) == chunk {
			flush()
		}
	}
	flush()
	var vrows [][]any
	for d := range devices {
		fitSection, verdicts := judged(b, specs[d])
		for i, v := range verdicts {
			vrows = append(vrows, []any{latest[d], v.UseCase, v.Model, v.Subject, v.Level, v.PredictedTokensPerSecond, v.MeasuredTokensPerSecond,
				int64(fitSection.UseCases[i].ReadyWithRAMGB), false})
		}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"collect_verdicts"}, []string{"report", "use_case", "model", "subject", "level",
		"predicted_tps", "measured_tps", "ready_with_ram_gb", "calibrated"}, pgx.CopyFromRows(vrows)); err != nil {
		b.Fatal(err)
	}
	// Each device points at its newest report; the report counts per device.
	if _, err := conn.Exec(ctx, `UPDATE collect_devices d SET latest_report = x.latest, latest_created = r.created, clock_ahead_s = 0,
		reports = (SELECT COUNT(*) FROM collect_reports c WHERE c.device_id = d.device_id)
		FROM unnest($1::bigint[]) AS x(latest) JOIN collect_reports r ON r.id = x.latest WHERE d.device_id = r.device_id`, latest); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `SELECT setval(pg_get_serial_sequence('collect_reports', 'id'), $1)`, id); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	if err := s.RebuildCounts(ctx); err != nil {
		b.Fatal(err)
	}
	newest := begin.AddDate(0, 0, 7*(perDevice-1))
	return newest.AddDate(0, 0, 1)
}

// BenchmarkDatabaseSize fills KICHECK_BENCH_SIZE_REPORTS reports (default
// 100,000: 5,000 devices × 20 weeks) through each store's own intake path
// (fillSynthetic: columns, verdicts, the real check report compressed as
// stored) and reports the database's size per 100,000 reports: SQLite's
// file (after a checkpoint) and PostgreSQL's pg_database_size less that
// of an empty collection database.
func BenchmarkDatabaseSize(b *testing.B) {
	n := envInt("KICHECK_BENCH_SIZE_REPORTS", 100_000)
	devices := min(5000, n)
	cluster := pgtest.Start(b, pgtest.Options{})
	for _, pg := range []bool{false, true} {
		name := "sqlite"
		if pg {
			name = "postgres"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				var s Store
				var err error
				var path string
				if pg {
					s, err = OpenPostgres(context.Background(), cluster.NewDatabase(b), PostgresOptions{Password: pgtest.Password})
				} else {
					path = filepath.Join(b.TempDir(), "central.db")
					s, err = OpenSQLite(context.Background(), path)
				}
				if err != nil {
					b.Fatal(err)
				}
				var empty int64
				if pg {
					DB(s).QueryRow(`SELECT pg_database_size(current_database())`).Scan(&empty)
				}
				start := time.Now()
				fillSynthetic(b, NewIntake(s, Trust{Enroll: true}), devices, n/devices)
				took := time.Since(start)
				var size int64
				if pg {
					DB(s).Exec(`VACUUM ANALYZE`)
					DB(s).QueryRow(`SELECT pg_database_size(current_database())`).Scan(&size)
					size -= empty
				} else {
					DB(s).Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
					fi, err := os.Stat(path)
					if err != nil {
						b.Fatal(err)
					}
					size = fi.Size()
				}
				s.Close()
				b.ReportMetric(float64(size)/float64(1<<20)*100_000/float64(n), "MB/100k_reports")
				b.ReportMetric(float64(n)/took.Seconds(), "rows/s_fill")
			}
		})
	}
}
