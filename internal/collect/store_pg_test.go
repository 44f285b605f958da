package collect

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/pgtest"
	"github.com/ki-reise/kicheck/internal/store"
)

// The serve processes of these tests are this test binary started again
// with envServeDSN set: it then runs servePostgresChild, which is what
// `kicheck serve --db postgres://… --enroll` runs after reading its flags
// (Open, NewIntake, NewServer, Listen, Serve), and prints its address.
const (
	envServeDSN   = "KICHECK_TEST_SERVE_DB"
	childToken    = "child-token-0123456789abcdef0123456789"
	childListenOn = "LISTENING "
)

func init() {
	if dsn := os.Getenv(envServeDSN); dsn != "" {
		os.Exit(servePostgresChild(dsn))
	}
}

func servePostgresChild(dsn string) int {
	ctx := context.Background()
	defer asTheCommandsRun()()
	debug.SetMemoryLimit(IntakeMemoryLimit)
	s, err := Open(ctx, OpenOptions{DB: dsn, Postgres: PostgresOptions{MaxConns: 4}}) // a file, or PostgreSQL with PGPASSWORD
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 1
	}
	defer s.Close()
	tokens, err := ParseTokens("tokens", []byte(childToken+" Bauamt\n"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	h := NewServer(ServerOptions{Intake: NewIntake(s, Trust{Enroll: true}), Tokens: tokens, Rate: 1e6, Burst: 1e6, EnrollLimit: EnrollUnlimited})
	ln, err := Listen("127.0.0.1:0", "", "")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("%s%s\n", childListenOn, ln.Addr())
	if err := Serve(ctx, HTTPServer("", h), ln); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// serveChild starts a serve process on dsn (or an SQLite file) and
// returns its URL.
func serveChild(t testing.TB, dsn string) (url string, cmd *exec.Cmd) {
	t.Helper()
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envServeDSN+"="+dsn, "PGPASSWORD="+pgtest.Password)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, childListenOn) {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("serve process: %q %v: %s", line, err, stderr.String())
	}
	return "http://" + strings.TrimSpace(strings.TrimPrefix(line, childListenOn)), cmd
}

// upload posts one report and returns the status (0: no answer).
func upload(client *http.Client, url string, it Item) int {
	body, _ := json.Marshal(envelope{Report: base64.StdEncoding.EncodeToString(it.Data), Signature: string(it.Sig)})
	req, _ := http.NewRequest(http.MethodPost, url+UploadPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+childToken)
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// storedSHAs reads the stored reports' digests and fails on a digest
// stored twice.
func storedSHAs(t *testing.T, db testDB) map[string]bool {
	t.Helper()
	rows, err := db.Query(`SELECT sha256 FROM collect_reports`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var sha string
		rows.Scan(&sha)
		if out[sha] {
			t.Errorf("report %s stored twice", sha)
		}
		out[sha] = true
	}
	return out
}

func shaOf(it Item) string {
	sum := sha256.Sum256(it.Data)
	return hex.EncodeToString(sum[:])
}

func freeLoopbackPort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// TestPostgresTwoServersRace: two serve processes on one database, 8
// clients uploading 48 reports of 12 devices, each report to both
// servers at the same moment. Afterwards every report is stored once, it
// got exactly one 201 (the other server answered 409), the stored set is
// the set of 201 answers, and the overview's counters (spread over the
// servers' shards) equal a count from scratch.
func TestPostgresTwoServersRace(t *testing.T) {
	cluster := pgtest.Shared(t)
	dsn := cluster.NewDatabase(t)
	items := signedCorpus(t, 48)
	// Both start at once on an empty database: the migration runs once.
	urls := make([]string, 2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, _ := serveChild(t, dsn)
			mu.Lock()
			urls[i] = u
			mu.Unlock()
		}()
	}
	wg.Wait()
	if urls[0] == "" || urls[1] == "" {
		t.FailNow()
	}
	type job struct{ item, server int }
	jobs := make(chan job)
	go func() {
		for i := range items {
			jobs <- job{i, 0}
			jobs <- job{i, 1}
		}
		close(jobs)
	}()
	answers := make([][2]int, len(items))
	client := &http.Client{Timeout: time.Minute}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				code := upload(client, urls[j.server], items[j.item])
				mu.Lock()
				answers[j.item][j.server] = code
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	db := openExisting(t, dsn)
	stored := storedSHAs(t, db)
	created := map[string]bool{}
	for i, a := range answers {
		n201 := 0
		for _, code := range a {
			if code == http.StatusCreated {
				n201++
			} else if code != http.StatusConflict {
				t.Errorf("report %d: answers %v", i, a)
			}
		}
		if n201 != 1 {
			t.Errorf("report %d: answers %v, want one 201 and one 409", i, a)
		}
		if n201 > 0 {
			created[shaOf(items[i])] = true
		}
	}
	if len(stored) != len(items) || len(created) != len(items) {
		t.Errorf("%d stored, %d answered 201, %d uploaded", len(stored), len(created), len(items))
	}
	for sha := range created {
		if !stored[sha] {
			t.Errorf("answered 201 but not stored: %s", sha)
		}
	}
	compareCounts(t, db, -1)
	f, err := ComputeFleet(context.Background(), db, FleetOptions{})
	if err != nil || f.Devices != 12 || f.Reports != 48 {
		t.Fatalf("overview: %v %+v", err, f)
	}
}

