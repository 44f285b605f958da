package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
)

func init() {
	register(&command{name: "cloud", summary: "configure and test the cloud endpoint (show, set, key, test); the key goes to the OS credential store", run: runCloudCmd})
}

// cloudSetOptions are the flags of `kicheck cloud set` (and `test`).
type cloudSetOptions struct {
	Endpoint, Model string
	Cloud           benchCloudOptions
	JSON            bool
}

func runCloudCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError("kicheck cloud show|set|key|test (kicheck cloud SUBCOMMAND -h for flags)")
	}
	sub, rest := args[0], args[1:]
	var opts cloudSetOptions
	fs := newFlagSet("cloud "+sub, e.stderr)
	fs.BoolVar(&opts.JSON, "json", false, "print JSON")
	switch sub {
	case "show", "key":
	case "set", "test":
		fs.StringVar(&opts.Endpoint, "endpoint", "", "base URL of the OpenAI-compatible API, e.g. https://api.mistral.ai/v1")
		fs.StringVar(&opts.Model, "model", "", "model name")
		addBenchCloudFlags(fs, &opts.Cloud)
	default:
		return usageError("unknown subcommand %q: use show, set, key or test", sub)
	}
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
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
	if sub == "set" || sub == "test" {
		if !have && opts.Endpoint == "" {
			return usageError("give --endpoint URL (no cloud endpoint is configured yet)")
		}
		ep, err = cloudEndpoint(stored, have, benchOptions{Endpoint: opts.Endpoint, Model: opts.Model, Cloud: opts.Cloud})
		if err != nil {
			return err
		}
	} else if !have {
		return &hintError{err: fmt.Errorf("no cloud endpoint configured"), hint: "kicheck cloud set --endpoint URL --model NAME, or Einstellungen → Cloud-Anbieter"}
	}
	switch sub {
	case "set":
		if err := cloud.SaveEndpoint(ctx, db, ep); err != nil {
			return err
		}
		return printEndpoint(e.stdout, ep, opts.JSON)
	case "show":
		return printEndpoint(e.stdout, ep, opts.JSON)
	case "key":
		// The key is read from standard input, never from a flag (which
		// would leave it in the shell history and the process list).
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read the key from standard input: %w", err)
		}
		if err := cloud.SaveKey(ep, cloud.NewAPIKey(line)); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Schlüssel für %s im Schlüsselspeicher des Systems gespeichert (Dienst %q).\n", ep.Host(), cloud.KeyringService)
		return nil
	}
	// test: lists the models; sends no prompt.
	key, err := cloud.LoadKey(ep, os.Getenv)
	if err != nil {
		return err
	}
	res, err := cloud.TestConnection(ctx, ep, key, cloud.ClientOptions{Lang: e.lang, OnRetry: func(ev cloud.RetryEvent) { fmt.Fprintf(e.stderr, "hinweis: %s\n", ev) }})
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(e.stdout, "Verbindung zu %s in Ordnung: %d Modelle (TLS %.0f ms, Antwortkopf nach %.0f ms).\n", res.Host, len(res.Models), res.Network.TLSMs, res.Network.HeadersMs)
	if !res.ModelListed {
		fmt.Fprintf(e.stdout, "Achtung: Das Modell %q steht nicht in der Liste des Anbieters: %s\n", ep.ModelName(), strings.Join(res.Models, ", "))
	}
	return nil
}

func printEndpoint(w io.Writer, ep cloud.Endpoint, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(ep) // holds no key by construction
	}
	key := "Schlüsselspeicher des Systems"
	if ep.KeyEnv != "" {
		key = "Umgebungsvariable " + ep.KeyEnv
	}
	fmt.Fprintf(w, "Anbieter: %s\nAdresse:  %s\nModell:   %s\nSchlüssel: %s\nProxy:    %s\nCA-Datei: %s\n",
		cloud.PresetByID(ep.Preset).Name, ep.ChatURL(), ep.ModelName(), key, orDash(ep.ProxyURL, "Proxy des Systems"), orDash(ep.CAFile, "–"))
	return nil
}

func orDash(s, empty string) string {
	if s == "" {
		return empty
	}
	return s
}
