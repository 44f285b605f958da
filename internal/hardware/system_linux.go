package hardware

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// underHypervisor reports whether the kernel says it runs under a
// hypervisor (the "hypervisor" CPU flag). Used only when the firmware tells
// no chassis type, as in micro-VMs without SMBIOS.
func underHypervisor(c *collector) bool {
	f, err := os.Open(filepath.Join(c.root, "proc/cpuinfo"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 8192), 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "flags" {
			for _, flag := range strings.Fields(v) {
				if flag == "hypervisor" {
					return true
				}
			}
			return false
		}
	}
	return false
}
