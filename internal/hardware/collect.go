package hardware

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// DefaultSectionTimeout bounds each section when Options.SectionTimeout is
// zero. Every section normally takes a few milliseconds; the bound is for a
// hanging WMI query, sysfs read or driver tool.
const DefaultSectionTimeout = 3 * time.Second

// Section names as used in Progress and in the JSON.
const (
	SectionCPU    = "cpu"
	SectionMemory = "memory"
	SectionGPUs   = "gpus"
	SectionNPUs   = "npus"
	SectionDisk   = "disk"
	SectionSystem = "system"
	SectionPower  = "power"
)

// Options steer Collect. The zero value inventories this PC.
type Options struct {
	// DataDir is the folder whose drive is reported in Disk (where models
	// and data would be stored). Empty means the user's home folder.
	DataDir string
	// SectionTimeout bounds each section; zero means DefaultSectionTimeout.
	SectionTimeout time.Duration
	// Progress, if set, is called once per finished section, one call at a
	// time, from the goroutine that called Collect.
	Progress func(Progress)
	// NvidiaSMI is the nvidia-smi program to ask about NVIDIA cards. Empty
	// means look it up in PATH and in the driver's usual folders; "-" means
	// do not run it.
	NvidiaSMI string
	// Root is where the system's /sys, /proc and /etc are (Linux). Empty
	// means "/". Tests point it at a synthetic tree of another machine.
	Root string
	// PCIIDsPath is the pci.ids file for vendor and model names of GPUs and
	// NPUs. Empty means the usual places (/usr/share/hwdata, /usr/share/misc).
	PCIIDsPath string

	// sources replaces the readers of sections, to inject faults in tests.
	sources *sources
}

// Progress reports one finished section.
type Progress struct {
	Section string // one of the Section* names
	Status  Status
	Done    int // sections finished so far, including this one
	Total   int
}

// sources are the readers of each section. Each gets a context that ends at
// the section's timeout; a reader that ignores it is abandoned (its
// goroutine ends whenever the OS call returns), never waited for.
type sources struct {
	cpu    func(context.Context, *collector) (CPU, error)
	memory func(context.Context, *collector) (Memory, error)
	gpus   func(context.Context, *collector) (GPUList, error)
	npus   func(context.Context, *collector) (NPUList, error)
	disk   func(context.Context, *collector) (Disk, error)
	system func(context.Context, *collector) (System, error)
	power  func(context.Context, *collector) (Power, error)
}

func defaultSources() *sources {
	return &sources{
		cpu:    readCPU,
		memory: readMemory,
		gpus:   readGPUs,
		npus:   readNPUs,
		disk:   readDisk,
		system: readSystem,
		power:  readPower,
	}
}

// collector carries the options to the section readers.
type collector struct {
	opts Options
	root string
}

// section is one unit of Collect: run reads it, and apply/fail store the
// outcome into the inventory.
type section struct {
	name string
	run  func(ctx context.Context) (apply func(*Inventory), err error)
	fail func(inv *Inventory, reason string)
}

func newSection[T any](name string, c *collector, read func(context.Context, *collector) (T, error), field func(*Inventory) *Section[T]) section {
	return section{
		name: name,
		run: func(ctx context.Context) (func(*Inventory), error) {
			v, err := read(ctx, c)
			if err != nil {
				return nil, err
			}
			return func(inv *Inventory) { *field(inv) = known(v) }, nil
		},
		fail: func(inv *Inventory, reason string) { *field(inv) = unknown[T](reason) },
	}
}

type sectionResult struct {
	index int
	apply func(*Inventory)
	err   error
}

// Collect inventories the PC. All sections run at once, each bounded by
// the section timeout; a section that fails, panics or times out ends up
// unknown with the reason, and the others are unaffected. When ctx is
// cancelled, Collect returns at once with the sections finished so far and
// Complete false.
func Collect(ctx context.Context, opts Options) Inventory {
	if opts.SectionTimeout <= 0 {
		opts.SectionTimeout = DefaultSectionTimeout
	}
	src := opts.sources
	if src == nil {
		src = defaultSources()
	}
	c := &collector{opts: opts, root: opts.Root}
	if c.root == "" {
		c.root = "/"
	}
	sections := []section{
		newSection(SectionCPU, c, src.cpu, func(inv *Inventory) *Section[CPU] { return &inv.CPU }),
		newSection(SectionMemory, c, src.memory, func(inv *Inventory) *Section[Memory] { return &inv.Memory }),
		newSection(SectionGPUs, c, src.gpus, func(inv *Inventory) *Section[GPUList] { return &inv.GPUs }),
		newSection(SectionNPUs, c, src.npus, func(inv *Inventory) *Section[NPUList] { return &inv.NPUs }),
		newSection(SectionDisk, c, src.disk, func(inv *Inventory) *Section[Disk] { return &inv.Disk }),
		newSection(SectionSystem, c, src.system, func(inv *Inventory) *Section[System] { return &inv.System }),
		newSection(SectionPower, c, src.power, func(inv *Inventory) *Section[Power] { return &inv.Power }),
	}

	inv := Inventory{SchemaVersion: SchemaVersion, CollectedAt: time.Now().UTC()}
	// Buffered so that an abandoned section can still deliver and end.
	results := make(chan sectionResult, len(sections))
	for i, s := range sections {
		go func() {
			sctx, cancel := context.WithTimeout(ctx, opts.SectionTimeout)
			defer cancel()
			inner := make(chan sectionResult, 1)
			go func() {
				defer func() {
					if r := recover(); r != nil {
						inner <- sectionResult{index: i, err: fmt.Errorf("internal error: %v", r)}
					}
				}()
				apply, err := s.run(sctx)
				inner <- sectionResult{index: i, apply: apply, err: err}
			}()
			select {
			case r := <-inner:
				results <- r
			case <-sctx.Done():
				results <- sectionResult{index: i, err: sctx.Err()}
			}
		}()
	}

	finished := make([]bool, len(sections))
	done := 0
	for done < len(sections) {
		var r sectionResult
		select {
		case r = <-results:
		case <-ctx.Done():
			for i, s := range sections {
				if !finished[i] {
					s.fail(&inv, "cancelled before it finished")
				}
			}
			return inv
		}
		s := sections[r.index]
		finished[r.index] = true
		done++
		status := StatusOK
		switch {
		case r.err == nil:
			r.apply(&inv)
		case errors.Is(r.err, context.DeadlineExceeded) && ctx.Err() == nil:
			s.fail(&inv, fmt.Sprintf("no answer within %s", opts.SectionTimeout))
			status = StatusUnknown
		case errors.Is(r.err, context.Canceled) || ctx.Err() != nil:
			s.fail(&inv, "cancelled before it finished")
			status = StatusUnknown
		default:
			s.fail(&inv, r.err.Error())
			status = StatusUnknown
		}
		if opts.Progress != nil {
			opts.Progress(Progress{Section: s.name, Status: status, Done: done, Total: len(sections)})
		}
	}
	inv.Complete = ctx.Err() == nil
	return inv
}
