package hardware

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseRecordedNvidiaSMI(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []nvidiaGPU
	}{
		{"rtx4090.csv", []nvidiaGPU{{0, "0000:01:00.0", "NVIDIA GeForce RTX 4090", "550.54.14", 24564 << 20, 23975 << 20}}},
		{"two-cards.csv", []nvidiaGPU{
			{0, "0000:17:00.0", "NVIDIA RTX A2000 12GB", "535.183.01", 12282 << 20, 11967 << 20},
			{1, "0000:65:00.0", "NVIDIA T400 4GB", "535.183.01", 4096 << 20, 4011 << 20},
		}},
		// Windows writes CRLF.
		{"windows-laptop.csv", []nvidiaGPU{{0, "0000:01:00.0", "NVIDIA GeForce RTX 3050 Laptop GPU", "546.33", 4096 << 20, 3921 << 20}}},
		// A GPU sharing system memory reports no memory figures.
		{"unified-memory.csv", []nvidiaGPU{{0, "000f:01:00.0", "NVIDIA GB10", "580.95.05", 0, 0}}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "nvidia-smi", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseNvidiaSMI(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestParseNvidiaSMIRejectsOtherOutput(t *testing.T) {
	for _, in := range []string{
		"index, pci.bus_id, name\n0, 00000000:01:00.0, X\n",        // header, missing columns
		"x, 00000000:01:00.0, X, 1, 2, 3\n",                        // index not a number
		"No devices were found\n",                                  // message, not CSV
		"0, 00000000:01:00.0, NVIDIA \"A, 550, 1, 2\n1, 2, 3, 4\n", // broken quoting
	} {
		if gpus, err := parseNvidiaSMI([]byte(in)); err == nil {
			t.Errorf("parseNvidiaSMI(%q) = %+v, want an error", in, gpus)
		}
	}
	if gpus, err := parseNvidiaSMI(nil); err != nil || len(gpus) != 0 {
		t.Errorf("empty output = %v, %v", gpus, err)
	}
}

const samplePCIIDs = `#	List of PCI ID's
# Syntax: vendor  vendor_name
1002  Advanced Micro Devices, Inc. [AMD/ATI]
	15bf  Phoenix1
	7480  Navi 33 [Radeon RX 7700S/7600/7600S/7600M XT/PRO W7600]
		1002 0124  Radeon RX 7600
10de  NVIDIA Corporation
	2684  AD102 [GeForce RTX 4090]
8086  Intel Corporation
	7d1d  Meteor Lake NPU
ffff  Illegal Vendor ID
C 00  Unclassified device
	00  Non-VGA unclassified device
`

func TestScanPCIIDs(t *testing.T) {
	names := scanPCIIDs(strings.NewReader(samplePCIIDs), []pciID{{"1002", "7480"}, {"8086", "7D1D"}, {"10de", "0000"}})
	wantVendors := map[string]string{"1002": "Advanced Micro Devices, Inc. [AMD/ATI]", "8086": "Intel Corporation", "10de": "NVIDIA Corporation"}
	wantDevices := map[pciID]string{{"1002", "7480"}: "Navi 33 [Radeon RX 7700S/7600/7600S/7600M XT/PRO W7600]", {"8086", "7d1d"}: "Meteor Lake NPU"}
	if !reflect.DeepEqual(names.vendors, wantVendors) || !reflect.DeepEqual(names.devices, wantDevices) {
		t.Errorf("got %v / %v", names.vendors, names.devices)
	}
	if got := shortDeviceName(names.devices[pciID{"1002", "7480"}]); got != "Radeon RX 7700S/7600/7600S/7600M XT/PRO W7600" {
		t.Errorf("shortDeviceName = %q", got)
	}
	if got := shortDeviceName("Meteor Lake NPU"); got != "Meteor Lake NPU" {
		t.Errorf("shortDeviceName without brackets = %q", got)
	}
}

// smbiosType17 builds a Memory Device structure (SMBIOS 3.x layout).
func smbiosType17(sizeWord uint16, extMiB uint32, memType byte, speed, configured uint16, locator string) []byte {
	raw := make([]byte, 0x28)
	raw[0], raw[1] = 17, 0x28
	put := func(off int, v uint16) { raw[off], raw[off+1] = byte(v), byte(v>>8) }
	put(0x0C, sizeWord)
	raw[0x10] = 1 // device locator: string 1
	raw[0x12] = memType
	put(0x15, speed)
	put(0x1C, uint16(extMiB))
	put(0x1E, uint16(extMiB>>16))
	put(0x20, configured)
	raw = append(raw, []byte("BANK 0\x00"+locator+"\x00\x00")...)
	raw[0x10] = 2
	return raw
}

func TestParseSMBIOSMemoryDevice(t *testing.T) {
	for _, tc := range []struct {
		name string
		raw  []byte
		want MemoryModule
		ok   bool
	}{
		{"16 GiB DDR5 at 5600", smbiosType17(16384, 0, 0x22, 5600, 5200, "DIMM A1"), MemoryModule{"DIMM A1", 16 << 30, 5200, "DDR5"}, true},
		{"extended size 64 GiB", smbiosType17(0x7FFF, 65536, 0x1A, 3200, 0, "ChannelA-DIMM0"), MemoryModule{"ChannelA-DIMM0", 64 << 30, 3200, "DDR4"}, true},
		{"size in KiB", smbiosType17(0x8000|512, 0, 0x18, 0xFFFF, 0xFFFF, "X"), MemoryModule{"X", 512 << 10, 0, "DDR3"}, true},
		{"empty slot", smbiosType17(0, 0, 0x02, 0, 0, "DIMM B1"), MemoryModule{}, false},
		{"other structure", append([]byte{16}, smbiosType17(1024, 0, 0x22, 1, 1, "X")[1:]...), MemoryModule{}, false},
		{"truncated", smbiosType17(1024, 0, 0x22, 1, 1, "X")[:0x10], MemoryModule{}, false},
	} {
		got, ok := parseSMBIOSMemoryDevice(tc.raw)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("%s: got %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestParseSysfsUint(t *testing.T) {
	for in, want := range map[string]uint64{"8573157376\n": 8573157376, "0x12": 18, " 42 kB": 42, "0": 0} {
		if got, ok := parseSysfsUint(in); !ok || got != want {
			t.Errorf("parseSysfsUint(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "-1", "0x", "abc", "99999999999999999999999"} {
		if _, ok := parseSysfsUint(in); ok {
			t.Errorf("parseSysfsUint(%q) accepted", in)
		}
	}
}

func FuzzParseNvidiaSMI(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "nvidia-smi", "*.csv"))
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f.Add(b)
	}
	f.Add([]byte("0, [N/A], [Not Supported], , 1, 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		gpus, err := parseNvidiaSMI(data)
		if err != nil {
			return
		}
		for _, g := range gpus {
			if g.Index < 0 || g.TotalBytes%(1<<20) != 0 || g.FreeBytes%(1<<20) != 0 || g.TotalBytes > 1<<60 {
				t.Fatalf("implausible GPU %+v from %q", g, data)
			}
		}
	})
}

func FuzzScanPCIIDs(f *testing.F) {
	f.Add(samplePCIIDs, "1002", "7480")
	f.Add("8086  Intel\n\t7d1d  NPU\n", "8086", "7d1d")
	f.Add("\t\t\n1  x\nC 03\n", "0001", "")
	f.Fuzz(func(t *testing.T, ids, vendor, device string) {
		want := []pciID{{strings.ToLower(vendor), strings.ToLower(device)}}
		names := scanPCIIDs(strings.NewReader(ids), want)
		for v, n := range names.vendors {
			if v != want[0].vendor || n == "" {
				t.Fatalf("vendor %q = %q not asked for", v, n)
			}
		}
		for d, n := range names.devices {
			if d != want[0] || n == "" {
				t.Fatalf("device %v = %q not asked for", d, n)
			}
		}
	})
}

func FuzzParseSMBIOSMemoryDevice(f *testing.F) {
	f.Add(smbiosType17(16384, 0, 0x22, 5600, 5200, "DIMM A1"))
	f.Add(smbiosType17(0x7FFF, 65536, 0x1A, 3200, 0, "ChannelA-DIMM0"))
	f.Add([]byte{17, 0x17})
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, ok := parseSMBIOSMemoryDevice(raw)
		if ok && (m.SizeBytes == 0 || m.SpeedMTs < 0 || bytes.ContainsRune([]byte(m.Locator), 0)) {
			t.Fatalf("implausible module %+v", m)
		}
	})
}

func FuzzParseSysfsUint(f *testing.F) {
	for _, s := range []string{"8573157376\n", "0x1f", "", "1 2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := parseSysfsUint(s)
		if !ok {
			return
		}
		if back, ok := parseSysfsUint(strings.TrimSpace(strings.Fields(s + " x")[0])); !ok || back != v {
			t.Fatalf("%q parsed as %d, its first field as %d", s, v, back)
		}
	})
}

func FuzzSectionJSON(f *testing.F) {
	f.Add([]byte(`{"status":"ok","threads":8,"flags":{"avx2":true}}`))
	f.Add([]byte(`{"status":"unknown","reason":"no answer within 3s"}`))
	f.Add([]byte(`{"status":"ok"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Section[CPU]
		if json.Unmarshal(data, &s) != nil {
			return
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("marshal %+v: %v", s, err)
		}
		var again Section[CPU]
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("re-read %s: %v", out, err)
		}
		if s.Status == StatusOK && !reflect.DeepEqual(again, s) {
			t.Fatalf("round trip %s: %+v != %+v", out, again, s)
		}
	})
}
