package axetest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Violation is one axe rule a page breaks, with the CSS selectors of the
// elements that break it.
type Violation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// Result is axe's verdict on one page, and the page's width at a 320 CSS px
// viewport when it scrolls horizontally (0 when it reflows).
type Result struct {
	Name           string      `json:"-"`
	File           string      `json:"file"`
	Axe            string      `json:"axe"`
	Violations     []Violation `json:"violations"`
	ScrollWidth320 int         `json:"scrollWidth320"`
}

// Nodes counts the elements over all violations.
func (r Result) Nodes() int {
	n := 0
	for _, v := range r.Violations {
		n += len(v.Nodes)
	}
	return n
}

// required says whether a missing browser fails the test instead of
// skipping it.
func required() bool {
	return os.Getenv("KICHECK_REQUIRE_A11Y") == "1" || os.Getenv("CI") != ""
}

func unavailable(t testing.TB, why string) {
	t.Helper()
	if required() {
		t.Fatalf("axe-core cannot run: %s; run scripts/deps.sh test", why)
	}
	t.Skipf("axe-core cannot run: %s (run scripts/deps.sh test; required with KICHECK_REQUIRE_A11Y=1 or in CI)", why)
}

// scriptDir finds scripts/a11y above the test's working directory.
func scriptDir() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "scripts", "a11y")
		}
		up := filepath.Dir(dir)
		if up == dir {
			return ""
		}
		dir = up
	}
}

// ready finds node and checks that Chromium and the npm packages are
// there; it skips or fails the test (see required) when not.
func ready(t testing.TB) (node, dir string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		unavailable(t, "node is not installed")
	}
	if os.Getenv("CHROMIUM") == "" {
		found := false
		for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
			if _, err := os.Stat(p); err == nil {
				found = true
			}
		}
		if !found {
			unavailable(t, "chromium is not installed")
		}
	}
	dir = scriptDir()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")); err != nil {
		unavailable(t, "the npm packages in scripts/a11y are not installed (npm ci there)")
	}
	return node, dir
}

// RunScript runs scripts/a11y/NAME with args in node (the system Chromium
// through puppeteer-core, as axe.mjs) and returns what it printed on
// standard output; it fails the test when the script fails. Without node,
// Chromium or the npm packages it skips or fails as Check does.
func RunScript(t testing.TB, timeout time.Duration, name string, args ...string) []byte {
	t.Helper()
	node, dir := ready(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join(dir, name)}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s\n%s", name, err, out, stderr.String())
	}
	return out
}

// Check writes the pages into a temporary folder and runs axe on each, in
// one browser. Results come back sorted by name.
func Check(t testing.TB, pages map[string][]byte) []Result {
	t.Helper()
	node, dir := ready(t)
	tmp := t.TempDir()
	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	sort.Strings(names)
	args := []string{filepath.Join(dir, "axe.mjs")}
	byFile := map[string]string{}
	for _, name := range names {
		p := filepath.Join(tmp, filepath.Base(name))
		if err := os.WriteFile(p, pages[name], 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
		byFile[p] = name
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("axe.mjs: %v\n%s", err, stderr.String())
	}
	var res []Result
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var r Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("axe.mjs printed %q: %v", line, err)
		}
		r.Name = byFile[r.File]
		res = append(res, r)
	}
	if len(res) != len(names) {
		t.Fatalf("axe.mjs judged %d of %d pages\n%s", len(res), len(names), stderr.String())
	}
	return res
}

// RequireClean fails the test for every violation and for every page that
// scrolls horizontally at 320 CSS px, and logs the counts.
func RequireClean(t testing.TB, res []Result) {
	t.Helper()
	for _, r := range res {
		t.Logf("axe %s: %s: %d violations (%d elements), width at 320 px: %d", r.Axe, r.Name, len(r.Violations), r.Nodes(), max(r.ScrollWidth320, 320))
		for _, v := range r.Violations {
			t.Errorf("%s: axe %s (%s): %s, at %s", r.Name, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, ", "))
		}
		if r.ScrollWidth320 > 0 {
			t.Errorf("%s: scrolls horizontally at 320 CSS px (page %d px wide); WCAG 1.4.10 wants reflow", r.Name, r.ScrollWidth320)
		}
	}
}
