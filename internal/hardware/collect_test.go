package hardware

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The inventory of the machine the tests run on: every section is read,
// and the figures agree with what the kernel says in /proc.
func TestCollectThisMachine(t *testing.T) {
	var progress []Progress
	inv := Collect(context.Background(), Options{DataDir: t.TempDir(), Progress: func(p Progress) { progress = append(progress, p) }})
	if !inv.Complete || inv.SchemaVersion != SchemaVersion {
		t.Errorf("complete=%v schema=%d", inv.Complete, inv.SchemaVersion)
	}
	if len(progress) != 7 || progress[6].Done != 7 || progress[6].Total != 7 {
		t.Errorf("progress calls = %+v, want 7 ending at 7/7", progress)
	}
	for _, s := range []struct {
		name string
		st   Status
		why  string
	}{
		{"cpu", inv.CPU.Status, inv.CPU.Reason}, {"memory", inv.Memory.Status, inv.Memory.Reason},
		{"gpus", inv.GPUs.Status, inv.GPUs.Reason}, {"npus", inv.NPUs.Status, inv.NPUs.Reason},
		{"disk", inv.Disk.Status, inv.Disk.Reason}, {"system", inv.System.Status, inv.System.Reason},
		{"power", inv.Power.Status, inv.Power.Reason},
	} {
		if s.st != StatusOK {
			t.Errorf("section %s: %s (%s)", s.name, s.st, s.why)
		}
	}
	c := inv.CPU.Value
	if c.Threads < 1 || c.PhysicalCores < 1 || c.PhysicalCores > c.Threads || c.Model == "" || c.Arch != runtime.GOARCH {
		t.Errorf("cpu = %+v", c)
	}
	m := inv.Memory.Value
	if m.TotalBytes == 0 || m.AvailableBytes == 0 || m.AvailableBytes > m.TotalBytes {
		t.Errorf("memory = %+v", m)
	}
	d := inv.Disk.Value
	if d.TotalBytes == 0 || d.FreeBytes > d.TotalBytes || d.Path == "" {
		t.Errorf("disk = %+v", d)
	}
	if inv.System.Value.OS != runtime.GOOS {
		t.Errorf("os = %q", inv.System.Value.OS)
	}
	if runtime.GOOS != "linux" {
		return
	}
	// Cross-check with the kernel's own view.
	info := procCPUInfo(t)
	if n := strings.Count(info, "\nprocessor\t") + boolInt(strings.HasPrefix(info, "processor\t")); n != c.Threads {
		t.Errorf("threads = %d, /proc/cpuinfo lists %d processors", c.Threads, n)
	}
	if runtime.GOARCH == "amd64" {
		flags := cpuinfoFlags(info)
		for name, got := range map[string]bool{
			"sse4_2": c.Flags.SSE42, "avx": c.Flags.AVX, "avx2": c.Flags.AVX2, "fma": c.Flags.FMA,
			"avx512f": c.Flags.AVX512F, "avx512_vnni": c.Flags.AVX512VNNI, "avx512_bf16": c.Flags.AVX512BF16,
			"avx_vnni": c.Flags.AVXVNNI, "amx_tile": c.Flags.AMXTile, "amx_int8": c.Flags.AMXInt8,
		} {
			if got != flags[name] {
				t.Errorf("flag %s = %v, /proc/cpuinfo says %v", name, got, flags[name])
			}
		}
	}
	if sys := inv.System.Value; sys.ChassisType == "" && cpuinfoFlags(info)["hypervisor"] && sys.FormFactor != "virtual" {
		t.Errorf("no chassis type and a hypervisor flag, but form factor %q", sys.FormFactor)
	}
	if total := procMemTotal(t); total != m.TotalBytes {
		t.Errorf("memory total = %d, /proc/meminfo says %d", m.TotalBytes, total)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func procCPUInfo(t *testing.T) string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func cpuinfoFlags(info string) map[string]bool {
	flags := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(info))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "flags" {
			for _, f := range strings.Fields(v) {
				flags[f] = true
			}
			break
		}
	}
	return flags
}

func procMemTotal(t *testing.T) uint64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb, ok := parseSysfsUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if !ok {
				t.Fatalf("MemTotal line %q", line)
			}
			return kb * 1024
		}
	}
	t.Fatal("no MemTotal in /proc/meminfo")
	return 0
}

