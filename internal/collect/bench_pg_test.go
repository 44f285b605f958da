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

// intakeFigures keeps the reports/s of each BenchmarkServeIntake part,
// so the last part can report the ratio measured in the same run.
var intakeFigures sync.Map

// BenchmarkServeIntake is issue 15's intake figure: the same real-shaped
// signed reports (KICHECK_BENCH_INTAKE_REPORTS, default 2,000, from 500
// devices) uploaded by 8 clients on loopback to serve processes (this
// test binary running what kicheck serve runs, with the commands' GC
// settings): into SQLite with one process, into PostgreSQL (same
// machine, fsync on) with one and with two processes. Each round starts
// from an empty database; the processes' start is not timed.
func BenchmarkServeIntake(b *testing.B) {
	n := envInt("KICHECK_BENCH_INTAKE_REPORTS", 2000)
	items := signedCorpus(b, n)
	bodies := make([][]byte, len(items))
	for i, it := range items {
		bodies[i], _ = json.Marshal(envelope{Report: base64.StdEncoding.EncodeToString(it.Data), Signature: string(it.Sig)})
	}
	cluster := pgtest.Start(b, pgtest.Options{Durable: true})
	for _, c := range []struct {
		name    string
		pg      bool
		servers int
	}{{"sqlite_1_process", false, 1}, {"postgres_1_process", true, 1}, {"postgres_2_processes", true, 2}} {
		b.Run(c.name, func(b *testing.B) {
			var total time.Duration
			rounds := 0
			for b.Loop() {
				b.StopTimer()
				db := filepath.Join(b.TempDir(), "central.db")
				if c.pg {
					db = cluster.NewDatabase(b)
				}
				var urls []string
				var cmds []interface{ Kill() error }
				for range c.servers {
					u, cmd := serveChild(b, db)
					urls = append(urls, u)
					cmds = append(cmds, cmd.Process)
				}
				b.StartTimer()
				start := time.Now()
				codes := uploadAll(urls, bodies, 8)
				total += time.Since(start)
				rounds++
				b.StopTimer()
				for _, p := range cmds {
					p.Kill()
				}
				if codes[http.StatusCreated] != n {
					b.Fatalf("answers %v", codes)
				}
				b.StartTimer()
			}
			rate := float64(n*rounds) / total.Seconds()
			b.ReportMetric(rate, "reports/s")
			intakeFigures.Store(c.name, rate)
			if sq, ok := intakeFigures.Load("sqlite_1_process"); ok && c.pg {
				b.ReportMetric(rate/sq.(float64), "×sqlite")
			}
		})
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
	b.Run("query", func(b *testing.B) {
		for b.Loop() {
			f, err := ComputeFleet(ctx, s, opts)
			if err != nil || f.Reports != reports || f.Devices != devices {
				b.Fatal(err, f.Reports, f.Devices)
			}
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