// TestPostgresKilledServerLosesNothing: two serve processes on one
// database, 8 clients uploading 64 different reports to both in turn;
// one server is killed with SIGKILL in the middle. Every report answered
// 201 is stored, and the reports that got no answer, sent again to the
// surviving server, are stored once (201, or 409 when the killed server
// had committed them before it died).
func TestPostgresKilledServerLosesNothing(t *testing.T) {
	cluster := pgtest.Shared(t)
	dsn := cluster.NewDatabase(t)
	items := signedCorpus(t, 64)
	urlA, cmdA := serveChild(t, dsn)
	urlB, _ := serveChild(t, dsn)
	jobs := make(chan int)
	go func() {
		for i := range items {
			jobs <- i
		}
		close(jobs)
	}()
	codes := make([]int, len(items))
	var mu sync.Mutex
	var wg sync.WaitGroup
	answered := 0
	killed := make(chan struct{})
	var killOnce sync.Once
	client := &http.Client{Timeout: time.Minute}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				url := urlA
				if i%2 == 1 {
					url = urlB
				}
				code := upload(client, url, items[i])
				mu.Lock()
				codes[i] = code
				answered++
				if answered == 16 {
					killOnce.Do(func() { cmdA.Process.Signal(syscall.SIGKILL); close(killed) })
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	<-killed
	lost := 0
	for i, code := range codes {
		switch code {
		case http.StatusCreated:
		case 0, http.StatusInternalServerError, http.StatusServiceUnavailable:
			lost++
			again := upload(client, urlB, items[i])
			if again != http.StatusCreated && again != http.StatusConflict {
				t.Errorf("report %d sent again: %d", i, again)
			}
		default:
			t.Errorf("report %d: %d", i, code)
		}
	}
	if lost == 0 {
		t.Log("the killed server had answered all of its uploads (none in flight at the kill)")
	}
	db := openExisting(t, dsn)
	stored := storedSHAs(t, db)
	for i, code := range codes {
		if code == http.StatusCreated && !stored[shaOf(items[i])] {
			t.Errorf("report %d answered 201 but is not stored", i)
		}
	}
	if len(stored) != len(items) {
		t.Errorf("%d stored of %d", len(stored), len(items))
	}
	compareCounts(t, db, -1)
	t.Logf("%d uploads without answer from the killed server, sent again", lost)
}

// openExisting opens dsn in this process.
func openExisting(t *testing.T, dsn string) testDB {
	t.Helper()
	s, err := OpenPostgres(context.Background(), dsn, PostgresOptions{Password: pgtest.Password})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return testDB{s}
}

// TestPostgresOpenFaults: what a person gets for a wrong DSN, a refused
// login, a missing database, a server not there, a password in the
// command line and a database of a newer schema; each message names the
// database without its password and has a hint.
func TestPostgresOpenFaults(t *testing.T) {
	cluster := pgtest.Shared(t)
	ctx := context.Background()
	dsn := cluster.NewDatabase(t)
	free, err := freeLoopbackPort()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, dsn, password, id string
	}{
		{"unreadable URL", "postgres://kicheck@127.0.0.1:notaport/x", pgtest.Password, "pg.bad_dsn"},
		{"wrong password", dsn, "wrong-secret-pw", "pg.login_refused"},
		{"no such database", cluster.DSN("nosuchdb"), pgtest.Password, "pg.no_database"},
		{"nobody listening", fmt.Sprintf("postgres://kicheck@127.0.0.1:%d/x?connect_timeout=3", free), pgtest.Password, "pg.unreachable"},
		{"password in the URL", strings.Replace(dsn, "kicheck@", "kicheck:"+pgtest.Password+"@", 1), "", "pg.password_in_dsn"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := OpenPostgres(ctx, c.dsn, PostgresOptions{Password: c.password, Lang: "en", ConnectTimeout: 5 * time.Second})
			var de *DBError
			if !errors.As(err, &de) || de.ID != c.id {
				t.Fatalf("got %v, want %s", err, c.id)
			}
			for _, lang := range []string{"de", "en"} {
				e := de.Localize(lang)
				text, hint := e.Error(), e.Hint()
				if hint == "" || hint == e.ID+".hint" || strings.Contains(text, "pg.") {
					t.Errorf("%s: message %q hint %q", lang, text, hint)
				}
				for _, secret := range []string{pgtest.Password, "wrong-secret-pw"} {
					if strings.Contains(text, secret) || strings.Contains(hint, secret) {
						t.Errorf("%s: the password is in the message: %q", lang, text)
					}
				}
			}
		})
	}
	t.Run("newer schema", func(t *testing.T) {
		s, err := OpenPostgres(ctx, dsn, PostgresOptions{Password: pgtest.Password})
		if err != nil {
			t.Fatal(err)
		}
		db := testDB{s}
		if _, err := db.Exec(`INSERT INTO schema_migrations (component, version) VALUES ('collect', 99)`); err != nil {
			t.Fatal(err)
		}
		before := schemaState(t, cluster, dsn)
		s.Close()
		_, err = OpenPostgres(ctx, dsn, PostgresOptions{Password: pgtest.Password, Lang: "en"})
		var de *DBError
		if !errors.As(err, &de) || de.ID != "pg.newer_schema" || !errors.Is(err, store.ErrNewerSchema) || !strings.Contains(de.Hint(), "unchanged") {
			t.Fatalf("got %v", err)
		}
		if after := schemaState(t, cluster, dsn); after != before {
			t.Errorf("the database changed:\n%s\n%s", before, after)
		}
	})
	t.Run("newer schema in an otherwise empty database", func(t *testing.T) {
		dsn := cluster.NewDatabase(t)
		name := dsn[strings.LastIndex(dsn, "/")+1 : strings.Index(dsn, "?")]
		if _, err := cluster.SQL(name, `CREATE TABLE schema_migrations (component TEXT NOT NULL, version INTEGER NOT NULL, applied TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (component, version));
			INSERT INTO schema_migrations (component, version) VALUES ('collect', 7)`); err != nil {
			t.Fatal(err)
		}
		_, err := OpenPostgres(ctx, dsn, PostgresOptions{Password: pgtest.Password})
		if !errors.Is(err, store.ErrNewerSchema) {
			t.Fatalf("got %v", err)
		}
		if tables, _ := cluster.SQL(name, `SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'`); tables != "schema_migrations" {
			t.Errorf("tables after the refusal: %s", tables)
		}
	})
}

