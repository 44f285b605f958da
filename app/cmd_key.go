package main

import (
	"context"
	"fmt"

	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/signing"
)

func init() {
	register(&command{name: "key", summary: "show or rotate this installation's report signing key (key show | key rotate)", run: keyCmds.run})
}

// keyCmds are the subcommands of kicheck key.
var keyCmds = &subcommands{parent: "key", list: []*command{
	{name: "show", summary: "print this installation's allowed_signers line", run: keyCmd("show")},
	{name: "rotate", summary: "make a new key; the old one goes to the key history", run: keyCmd("rotate")},
}}

// keyOptions are the flags of `kicheck key show|rotate`.
type keyOptions struct {
	Action string // show, rotate
	JSON   bool
	Lang   string
}

// keyCmd parses the flags of `kicheck key ACTION` and runs runKey.
func keyCmd(action string) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		opts := keyOptions{Action: action, Lang: e.lang}
		fs := newFlagSet("key "+action, e.stderr)
		fs.BoolVar(&opts.JSON, "json", false, "print JSON")
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usage("cli.usage.extra_argument", map[string]any{"Command": "key " + action, "Arg": i18n.Escape(fs.Arg(0))})
		}
		return runKey(ctx, opts, e)
	}
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

// runKey shows or rotates the signing key in the data folder.
func runKey(_ context.Context, opts keyOptions, e *env) error {
	dataDir, w := e.dataDir, e.stdout
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
