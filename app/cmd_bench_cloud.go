package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/ki-reise/kicheck/internal/bench"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/policy"
)

// benchCloudOptions are the flags of `kicheck bench` for an endpoint off
// this PC (issue 4). Without --allow-cloud nothing is sent there.
type benchCloudOptions struct {
	AllowCloud bool
	UseStored  bool
	Preset     string
	KeyEnv     string
	Proxy      string
	CAFile     string
	Deployment string
	APIVersion string
	// DataClass is the class of the test inputs; the AI policy decides
	// whether the cloud may receive it. KI-Check's prompts are synthetic.
	DataClass string
}

func addBenchCloudFlags(fs *flag.FlagSet, o *benchCloudOptions) {
	fs.BoolVar(&o.AllowCloud, "allow-cloud", false, "consent, for this run, to send the bundle's synthetic test prompts to an endpoint that is not on this PC")
	fs.BoolVar(&o.UseStored, "cloud", false, "use the cloud endpoint configured in the settings (Settings → Cloud provider)")
	fs.StringVar(&o.Preset, "preset", "", "cloud provider preset: "+presetIDs())
	fs.StringVar(&o.KeyEnv, "key-env", "", "read the cloud API key from this environment variable (default: the OS credential store)")
	fs.StringVar(&o.Proxy, "proxy", "", "explicit proxy for the cloud endpoint, e.g. http://proxy:8080 (default: the system proxy)")
	fs.StringVar(&o.CAFile, "ca-file", "", "PEM file with extra CA certificates (TLS-inspecting proxy)")
	fs.StringVar(&o.Deployment, "deployment", "", "Azure OpenAI deployment name")
	fs.StringVar(&o.DataClass, "data-class", string(dataclass.Synthetic()), "data class of the test inputs ("+strings.Join(dataclass.IDs(), ", ")+"); the AI policy decides whether the cloud may receive it (KI-Check's own prompts are synthetic: "+string(dataclass.Synthetic())+")")
	fs.StringVar(&o.APIVersion, "api-version", "", "Azure OpenAI api-version (default "+cloud.DefaultAzureAPIVersion+")")
}

func presetIDs() string {
	ids := make([]string, len(cloud.Presets))
	for i, p := range cloud.Presets {
		ids[i] = p.ID
	}
	return strings.Join(ids, ", ")
}

// wanted reports whether the run goes the cloud way: a configured cloud
// endpoint, an endpoint off this PC, or cloud flags.
func (o benchCloudOptions) wanted(endpoint string) bool {
	return o.UseStored || o.AllowCloud || o.Preset != "" || (endpoint != "" && !cloud.IsLoopbackURL(endpoint))
}

// cloudEndpoint builds the endpoint from the stored settings and the flags
// (flags win; stored proxy, CA and key variable are kept for the same host).
func cloudEndpoint(lang string, stored cloud.Endpoint, haveStored bool, opts benchOptions) (cloud.Endpoint, error) {
	o := opts.Cloud
	ep := stored
	if opts.Endpoint != "" {
		fresh := cloud.Endpoint{Preset: cloud.PresetCustom, BaseURL: opts.Endpoint}
		if haveStored && strings.EqualFold(fresh.Host(), stored.Host()) {
			fresh = stored
			fresh.BaseURL = opts.Endpoint
		}
		ep = fresh
	} else if !haveStored {
		return ep, usage("cloudcli.no_endpoint_flag", nil)
	}
	if o.Preset != "" {
		if cloud.PresetByID(o.Preset).ID != o.Preset {
			return ep, usage("cli.usage.bench.preset", map[string]any{"Preset": i18n.Escape(o.Preset), "Presets": presetIDs()})
		}
		ep.Preset = o.Preset
	}
	if opts.Model != "" {
		ep.Model = opts.Model
	}
	for _, f := range []struct {
		v   string
		dst *string
	}{{o.KeyEnv, &ep.KeyEnv}, {o.Proxy, &ep.ProxyURL}, {o.CAFile, &ep.CAFile}, {o.Deployment, &ep.AzureDeployment}, {o.APIVersion, &ep.AzureAPIVersion}} {
		if f.v != "" {
			*f.dst = f.v
		}
	}
	return ep, cloud.Localized(ep.Validate(), lang)
}

