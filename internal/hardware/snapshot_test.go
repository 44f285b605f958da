package hardware

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/jaypipes/ghw/pkg/snapshot"
)

var update = flag.Bool("update", false, "rewrite the ghw snapshots in testdata/snapshots from the machine builders")

// The machine shapes are also kept as ghw snapshot files (the format ghw's
// ghw-snapshot tool writes: a tar.gz of the /sys and /proc parts ghw
// reads). A snapshot taken on a real PC with ghw-snapshot can be dropped
// into testdata/snapshots the same way; regenerate these with
//
//	go test ./internal/hardware/ -run GhwSnapshots -update
func TestGhwSnapshots(t *testing.T) {
	for _, tc := range []struct {
		file  string
		build func(*fakeMachine)
		check func(*testing.T, Inventory)
		smi   string
	}{
		{"laptop-amd-igpu-dgpu-xdna.tar.gz", buildLaptopAMD, checkLaptopAMD, ""},
		{"desktop-intel-npu-nvidia.tar.gz", buildDesktopIntelNPU, checkDesktopIntelNPU, "rtx4090.csv"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("testdata", "snapshots", tc.file)
			m := newFakeMachine(t) // skips where sysfs is not read
			if *update {
				tc.build(m)
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				_ = os.Remove(path)
				if err := snapshot.PackFrom(context.Background(), path, m.root); err != nil {
					t.Fatal(err)
				}
			}
			root := t.TempDir()
			if err := snapshot.UnpackInto(path, root); err != nil {
				t.Fatalf("unpack %s: %v", path, err)
			}
			opts := Options{DataDir: t.TempDir()}
			if tc.smi != "" {
				opts.NvidiaSMI = recordedNvidiaSMI(t, tc.smi)
			}
			tc.check(t, collectFake(t, root, opts))
		})
	}
}
