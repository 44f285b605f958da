package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/i18n"
)

func init() {
	register(&command{name: "cloud", summary: "configure and test the cloud endpoint (show, set, key, test); the key goes to the OS credential store", run: cloudCmds.run})
}

// cloudCmds are the subcommands of kicheck cloud; they share their flags.
var cloudCmds = &subcommands{parent: "cloud", list: []*command{
	{name: "show", summary: "show the configured endpoint", run: cloudSubCmd("show")},
	{name: "set", summary: "set the endpoint (--endpoint, --model, proxy and CA flags)", run: cloudSubCmd("set")},
	{name: "key", summary: "store the API key read from standard input in the OS credential store", run: cloudSubCmd("key")},
	{name: "test", summary: "list the endpoint's models (sends no prompt)", run: cloudSubCmd("test")},
}}

// cloudOptions are the flags of `kicheck cloud SUB`; --endpoint, --model and
// the cloud flags only for set and test.
type cloudOptions struct {
	Sub             string // show, set, key, test
	Endpoint, Model string
	Cloud           benchCloudOptions
	JSON            bool
}

// cloudSubCmd parses the flags of one cloud subcommand into cloudOptions.
func cloudSubCmd(sub string) func(context.Context, *env, []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		opts := cloudOptions{Sub: sub}
		fs := newFlagSet("cloud "+sub, e.stderr)
		fs.BoolVar(&opts.JSON, "json", false, "print JSON")
		if sub == "set" || sub == "test" {
			fs.StringVar(&opts.Endpoint, "endpoint", "", "base URL of the OpenAI-compatible API, e.g. https://api.mistral.ai/v1")
			fs.StringVar(&opts.Model, "model", "", "model name")
			addBenchCloudFlags(fs, &opts.Cloud)
		}
		if err := parseFlags(fs, args); err != nil {
			return err
		}
		if fs.NArg() > 0 {
			return usage("cli.usage.extra_argument", map[string]any{"Command": "cloud " + sub, "Arg": i18n.Escape(fs.Arg(0))})
		}
		return runCloud(ctx, opts, e)
	}
}

// runCloud does the work of `kicheck cloud SUB`; the key is read from
// e.stdin.
func runCloud(ctx context.Context, opts cloudOptions, e *env) error {
	db, err := e.openDB(ctx, cloudrun.Schemas...)
	if err != nil {
		return err
	}
	defer db.Close()
	stored, have, err := cloud.LoadEndpoint(ctx, db)
	if err != nil {
		return err
	}
	ep := stored
	if opts.Sub == "set" || opts.Sub == "test" {
		if !have && opts.Endpoint == "" {
			return usage("cli.usage.cloud.endpoint", nil)
		}
		ep, err = cloudEndpoint(e.lang, stored, have, benchOptions{Endpoint: opts.Endpoint, Model: opts.Model, Cloud: opts.Cloud})
		if err != nil {
			return err
		}
	} else if !have {
		return i18n.NewError("cloudcli.no_endpoint", "cloudcli.no_endpoint.hint", nil, nil)
	}
	switch opts.Sub {
	case "set":
		if err := cloud.SaveEndpoint(ctx, db, ep); err != nil {
			return err
		}
		return printEndpoint(e.stdout, e.lang, ep, opts.JSON)
	case "show":
		return printEndpoint(e.stdout, e.lang, ep, opts.JSON)
	case "key":
		// The key is read from standard input, never from a flag (which
		// would leave it in the shell history and the process list).
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return i18n.NewError("cli.cloud.read_key", "", map[string]any{"Detail": i18n.Escape(err.Error())}, err)
		}
		if err := cloud.SaveKey(ep, cloud.NewAPIKey(line)); err != nil {
			return cloud.Localized(err, e.lang)
		}
		fmt.Fprintln(e.stdout, i18n.T(e.lang, "cloudcli.key_saved", map[string]any{"Host": ep.Host(), "Service": fmt.Sprintf("%q", cloud.KeyringService)}))
		return nil
	}
	// test: lists the models; sends no prompt.
	key, err := cloud.LoadKey(ep, os.Getenv)
	if err != nil {
		return cloud.Localized(err, e.lang)
	}
	res, err := cloud.TestConnection(ctx, ep, key, cloud.ClientOptions{Lang: e.lang, OnRetry: func(ev cloud.RetryEvent) { printRetry(e.stderr, e.lang, ev) }})
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(e.stdout, res)
	}
	fmt.Fprintln(e.stdout, i18n.T(e.lang, "cloudcli.test_ok", map[string]any{"Host": res.Host, "Count": len(res.Models),
		"TLS": i18n.Decimal(e.lang, res.Network.TLSMs, 0), "Headers": i18n.Decimal(e.lang, res.Network.HeadersMs, 0)}))
	if !res.ModelListed {
		fmt.Fprintln(e.stdout, i18n.T(e.lang, "cloudcli.model_missing", map[string]any{"Model": fmt.Sprintf("%q", ep.ModelName()), "Models": strings.Join(res.Models, ", ")}))
	}
	return nil
}

func printEndpoint(w io.Writer, lang string, ep cloud.Endpoint, asJSON bool) error {
	if asJSON {
		return writeJSON(w, ep) // holds no key by construction
	}
	key := i18n.T(lang, "cloudcli.key_keyring")
	if ep.KeyEnv != "" {
		key = i18n.T(lang, "cloudcli.key_env", map[string]any{"Name": ep.KeyEnv})
	}
	fmt.Fprintln(w, i18n.T(lang, "cloudcli.show", map[string]any{"Preset": cloud.PresetByID(ep.Preset).DisplayName(lang), "URL": ep.ChatURL(),
		"Model": ep.ModelName(), "Key": key, "Proxy": orDash(ep.ProxyURL, i18n.T(lang, "cloudcli.system_proxy")), "CAFile": orDash(ep.CAFile, "–")}))
	return nil
}

func orDash(s, empty string) string {
	if s == "" {
		return empty
	}
	return s
}