// printRetry reports a rate-limited request that is repeated.
func printRetry(w io.Writer, lang string, ev cloud.RetryEvent) {
	fmt.Fprintln(w, i18n.T(lang, "cloudcli.retry", map[string]any{"Text": ev.Text(lang)}))
}

// runBenchCloud runs the bundle against a cloud endpoint: the consent
// text is printed, and prompts leave only with --allow-cloud.
func runBenchCloud(ctx context.Context, e *env, opts benchOptions, w, progress io.Writer) error {
	db, err := e.openDB(ctx, cloudrun.Schemas...)
	if err != nil {
		return err
	}
	defer db.Close()
	stored, haveStored, err := cloud.LoadEndpoint(ctx, db)
	if err != nil {
		return err
	}
	ep, err := cloudEndpoint(e.lang, stored, haveStored, opts)
	if err != nil {
		return err
	}
	cat, err := bench.LoadCatalogue(opts.DataDir)
	if err != nil {
		return err
	}
	b, err := testBundle(cat, opts.Bundle)
	if err != nil {
		return err
	}
	dc, err := dataclass.Parse(opts.Cloud.DataClass)
	if err != nil {
		return usage("cli.usage.bench.data_class", map[string]any{"Class": i18n.Escape(opts.Cloud.DataClass), "Classes": strings.Join(dataclass.IDs(), ", ")})
	}
	pol, err := loadAIPolicy(e, "")
	if err != nil {
		return err
	}
	for _, p := range pol.Problems {
		printPolicyProblem(e, p)
	}
	// The AI policy first: a run it forbids is refused before the consent
	// text or anything else.
	if d := cloudrun.PolicyDecision(cloudrun.Request{Endpoint: ep, Policy: pol.Policy, DataClass: dc}); !d.Allowed() {
		return &exitError{code: exitPolicyForbidden, err: &policy.RefusedError{Decision: d, Lang: e.lang}}
	} else {
		fmt.Fprintln(progress, policy.Printable(i18n.T(e.lang, "policy.rule_applies", map[string]any{"Text": d.Summary().Text(e.lang)})))
	}
	plan := cloudrun.PlanFor(ep, b)
	var consent *cloud.Consent
	if plan.NeedsConsent() {
		if err := cloud.Authorize(plan, plan.Grant("check")); err != nil {
			return cloud.Localized(err, e.lang) // bundle not cloud_allowed: refused whatever the flags say
		}
		fmt.Fprintln(progress, plan.ConsentTextIn(e.lang))
		if !opts.Cloud.AllowCloud {
			return cloud.Localized(cloud.ErrCLIConsentMissing(ep.Host()), e.lang)
		}
		consent = plan.Grant("cli")
		fmt.Fprintln(progress, i18n.Msg{ID: "cloudcli.consent_given", Data: map[string]any{"When": i18n.Time(consent.GivenAt)}}.Text(e.lang))
	}
	key, err := cloud.LoadKey(ep, os.Getenv)
	if err != nil && !ep.IsLoopback() {
		return cloud.Localized(err, e.lang)
	}
	fmt.Fprintln(progress, i18n.T(e.lang, "cloudcli.start", map[string]any{"Host": ep.Host(), "Model": ep.ModelName(), "Bundle": b.ID, "Version": b.Version}))
	res, runErr := cloudrun.Run(ctx, db, cloudrun.Request{
		Endpoint: ep, Key: key, Bundle: b, Consent: consent, Repeat: opts.Repeat, Warmup: warmupOpt(opts.Warmup),
		Policy: pol.Policy, DataClass: dc,
		ClientOptions: cloud.ClientOptions{Lang: e.lang},
		OnRetry:       func(ev cloud.RetryEvent) { printRetry(progress, e.lang, ev) },
		OnProgress:    func(p bench.Progress) { printBenchProgress(progress, e.lang, p) },
	})
	if res == nil {
		return runErr
	}
	if err := printBenchRun(res, e.lang, opts.JSON, w); err != nil {
		return err
	}
	return runErr
}
