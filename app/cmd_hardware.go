package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "hardware", summary: "list this PC's processor, memory, graphics, NPUs, drive and power (--json: docs/hardware.md)", run: hardwareCmd})
}

// hardwareOptions are the flags of `kicheck hardware`.
type hardwareOptions struct {
	JSON    bool
	Timeout time.Duration // per section
	DataDir string        // whose drive to report
	Lang    string
}

// hardwareCmd parses the flags of `kicheck hardware` and runs runHardware.
func hardwareCmd(ctx context.Context, e *env, args []string) error {
	opts := hardwareOptions{DataDir: e.dataDir, Lang: e.lang}
	fs := newFlagSet("hardware", e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON (see docs/hardware.md)")
	fs.DurationVar(&opts.Timeout, "timeout", hardware.DefaultSectionTimeout, "longest wait for each part of the inventory")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.extra_argument", map[string]any{"Command": "hardware", "Arg": i18n.Escape(fs.Arg(0))})
	}
	if opts.Timeout <= 0 {
		return usage("cli.usage.timeout", map[string]any{"Timeout": opts.Timeout.String()})
	}
	return runHardware(ctx, opts, e)
}

// runHardware collects the inventory and prints it as JSON or as a table.
func runHardware(ctx context.Context, opts hardwareOptions, e *env) error {
	w := e.stdout
	inv := hardware.Collect(ctx, hardware.Options{DataDir: opts.DataDir, SectionTimeout: opts.Timeout})
	if opts.JSON {
		return writeJSON(w, inv)
	}
	return printHardwareTable(w, inv, opts.Lang)
}

// printHardwareTable writes the groups as an indented two-column table.
func printHardwareTable(w io.Writer, inv hardware.Inventory, lang string) error {
	groups := hardware.Describe(inv, lang)
	width := 0
	for _, g := range groups {
		for _, r := range g.Rows {
			width = max(width, len([]rune(r.Label)))
		}
	}
	var b strings.Builder
	for i, g := range groups {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(g.Title + "\n")
		if g.Unknown {
			fmt.Fprintf(&b, "  %s\n", i18n.T(lang, "hardware.unknown_because", map[string]any{"Reason": g.Reason}))
		}
		for _, r := range g.Rows {
			pad := width - len([]rune(r.Label))
			fmt.Fprintf(&b, "  %s%s  %s\n", r.Label, strings.Repeat(" ", pad), r.Value)
		}
	}
	if !inv.Complete {
		b.WriteString("\n" + i18n.T(lang, "hardware.incomplete") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
