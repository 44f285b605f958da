package hardware

import (
	"log/slog"

	"github.com/jaypipes/ghw"
	"github.com/jaypipes/pcidb"
)

// ghwOptions are the options for every ghw call: read the tree at
// c.root, print no warnings, skip the NUMA topology, run no external tools,
// and use an empty PCI database.
//
// The empty database is deliberate: ghw otherwise parses the whole pci.ids
// file (tens of thousands of entries) on every call that touches PCI,
// which is the slowest part of an inventory and fails outright where no
// pci.ids is installed (Windows, minimal Linux). ghw still reports every
// device with its vendor, device and class ids; KI-Check then looks up
// names only for the GPUs and NPUs it shows (see lookupPCINames).
func (c *collector) ghwOptions() []any {
	return []any{
		ghw.WithChroot(c.root),
		// A logger of our own: ghw's WithDisableWarnings sets a global
		// level that its other calls reset, racing between our parallel
		// sections.
		ghw.WithLogger(quietLogger),
		ghw.WithDisableTopology(),
		ghw.WithDisableTools(),
		ghw.WithPCIDB(emptyPCIDB()),
	}
}

var quietLogger = slog.New(slog.DiscardHandler)

func emptyPCIDB() *pcidb.PCIDB {
	return &pcidb.PCIDB{
		Classes:  map[string]*pcidb.Class{},
		Vendors:  map[string]*pcidb.Vendor{},
		Products: map[string]*pcidb.Product{},
	}
}

func ghwGPU(c *collector) (*ghw.GPUInfo, error) { return ghw.GPU(c.ghwOptions()...) }
func ghwPCI(c *collector) (*ghw.PCIInfo, error) { return ghw.PCI(c.ghwOptions()...) }
