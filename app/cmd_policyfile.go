package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "policyfile", summary: "write IT's policy file (org unit, upload URL, hostname, AI policy id); the MSI calls it with its properties", run: policyFileCmds.run})
}

// policyFileCmds are the subcommands of kicheck policyfile.
var policyFileCmds = &subcommands{parent: "policyfile", list: []*command{
	{name: "write", summary: "write the policy file: [--out FILE] [--org-unit X] [--upload-url URL] [--include-hostname yes|no] [--policy-id ID]", run: runPolicyFileCmd},
}}

// policyFileOptions are the flags of `kicheck policyfile write`.
type policyFileOptions struct {
	Out             string
	OrgUnit         string
	UploadURL       string
	IncludeHostname string // "", yes/no, 1/0, true/false (MSI properties are text)
	PolicyID        string
}

func runPolicyFileCmd(ctx context.Context, e *env, args []string) error {
	var opts policyFileOptions
	fs := newFlagSet("policyfile write", e.stderr)
	fs.StringVar(&opts.Out, "out", "", "file to write (default: "+check.SystemPolicyPath()+")")
	fs.StringVar(&opts.OrgUnit, "org-unit", "", "organisational unit written into every report")
	fs.StringVar(&opts.UploadURL, "upload-url", "", "where the headless check sends the report (https://…)")
	fs.StringVar(&opts.IncludeHostname, "include-hostname", "", "yes or no: put the PC's name into the report (default no)")
	fs.StringVar(&opts.PolicyID, "policy-id", "", "id of the AI policy (KI-Richtlinie) in force")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usage("cli.usage.policyfile.no_args", map[string]any{"Arg": i18n.Escape(fs.Arg(0))})
	}
	return runPolicyFile(ctx, opts, e)
}

// runPolicyFile writes the policy file and prints its path.
func runPolicyFile(ctx context.Context, opts policyFileOptions, e *env) error {
	path, err := runPolicyFileWrite(opts)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(e.stdout, path)
	return err
}

// runPolicyFileWrite writes the policy file and returns its path.
func runPolicyFileWrite(opts policyFileOptions) (string, error) {
	var include bool
	switch strings.ToLower(strings.TrimSpace(opts.IncludeHostname)) {
	case "", "0", "no", "nein", "false":
	case "1", "yes", "ja", "true":
		include = true
	default:
		return "", usage("cli.usage.policyfile.include_hostname", map[string]any{"Value": i18n.Escape(opts.IncludeHostname)})
	}
	p := check.Policy{
		OrgUnit:         strings.TrimSpace(opts.OrgUnit),
		UploadURL:       strings.TrimSpace(opts.UploadURL),
		IncludeHostname: include,
		KIPolicy:        strings.TrimSpace(opts.PolicyID),
	}
	path, err := check.WritePolicy(opts.Out, p)
	var pe *check.PolicyError
	if errors.As(err, &pe) { // check's hint is about reading the file
		return path, writeFileError(path, pe.Err)
	}
	return path, err
}
