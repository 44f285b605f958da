package hardware

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// pciVendorNames are the short names of the PCI vendors whose GPUs and
// NPUs appear in office PCs and virtual machines. They are used even when
// no pci.ids file exists (Windows, minimal Linux installs), and in place of
// the long legal names pci.ids has ("Advanced Micro Devices, Inc. [AMD/ATI]").
var pciVendorNames = map[string]string{
	"10de": "NVIDIA",
	"1002": "AMD",
	"1022": "AMD",
	"8086": "Intel",
	"17cb": "Qualcomm",
	"5143": "Qualcomm",
	"1414": "Microsoft",
	"15ad": "VMware",
	"80ee": "VirtualBox",
	"1234": "QEMU",
	"1b36": "Red Hat (QEMU)",
	"1af4": "Red Hat (virtio)",
	"1a03": "ASPEED",
	"102b": "Matrox",
	"106b": "Apple",
	"1d17": "Zhaoxin",
	"5333": "S3",
}

// pciVendorName is the short vendor name for a PCI vendor id, or "" when
// the id is not in the built-in list.
func pciVendorName(vendorID string) string {
	return pciVendorNames[strings.ToLower(vendorID)]
}

// pciID is a PCI vendor and device id, 4 lowercase hex digits each.
type pciID struct{ vendor, device string }

// pciNames holds what a pci.ids scan found.
type pciNames struct {
	vendors map[string]string // vendor id → name
	devices map[pciID]string  // vendor+device → name
}

// defaultPCIIDsPaths are where Linux distributions install pci.ids.
var defaultPCIIDsPaths = []string{
	"usr/share/hwdata/pci.ids",
	"usr/share/misc/pci.ids",
	"usr/share/hwdata/pci.ids.gz",
	"usr/share/misc/pci.ids.gz",
}

// lookupPCINames finds the names of just the given devices in the pci.ids
// file. This replaces loading the whole database (what ghw does through
// pcidb: about 40,000 entries parsed into maps on every call) with one
// streaming pass that keeps only the few names asked for and stops after
// the last vendor needed, since pci.ids is sorted by vendor id.
func lookupPCINames(root, path string, want []pciID) pciNames {
	names := pciNames{vendors: map[string]string{}, devices: map[pciID]string{}}
	if len(want) == 0 {
		return names
	}
	candidates := []string{path}
	if path == "" {
		candidates = candidates[:0]
		for _, p := range defaultPCIIDsPaths {
			candidates = append(candidates, filepath.Join(root, p))
		}
	}
	for _, p := range candidates {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		var r io.Reader = f
		if strings.HasSuffix(p, ".gz") {
			gz, err := gzip.NewReader(f)
			if err != nil {
				f.Close()
				continue
			}
			r = gz
		}
		names = scanPCIIDs(r, want)
		f.Close()
		return names
	}
	return names
}

// scanPCIIDs reads a pci.ids stream and returns the names of the wanted
// vendors and devices. Malformed lines are skipped.
func scanPCIIDs(r io.Reader, want []pciID) pciNames {
	names := pciNames{vendors: map[string]string{}, devices: map[pciID]string{}}
	wantVendor := map[string]bool{}
	wantDevice := map[pciID]bool{}
	lastVendor := ""
	for _, w := range want {
		w = pciID{strings.ToLower(w.vendor), strings.ToLower(w.device)}
		wantVendor[w.vendor] = true
		wantDevice[w] = true
		lastVendor = max(lastVendor, w.vendor)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<10)
	current := ""
	for sc.Scan() {
		// Bytes, not Text: most of the ~60,000 lines are skipped, and
		// converting each to a string was most of the time.
		line := sc.Bytes()
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		if line[0] != '\t' {
			id, name, ok := splitPCIIDLine(line)
			if !ok {
				// The class list ("C 03  Display controller") follows the
				// vendors; nothing after it is needed.
				if bytes.HasPrefix(line, []byte("C ")) {
					break
				}
				current = ""
				continue
			}
			if id > lastVendor {
				break
			}
			current = ""
			if wantVendor[id] {
				current = id
				names.vendors[id] = name
			}
			continue
		}
		if current == "" || len(line) < 2 || line[1] == '\t' {
			continue // devices of vendors not asked for, subsystem lines
		}
		id, name, ok := splitPCIIDLine(line[1:])
		if ok && wantDevice[pciID{current, id}] {
			names.devices[pciID{current, id}] = name
		}
	}
	return names
}

// splitPCIIDLine splits "8086  Intel Corporation" into id and name.
func splitPCIIDLine(s []byte) (id, name string, ok bool) {
	if len(s) < 6 || s[4] != ' ' {
		return "", "", false
	}
	for _, c := range s[:4] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return "", "", false
		}
	}
	name = strings.TrimSpace(string(s[5:]))
	if name == "" {
		return "", "", false
	}
	return strings.ToLower(string(s[:4])), name, true
}

// shortDeviceName picks the marketing name from a pci.ids device name,
// which often reads "Navi 33 [Radeon RX 7600/7600 XT/7600M XT/7600S/7700S / PRO W7600]"
// or "AD102 [GeForce RTX 4090]": the part in brackets is what people know.
func shortDeviceName(name string) string {
	open := strings.LastIndexByte(name, '[')
	if open >= 0 && strings.HasSuffix(name, "]") && open+1 < len(name)-1 {
		return name[open+1 : len(name)-1]
	}
	return name
}
