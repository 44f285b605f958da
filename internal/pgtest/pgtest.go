package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// EnvRequire makes a missing PostgreSQL a test failure instead of a skip.
const EnvRequire = "KICHECK_REQUIRE_POSTGRES"

// User and Password of the cluster's superuser.
const (
	User     = "kicheck"
	Password = "kicheck-test-password"
)

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	Dir  string // base folder: data/, the socket, the log
	Host string // 127.0.0.1
	Port int
	bin  string
	// runAs is the unprivileged user the server runs as when the tests
	// run as root; empty otherwise.
	runAs    string
	mu       sync.Mutex
	running  bool
	opts     Options
	dbSerial int
}

// Options tune the cluster.
type Options struct {
	// Durable keeps fsync on (benchmarks); tests run without it.
	Durable bool
}

// Bin returns the folder with initdb, pg_ctl and postgres: the one on
// PATH, else the newest /usr/lib/postgresql/*/bin (Debian).
func Bin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(r), nil
		}
		return filepath.Dir(p), nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool {
		a, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[i])))
		b, _ := strconv.Atoi(filepath.Base(filepath.Dir(dirs[j])))
		return a > b
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL found (initdb not on PATH and no /usr/lib/postgresql/*/bin); install the postgresql package (scripts/deps.sh test)")
}

// Start starts a cluster for t and stops it when t ends. It skips t when
// no PostgreSQL is installed, unless KICHECK_REQUIRE_POSTGRES=1.
func Start(t testing.TB, opts Options) *Cluster {
	t.Helper()
	c, err := start(opts)
	if err != nil {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("PostgreSQL: %v", err)
		}
		t.Skipf("PostgreSQL: %v (set %s=1 to fail instead)", err, EnvRequire)
	}
	t.Cleanup(c.Close)
	return c
}

func start(opts Options) (*Cluster, error) {
	bin, err := Bin()
	if err != nil {
		return nil, err
	}
	base, err := os.MkdirTemp("", "kicheck-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: base, Host: "127.0.0.1", bin: bin, opts: opts}
	if os.Geteuid() == 0 {
		// initdb and postgres refuse to run as root.
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(base)
			return nil, fmt.Errorf("running as root and there is no user postgres to run the server as (Debian's postgresql package creates it): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(base, uid, gid); err != nil {
			os.RemoveAll(base)
			return nil, err
		}
		os.Chmod(base, 0o755)
		c.runAs = "postgres"
	}
	pwfile := filepath.Join(base, "pwfile")
	if err := os.WriteFile(pwfile, []byte(Password+"\n"), 0o644); err != nil {
		os.RemoveAll(base)
		return nil, err
	}
	if out, err := c.cmd("initdb", "-D", c.data(), "-U", User, "--pwfile", pwfile, "--auth-local=trust",
		"--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(base)
		return nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	if err := c.Restart(); err != nil {
		os.RemoveAll(base)
		return nil, err
	}
	return c, nil
}

func (c *Cluster) data() string { return filepath.Join(c.Dir, "data") }

// cmd runs a PostgreSQL program, as the unprivileged user when root.
func (c *Cluster) cmd(name string, args ...string) *exec.Cmd {
	path := filepath.Join(c.bin, name)
	if c.runAs != "" {
		return exec.Command("runuser", append([]string{"-u", c.runAs, "--", path}, args...)...)
	}
	return exec.Command(path, args...)
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Restart starts the server (again, after Stop), on the same port.
func (c *Cluster) Restart() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return nil
	}
	if c.Port == 0 {
		p, err := freePort()
		if err != nil {
			return err
		}
		c.Port = p
	}
	o := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=60", c.Port, c.Dir)
	if !c.opts.Durable {
		o += " -c fsync=off -c full_page_writes=off"
	}
	if out, err := c.cmd("pg_ctl", "-D", c.data(), "-l", filepath.Join(c.Dir, "log"), "-o", o, "-w", "-t", "60", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.Dir, "log"))
		return fmt.Errorf("pg_ctl start: %v: %s\n%s", err, out, log)
	}
	c.running = true
	return nil
}

// Stop stops the server (fast shutdown: sessions are ended).
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.running {
		return nil
	}
	if out, err := c.cmd("pg_ctl", "-D", c.data(), "-m", "fast", "-w", "-t", "60", "stop").CombinedOutput(); err != nil {
		return fmt.Errorf("pg_ctl stop: %v: %s", err, out)
	}
	c.running = false
	return nil
}

// Close stops the server and removes its folder.
func (c *Cluster) Close() {
	c.Stop()
	os.RemoveAll(c.Dir)
}

// DSN is the URL of database db on the cluster, without the password
// (give Password separately, as the commands want it).
func (c *Cluster) DSN(db string) string {
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", User, c.Host, c.Port, db)
}

// SQL runs statements with psql as the superuser in database db.
func (c *Cluster) SQL(db, sql string) (string, error) {
	cmd := exec.Command(filepath.Join(c.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", c.Host, "-p", strconv.Itoa(c.Port), "-U", User, "-d", db, "-c", sql)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+Password)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("psql: %v: %s", err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// Tool is the path of a PostgreSQL program (pg_dump, pg_restore, psql …).
func (c *Cluster) Tool(name string) string { return filepath.Join(c.bin, name) }

// SQLFile runs a file of statements with psql as the superuser in
// database db (statements such as CREATE DATABASE that may not run in a
// transaction block are fine here, unlike in SQL).
func (c *Cluster) SQLFile(db, path string) (string, error) {
	cmd := exec.Command(filepath.Join(c.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-h", c.Host, "-p", strconv.Itoa(c.Port), "-U", User, "-d", db, "-f", path)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+Password)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("psql -f %s: %v: %s", path, err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// NewDatabase creates a fresh database and returns its DSN.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	c.mu.Lock()
	c.dbSerial++
	name := fmt.Sprintf("t%d_%d", c.dbSerial, time.Now().UnixNano()%1e6)
	c.mu.Unlock()
	if _, err := c.SQL("postgres", "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return c.DSN(name)
}

// Shared is one cluster for a whole test binary: started by the first
// caller, stopped by the cleanup of Main (see SharedCleanup).
var (
	sharedOnce sync.Once
	shared     *Cluster
	sharedErr  error
)

// Shared returns the test binary's shared cluster (skips or fails like
// Start). Call StopShared from TestMain after m.Run.
func Shared(t testing.TB) *Cluster {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = start(Options{}) })
	if sharedErr != nil {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("PostgreSQL: %v", sharedErr)
		}
		t.Skipf("PostgreSQL: %v (set %s=1 to fail instead)", sharedErr, EnvRequire)
	}
	return shared
}

// StopShared stops the shared cluster, if one was started.
func StopShared() {
	if shared != nil {
		shared.Close()
	}
}