// schemaState is what a refused open must leave as it was: the tables
// and the migration rows.
func schemaState(t *testing.T, c *pgtest.Cluster, dsn string) string {
	t.Helper()
	name := dsn[strings.LastIndex(dsn, "/")+1 : strings.Index(dsn, "?")]
	out, err := c.SQL(name, `SELECT (SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public') || ' ' ||
		(SELECT string_agg(component || version, ',' ORDER BY component, version) FROM schema_migrations)`)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPostgresGoesAwayAndComesBack: the server is stopped in the middle
// of an intake and started again. A store while it is away waits and
// goes through once it is back; one that waits longer than RetryFor
// fails with a clear message and /healthz says 503; afterwards the
// intake resumes, and no report is lost or stored twice.
func TestPostgresGoesAwayAndComesBack(t *testing.T) {
	cluster := pgtest.Start(t, pgtest.Options{})
	ctx := context.Background()
	dsn := cluster.NewDatabase(t)
	s, err := OpenPostgres(ctx, dsn, PostgresOptions{Password: pgtest.Password, RetryFor: 30 * time.Second, ConnectTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	items := signedCorpus(t, 12)
	in := NewIntake(s, Trust{Enroll: true})
	if sum := runItems(t, in, items[:4]...); sum.Accepted != 4 {
		t.Fatalf("%+v", sum)
	}
	// Away for two seconds in the middle of an intake: it waits and then stores.
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	done := make(chan Summary)
	go func() { done <- runItems(t, in, items[4:8]...) }()
	time.Sleep(2 * time.Second)
	if err := cluster.Restart(); err != nil {
		t.Fatal(err)
	}
	if sum := <-done; sum.Accepted != 4 || sum.Duplicate != 0 {
		t.Fatalf("after the restart: %+v", sum)
	}
	// Away for longer than the store waits: an error that says so, and
	// the load balancer's check says 503.
	short, err := OpenPostgres(ctx, dsn, PostgresOptions{Password: pgtest.Password, RetryFor: time.Second, ConnectTimeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { short.Close() })
	srv := NewServer(ServerOptions{Intake: NewIntake(short, Trust{Enroll: true}), Tokens: &Tokens{}})
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	_, err = NewIntake(short, Trust{Enroll: true}).Add(ctx, items[8:10])
	if err == nil {
		t.Fatal("stored while the database was away")
	}
	if !retryable(errors.Unwrap(err)) && !retryable(err) {
		t.Errorf("not seen as the server gone: %v", err)
	}
	if code := healthz(srv); code != http.StatusServiceUnavailable {
		t.Errorf("/healthz while away: %d", code)
	}
	if err := cluster.Restart(); err != nil {
		t.Fatal(err)
	}
	if code := healthz(srv); code != http.StatusOK {
		t.Errorf("/healthz after the restart: %d", code)
	}
	// The intake resumes: the rest is stored, what was stored is a duplicate.
	sum := runItems(t, in, items...)
	if sum.Accepted != 4 || sum.Duplicate != 8 {
		t.Fatalf("after the outage: %s", sum.Line("en"))
	}
	db := testDB{s}
	if n := len(storedSHAs(t, db)); n != 12 {
		t.Errorf("%d reports stored, want 12", n)
	}
	compareCounts(t, db, -1)
}

func healthz(h http.Handler) int {
	rec := &statusRecorder{header: http.Header{}}
	req, _ := http.NewRequest(http.MethodGet, HealthzPath, nil)
	h.ServeHTTP(rec, req)
	return rec.code
}

type statusRecorder struct {
	header http.Header
	code   int
}

func (r *statusRecorder) Header() http.Header { return r.header }
func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return len(b), nil
}
func (r *statusRecorder) WriteHeader(code int) { r.code = code }

// TestRedactDSN: a password never survives into a message.
func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://kicheck:geheim@db.example:5432/kicheck?sslmode=require": "postgres://kicheck:xxxxx@db.example:5432/kicheck?sslmode=require",
		"postgresql://db.example/kicheck?password=geheim&user=k":            "postgresql://db.example/kicheck?password=xxxxx&user=k",
		"postgres://kicheck@db.example/kicheck":                             "postgres://kicheck@db.example/kicheck",
		"host=db.example password=geheim user=kicheck":                      "host=db.example password=xxxxx user=kicheck",
		"host=db.example password='ge heim' user=kicheck":                   "host=db.example password=xxxxx user=kicheck",
	} {
		if got := RedactDSN(in); got != want {
			t.Errorf("RedactDSN(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(RedactDSN(in), "geheim") || strings.Contains(RedactDSN(in), "heim'") {
			t.Errorf("%q keeps the password", in)
		}
	}
}

// TestPostgresReadOnlyDatabase: a database that takes no writes (a
// standby the URL still names after a failover; here
// default_transaction_read_only) is said as such: the upload gets 500
// database_readonly, /api/v1/health the same problem, /healthz stays 200
// (the database answers; the operator sees the problem in the health
// answer and the log).
func TestPostgresReadOnlyDatabase(t *testing.T) {
	cluster := pgtest.Shared(t)
	dsn := cluster.NewDatabase(t)
	openExisting(t, dsn).Close() // the tables, made while it is writable
	name := dsn[strings.LastIndex(dsn, "/")+1 : strings.Index(dsn, "?")]
	if _, err := cluster.SQL("postgres", "ALTER DATABASE "+name+" SET default_transaction_read_only = on"); err != nil {
		t.Fatal(err)
	}
	s := openExisting(t, dsn)
	tokens, _ := ParseTokens("tokens", []byte(childToken+" Bauamt\n"))
	srv := NewServer(ServerOptions{Intake: NewIntake(s, Trust{Enroll: true}), Tokens: tokens, Lang: "en"})
	ts := httpServer(t, srv)
	it := signedCorpus(t, 1)[0]
	code, ae := postJSON(t, ts, childToken, it.Data, it.Sig)
	if code != http.StatusInternalServerError || ae.Error != "database_readonly" {
		t.Fatalf("upload to a read-only database: %d %+v", code, ae)
	}
	resp, err := http.Get(ts + "/api/v1/health")
	if err != nil {
		t.Fatal(err)
	}
	var h healthAnswer
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || h.Problem != "database_readonly" {
		t.Errorf("health: %d %+v", resp.StatusCode, h)
	}
	if code := healthz(srv); code != http.StatusOK {
		t.Errorf("/healthz: %d", code)
	}
}