// faultySources returns the real readers with the GPU reader replaced by
// an injected fault: the fakes stand in for a hanging WMI query or sysfs
// read, which this machine cannot produce on demand.
func faultySources(gpus func(context.Context, *collector) (GPUList, error)) *sources {
	s := defaultSources()
	s.gpus = gpus
	return s
}

func TestHangingSectionEndsUnknownAtItsTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	// Ignores its context, like a stuck OS call.
	hang := func(context.Context, *collector) (GPUList, error) { <-release; return GPUList{}, nil }
	opts := Options{DataDir: t.TempDir(), SectionTimeout: 300 * time.Millisecond, sources: faultySources(hang)}
	start := time.Now()
	inv := Collect(context.Background(), opts)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Collect took %s with a 300ms section timeout", took)
	}
	if inv.GPUs.Status != StatusUnknown || inv.GPUs.Reason != "no answer within 300ms" {
		t.Errorf("gpus = %+v", inv.GPUs)
	}
	if !inv.CPU.Known() || !inv.Memory.Known() || !inv.Disk.Known() {
		t.Errorf("other sections were affected: cpu %v, memory %v, disk %v", inv.CPU.Reason, inv.Memory.Reason, inv.Disk.Reason)
	}
	if !inv.Complete {
		t.Error("a timed-out section is an answer (unknown); the collection is complete")
	}
	b, err := json.Marshal(inv.GPUs)
	if err != nil || string(b) != `{"status":"unknown","reason":"no answer within 300ms"}` {
		t.Errorf("JSON of the unknown section = %s, %v", b, err)
	}
}

func TestFailingAndPanickingSections(t *testing.T) {
	src := faultySources(func(context.Context, *collector) (GPUList, error) {
		return GPUList{}, errors.New("open /sys/class/drm: permission denied")
	})
	src.power = func(context.Context, *collector) (Power, error) { panic("index out of range") }
	inv := Collect(context.Background(), Options{DataDir: t.TempDir(), sources: src})
	if inv.GPUs.Known() || inv.GPUs.Reason != "open /sys/class/drm: permission denied" {
		t.Errorf("gpus = %+v", inv.GPUs)
	}
	if inv.Power.Known() || !strings.Contains(inv.Power.Reason, "internal error: index out of range") {
		t.Errorf("power = %+v", inv.Power)
	}
	if !inv.CPU.Known() || !inv.System.Known() {
		t.Error("other sections were affected")
	}
}

func TestCancelKeepsFinishedSectionsAndMarksIncomplete(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	src := faultySources(func(ctx context.Context, _ *collector) (GPUList, error) { <-release; return GPUList{}, nil })
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	finished := map[string]bool{}
	opts := Options{DataDir: t.TempDir(), SectionTimeout: time.Minute, sources: src, Progress: func(p Progress) {
		mu.Lock()
		finished[p.Section] = true
		if p.Done == p.Total-1 {
			cancel() // every section but the hanging one is done
		}
		mu.Unlock()
	}}
	inv := Collect(ctx, opts)
	if inv.Complete {
		t.Error("complete = true after cancel")
	}
	if inv.GPUs.Known() || inv.GPUs.Reason != "cancelled before it finished" {
		t.Errorf("gpus = %+v", inv.GPUs)
	}
	if !inv.CPU.Known() || !inv.Memory.Known() || !finished[SectionCPU] {
		t.Errorf("finished sections lost: cpu %+v", inv.CPU)
	}
}

func TestInventoryJSONRoundTrip(t *testing.T) {
	inv := Collect(context.Background(), Options{DataDir: t.TempDir()})
	inv.NPUs = unknown[NPUList]("no answer within 3s")
	b, err := json.Marshal(inv)
	if err != nil {
		t.Fatal(err)
	}
	var back Inventory
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.CPU, inv.CPU) || !reflect.DeepEqual(back.Memory, inv.Memory) || !reflect.DeepEqual(back.NPUs, inv.NPUs) || !back.CollectedAt.Equal(inv.CollectedAt) {
		t.Errorf("round trip changed the inventory:\n%s", b)
	}
	// The JSON is flat per section: status next to the fields.
	var generic map[string]any
	_ = json.Unmarshal(b, &generic)
	cpu := generic["cpu"].(map[string]any)
	if cpu["status"] != "ok" || cpu["threads"] == nil || cpu["flags"] == nil {
		t.Errorf("cpu JSON = %v", cpu)
	}
	npus := generic["npus"].(map[string]any)
	if len(npus) != 2 || npus["reason"] != "no answer within 3s" {
		t.Errorf("unknown section JSON = %v", npus)
	}
}
