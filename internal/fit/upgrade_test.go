package fit

import "testing"

func TestReadyWithRAM(t *testing.T) {
	c, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	// fast: memory is all that holds a small PC back; slow: a PC whose
	// memory bandwidth keeps every model below the speed thresholds.
	fast := Machine{RAMTotalBytes: 4 << 30, RAMAvailableBytes: 1 << 30, MemoryReadGBps: 120}
	fast.Compute.GOPS = 4000
	slow := Machine{RAMTotalBytes: 4 << 30, RAMAvailableBytes: 1 << 30, MemoryReadGBps: 1}
	slow.Compute.GOPS = 20

	helped := 0
	for _, u := range c.UseCases {
		for name, mc := range map[string]Machine{"fast": fast, "slow": slow} {
			gb := ReadyWithRAM(mc, c, u)
			ready := AssessUseCase(mc, c, u).Verdict == Ready
			switch {
			case ready && gb != 0:
				t.Errorf("%s/%s: ready already, but upgrade to %d GB suggested", name, u.ID, gb)
			case gb != 0:
				helped++
				if got := AssessUseCase(mc.WithRAM(gb), c, u).Verdict; got != Ready {
					t.Errorf("%s/%s: %d GB suggested, but there the verdict is %s", name, u.ID, gb, got)
				}
				// Minimal: every smaller size above today's is not enough.
				for _, smaller := range RAMSizesGB {
					if smaller < gb && uint64(smaller)<<30 > mc.RAMTotalBytes && AssessUseCase(mc.WithRAM(smaller), c, u).Verdict == Ready {
						t.Errorf("%s/%s: %d GB suggested, but %d GB is enough", name, u.ID, gb, smaller)
					}
				}
			case !ready:
				if got := AssessUseCase(mc.WithRAM(RAMSizesGB[len(RAMSizesGB)-1]), c, u).Verdict; got == Ready {
					t.Errorf("%s/%s: no upgrade suggested, but the largest size makes it ready", name, u.ID)
				}
			}
			if name == "slow" && gb != 0 {
				t.Errorf("slow/%s: at 1 GB/s no memory size makes a model fast enough, got %d GB", u.ID, gb)
			}
		}
	}
	if helped == 0 {
		t.Error("on the fast 4 GB PC no use case would be helped by more memory: the test machine no longer tests anything")
	}
}

func TestMachineWithRAM(t *testing.T) {
	mc := Machine{RAMTotalBytes: 8 << 30, RAMAvailableBytes: 5 << 30, MemoryReadGBps: 30}
	got := mc.WithRAM(32)
	if got.RAMTotalBytes != 32<<30 || got.RAMAvailableBytes != 29<<30 || got.MemoryReadGBps != 30 {
		t.Errorf("8 GB with 5 GB free raised to 32 GB: total %d, available %d, bandwidth %v; want 32 GiB, 29 GiB, 30",
			got.RAMTotalBytes, got.RAMAvailableBytes, got.MemoryReadGBps)
	}
	// Without a figure for the available memory none is invented.
	if got := (Machine{RAMTotalBytes: 8 << 30}).WithRAM(16); got.RAMAvailableBytes != 0 || got.RAMTotalBytes != 16<<30 {
		t.Errorf("unknown available memory became %d", got.RAMAvailableBytes)
	}
}
