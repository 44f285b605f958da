package main

import (
	"context"
	"fmt"
	"io"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/signing"
)

func init() {
	register(&command{name: "key", summary: "show or rotate this installation's report signing key (key show | key rotate)", run: runKeyCmd})
}

type keyOptions struct {
	Action string // show, rotate
	JSON   bool
	Lang   string
}

func runKeyCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "show" && args[0] != "rotate") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(e.stderr, "usage: kicheck key show [--json] | kicheck key rotate [--json]")
			return nil
		}
		return usageError("usage: kicheck key show|rotate [--json]")
	}
	opts := keyOptions{Action: args[0], Lang: e.lang}
	fs := newFlagSet("key "+args[0], e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("key %s takes no arguments", opts.Action)
	}
	return runKey(opts, e.dataDir, e.stdout)
}

// keyJSON is the output of `kicheck key show --json`.
type keyJSON struct {
	DeviceID       string                 `json:"device_id"`
	Fingerprint    string                 `json:"fingerprint"`
	PublicKey      string                 `json:"public_key"`
	AllowedSigners string                 `json:"allowed_signers"`
	PrivateKeyPath string                 `json:"private_key_path"`
	Previous       []signing.HistoryEntry `json:"previous"`
}

func runKey(opts keyOptions, dataDir string, w io.Writer) error {
	var k *signing.Key
	var err error
	if opts.Action == "rotate" {
		_, k, err = signing.Rotate(dataDir)
	} else {
		k, err = signing.Load(dataDir)
	}
	if err != nil {
		return err
	}
	hist, err := signing.History(dataDir)
	if err != nil {
		return err
	}
	if opts.JSON {
		if hist == nil {
			hist = []signing.HistoryEntry{}
		}
		return writeJSON(w, keyJSON{DeviceID: k.DeviceID(), Fingerprint: k.Fingerprint(), PublicKey: signing.AuthorizedKey(k.Public()),
			AllowedSigners: signing.AllowedSignersLine(k.Public()), PrivateKeyPath: k.PrivateKeyPath(), Previous: hist})
	}
	if opts.Action == "rotate" && len(hist) > 0 {
		last := hist[len(hist)-1]
		fmt.Fprintln(w, i18n.T(opts.Lang, "keycli.rotated", map[string]any{"Device": last.DeviceID, "Fingerprint": last.Fingerprint}))
	}
	// The line alone on stdout, so `kicheck key show >> allowed_signers` works.
	_, err = fmt.Fprintln(w, signing.AllowedSignersLine(k.Public()))
	return err
}
