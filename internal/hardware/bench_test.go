package hardware

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jaypipes/ghw"
	"github.com/jaypipes/pcidb"
)

// Run all together so the ratios come from one run:
//
//	go test -run XXX -bench . -benchtime 20x ./internal/hardware/
//
// BenchmarkCollect is the whole inventory of this machine. The PCI
// benchmarks show why KI-Check hands ghw an empty PCI database: ghw's
// default loads and parses the whole pci.ids on every call
// (BenchmarkPCIListWithFullDB), while the empty database plus a lazy
// lookup of the few GPU/NPU names (BenchmarkPCIListEmptyDB +
// BenchmarkPCINamesLazy) reads only what is shown.

func BenchmarkCollect(b *testing.B) {
	dir := b.TempDir()
	for b.Loop() {
		inv := Collect(context.Background(), Options{DataDir: dir})
		if !inv.CPU.Known() || !inv.GPUs.Known() {
			b.Fatalf("cpu %q, gpus %q", inv.CPU.Reason, inv.GPUs.Reason)
		}
	}
}

// BenchmarkSections measures each section on its own.
func BenchmarkSections(b *testing.B) {
	c := &collector{root: "/", opts: Options{DataDir: b.TempDir(), NvidiaSMI: "-"}}
	src := defaultSources()
	for _, s := range []struct {
		name string
		run  func(context.Context, *collector) error
	}{
		{SectionCPU, func(ctx context.Context, c *collector) error { _, err := src.cpu(ctx, c); return err }},
		{SectionMemory, func(ctx context.Context, c *collector) error { _, err := src.memory(ctx, c); return err }},
		{SectionGPUs, func(ctx context.Context, c *collector) error { _, err := src.gpus(ctx, c); return err }},
		{SectionNPUs, func(ctx context.Context, c *collector) error { _, err := src.npus(ctx, c); return err }},
		{SectionDisk, func(ctx context.Context, c *collector) error { _, err := src.disk(ctx, c); return err }},
		{SectionSystem, func(ctx context.Context, c *collector) error { _, err := src.system(ctx, c); return err }},
		{SectionPower, func(ctx context.Context, c *collector) error { _, err := src.power(ctx, c); return err }},
	} {
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				if err := s.run(context.Background(), c); err != nil {
					b.Skip(err)
				}
			}
		})
	}
}

// pciIDsForBench is this machine's pci.ids, or, where none is installed
// (Windows-like CI), a generated file of the same size and shape.
func pciIDsForBench(b *testing.B) string {
	for _, p := range defaultPCIIDsPaths {
		if !strings.HasSuffix(p, ".gz") {
			if _, err := os.Stat("/" + p); err == nil {
				return "/" + p
			}
		}
	}
	p := filepath.Join(b.TempDir(), "pci.ids")
	var sb strings.Builder
	// pci.ids 2023: ~2,500 vendors, ~20,000 devices, ~17,000 subsystems.
	for v := 0x1000; v < 0x1000+2500; v++ {
		fmt.Fprintf(&sb, "%04x  Vendor %d Corporation\n", v, v)
		for d := 0; d < 8; d++ {
			fmt.Fprintf(&sb, "\t%04x  Device family %d [Product %d]\n", d*16, d, d)
			if d%2 == 0 {
				fmt.Fprintf(&sb, "\t\t%04x %04x  Subsystem board %d\n", v, d, d)
				fmt.Fprintf(&sb, "\t\t1028 %04x  Dell board %d\n", d, d)
				fmt.Fprintf(&sb, "\t\t17aa %04x  Lenovo board %d\n", d, d)
			}
		}
	}
	sb.WriteString("C 03  Display controller\n\t00  VGA compatible controller\n")
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkPCIListWithFullDB is ghw's default: parse pci.ids, then list.
func BenchmarkPCIListWithFullDB(b *testing.B) {
	path := pciIDsForBench(b)
	b.Logf("pci.ids: %s", path)
	for b.Loop() {
		db, err := pcidb.New(pcidb.WithPath(path), pcidb.WithEnableNetworkFetch())
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ghw.PCI(ghw.WithLogger(quietLogger), ghw.WithDisableTopology(), ghw.WithPCIDB(db)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPCIListEmptyDB is what KI-Check does: list with an empty db.
func BenchmarkPCIListEmptyDB(b *testing.B) {
	c := &collector{root: "/"}
	for b.Loop() {
		if _, err := ghwPCI(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPCINamesLazy looks up the names of three devices (two GPUs
// and an NPU) in pci.ids, as the GPU and NPU sections do.
func BenchmarkPCINamesLazy(b *testing.B) {
	path := pciIDsForBench(b)
	want := []pciID{{"1002", "7480"}, {"10de", "2684"}, {"8086", "7d1d"}}
	for b.Loop() {
		lookupPCINames("/", path, want)
	}
}
