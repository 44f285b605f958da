package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ki-reise/kicheck/internal/atomicfile"
	"github.com/ki-reise/kicheck/internal/i18n"
	"github.com/ki-reise/kicheck/internal/learning"
	"github.com/ki-reise/kicheck/internal/moochub"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
	"github.com/ki-reise/kicheck/internal/store"
)

// `kicheck training offers import|list|show|assign|coverage|compare` and
// `kicheck training export|paths`: the existing learning offers, their
// coverage of the competency framework, and the catalogue in MOOChub v3
// (docs/moochub.md).

func init() {
	register(&command{name: "training", summary: "learning offers (MOOChub v3, CSV): import, coverage and gaps, assign to the catalogue; export ('kicheck training help')", run: trainingCmds.run})
}

func printTrainingHelp(w io.Writer) {
	fmt.Fprint(w, `Usage:
  kicheck training offers import FILE|URL... [--allow-network] [--max-pages 100] [--max-bytes N] [--dry-run] [--json]
  kicheck training offers list [--all] [--json]
  kicheck training offers show ID [--json]
  kicheck training offers assign ID --area A1 --level grundlage | --reject A1 | --accept
  kicheck training offers assign --module MODULE (ID | --own) [--remove]
  kicheck training offers coverage [--role ROLE] [--json | --csv]
  kicheck training offers compare ID ID... [--json]
  kicheck training paths [--role ROLE] [--json]
  kicheck training export --format moochub|paths-json|paths-csv|coverage-json|coverage-csv --out FILE
                          [--publisher NAME] [--publisher-url URL] [--base-url URL]

FILE is a MOOChub v3 JSON file or a CSV list (provider,title,url,duration,format,cost,language).
A URL is read only with --allow-network, following links.next up to --max-pages pages.
Formats and fields: docs/moochub.md.
`)
}

// trainingCmds and offersCmds are the subcommands of kicheck training and
// kicheck training offers; both print the one help above.
var (
	offersCmds = &subcommands{parent: "training offers", help: printTrainingHelp, list: []*command{
		{name: "import", run: runOffersImportCmd}, {name: "list", run: runOffersListCmd}, {name: "show", run: runOffersShowCmd},
		{name: "assign", run: runOffersAssignCmd}, {name: "coverage", run: runOffersCoverageCmd}, {name: "compare", run: runOffersCompareCmd},
	}}
	trainingCmds = &subcommands{parent: "training", help: printTrainingHelp, list: []*command{
		{name: "export", run: runTrainingExportCmd}, {name: "paths", run: runTrainingPathsCmd}, {name: "offers", run: offersCmds.run},
	}}
)

// offersEnv is what every offers command needs: the framework and
// catalogue in use and the database with the offers' schema.
func offersEnv(ctx context.Context, e *env) (*learning.Content, *store.DB, error) {
	c, err := learning.Load(e.dataDir)
	if err != nil {
		return nil, nil, err
	}
	warnAll(e, c.Warnings)
	db, err := e.openDB(ctx, offers.Schema)
	if err != nil {
		return nil, nil, err
	}
	return c, db, nil
}

func tr(lang, id string, kv ...any) string {
	if len(kv) == 0 {
		return i18n.T(lang, id)
	}
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		v := kv[i+1]
		if t, ok := v.(i18n.Texter); ok {
			v = t.Text(lang)
		}
		m[kv[i].(string)] = v
	}
	return i18n.T(lang, id, m)
}

// ---- import

type offersImportOptions struct {
	Inputs       []string
	AllowNetwork bool
	MaxPages     int
	MaxBytes     int64
	JSON         bool
	DryRun       bool         // read and check, store nothing
	Client       *http.Client // nil: default
}

func runOffersImportCmd(ctx context.Context, e *env, args []string) error {
	var o offersImportOptions
	fs := newFlagSet("training offers import", e.stderr)
	fs.BoolVar(&o.AllowNetwork, "allow-network", false, "allow this command to fetch http(s) URLs (MOOChub catalogues with their pages)")
	fs.IntVar(&o.MaxPages, "max-pages", moochub.DefaultMaxPages, "stop after this many pages of a URL (links.next)")
	fs.Int64Var(&o.MaxBytes, "max-bytes", moochub.DefaultMaxBytes, "refuse a file or page larger than this")
	fs.BoolVar(&o.JSON, "json", false, "print the results as JSON (with --dry-run: the offers read)")
	fs.BoolVar(&o.DryRun, "dry-run", false, "read and check the inputs against the format, store nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	o.Inputs = fs.Args()
	if len(o.Inputs) == 0 {
		return usage("cli.usage.training.import.args", nil)
	}
	return runOffersImport(ctx, o, e)
}

// runOffersImport imports each input on its own: a failing source stores
// nothing and the others go on; offers stored before stay.
func runOffersImport(ctx context.Context, o offersImportOptions, e *env) error {
	c, db, err := offersEnv(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	var results []*offers.ImportResult
	var failed []string
	var dry []offers.Offer
	for _, in := range o.Inputs {
		if o.DryRun {
			src, _, list, pages, err := offers.Read(ctx, c.Framework, in, offers.ImportOptions{AllowNetwork: o.AllowNetwork, MaxPages: o.MaxPages, MaxBytes: o.MaxBytes, Client: o.Client})
			if err != nil {
				report(e.stderr, offers.Localized(err, e.lang), e.lang)
				failed = append(failed, moochub.Clean(in))
				continue
			}
			dry = append(dry, list...)
			if !o.JSON {
				fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.checked", "Source", moochub.Clean(src), "Count", len(list), "Pages", pages))
			}
			continue
		}
		res, err := offers.Import(ctx, db, c.Framework, in, offers.ImportOptions{AllowNetwork: o.AllowNetwork, MaxPages: o.MaxPages, MaxBytes: o.MaxBytes, Client: o.Client,
			Progress: func(page int, u string) {
				fmt.Fprintln(e.stderr, tr(e.lang, "offerscli.page", "Page", page, "URL", moochub.Clean(u)))
			}})
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			report(e.stderr, offers.Localized(err, e.lang), e.lang)
			failed = append(failed, moochub.Clean(in))
			continue
		}
		results = append(results, res)
		if !o.JSON {
			fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.imported", "Source", moochub.Clean(res.Source), "Added", res.Added, "Updated", res.Updated,
				"Unchanged", res.Unchanged, "Removed", res.Removed))
		}
	}
	if o.JSON && o.DryRun {
		if dry == nil {
			dry = []offers.Offer{}
		}
		if err := writeJSON(e.stdout, dry); err != nil {
			return err
		}
	} else if o.JSON {
		if results == nil {
			results = []*offers.ImportResult{}
		}
		if err := writeJSON(e.stdout, results); err != nil {
			return err
		}
	}
	if len(failed) > 0 {
		return i18n.NewError("offerscli.import_failed", "", map[string]any{"Count": len(failed), "List": strings.Join(failed, ", ")}, nil)
	}
	if !o.JSON && !o.DryRun {
		fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.next_steps"))
	}
	return nil
}

// ---- list

type offersListOptions struct {
	All  bool // with the offers that vanished from their source
	JSON bool
}

func runOffersListCmd(ctx context.Context, e *env, args []string) error {
	var o offersListOptions
	fs := newFlagSet("training offers list", e.stderr)
	fs.BoolVar(&o.All, "all", false, "include offers that vanished from their source")
	fs.BoolVar(&o.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noTrainingArgs("offers list", fs); err != nil {
		return err
	}
	return runOffersList(ctx, o, e)
}

// noTrainingArgs is the usage error of a training subcommand that takes
// no arguments but got some.
func noTrainingArgs(sub string, fs *flag.FlagSet) error {
	if fs.NArg() == 0 {
		return nil
	}
	return usage("cli.usage.training.no_args", map[string]any{"Sub": sub, "Arg": i18n.Escape(fs.Arg(0))})
}

// runOffersList prints the stored offers with their areas and proposals.
func runOffersList(ctx context.Context, o offersListOptions, e *env) error {
	all, asJSON := o.All, o.JSON
	c, db, err := offersEnv(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := offers.List(ctx, db, all)
	if err != nil {
		return err
	}
	rej, err := offers.Rejected(ctx, db)
	if err != nil {
		return err
	}
	if asJSON {
		type item struct {
			offers.Offer
			Proposals []offers.Proposal `json:"proposals"`
		}
		out := []item{}
		for i := range list {
			ps := offers.Propose(c.Framework, &list[i], rej[list[i].ID])
			if ps == nil {
				ps = []offers.Proposal{}
			}
			out = append(out, item{list[i], ps})
		}
		return writeJSON(e.stdout, out)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.none"))
		return nil
	}
	for i := range list {
		o := &list[i]
		head := fmt.Sprintf("#%d %s – %s", o.ID, o.Provider, o.Name)
		if o.Removed != nil {
			head += " " + tr(e.lang, "offerscli.removed_mark")
		}
		fmt.Fprintln(e.stdout, head)
		fmt.Fprintf(e.stdout, "    %s\n", offers.OfferFacts(e.lang, covering(o)))
		fmt.Fprintf(e.stdout, "    %s\n", areasLine(e.lang, c.Framework, o, offers.Propose(c.Framework, o, rej[o.ID])))
	}
	return nil
}

// covering is the offer's facts as the coverage shows them (level
// stated, so "assumed" is not printed for the offer as a whole).
func covering(o *offers.Offer) offers.CoveringOffer {
	return offers.CoveringOffer{ID: o.ID, Name: o.Name, Provider: o.Provider, URL: o.URL, LevelStated: true, DurationMinutes: o.DurationMinutes,
		Workload: o.Workload, Cost: o.CostText(), Free: o.Free(), Languages: o.Languages, Modes: o.Modes}
}

func mappingText(lang string, fw *learning.Framework, m offers.Mapping) string {
	s := m.Area + " " + fw.LevelLabel(m.Level, lang)
	if !m.LevelStated {
		s += "?"
	}
	return s + " (" + tr(lang, "offerscli.origin."+m.Origin) + ")"
}

func areasLine(lang string, fw *learning.Framework, o *offers.Offer, ps []offers.Proposal) string {
	var conf []string
	for _, m := range o.Areas {
		conf = append(conf, mappingText(lang, fw, m))
	}
	var prop []string
	for _, p := range ps {
		prop = append(prop, p.Area+" "+fw.LevelLabel(p.Level, lang))
	}
	s := tr(lang, "offerscli.areas") + ": "
	if len(conf) == 0 {
		s += tr(lang, "offerscli.areas_none")
	} else {
		s += strings.Join(conf, ", ")
	}
	if len(prop) > 0 {
		s += " · " + tr(lang, "offerscli.proposed") + ": " + strings.Join(prop, ", ")
	}
	return s
}

func parseOfferID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, usage("cli.usage.training.offer_id", map[string]any{"Value": i18n.Escape(s)})
	}
	return id, nil
}

// ---- show

type offersShowOptions struct {
	Offer int64
	JSON  bool
}

func runOffersShowCmd(ctx context.Context, e *env, args []string) error {
	var o offersShowOptions
	fs := newFlagSet("training offers show", e.stderr)
	fs.BoolVar(&o.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usage("cli.usage.training.show.args", nil)
	}
	var err error
	if o.Offer, err = parseOfferID(fs.Arg(0)); err != nil {
		return err
	}
	return runOffersShow(ctx, o, e)
}

// runOffersShow prints one offer with its areas, proposals and history.
func runOffersShow(ctx context.Context, o offersShowOptions, e *env) error {
	c, db, err := offersEnv(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := offers.Detail(ctx, db, c, o.Offer)
	if err != nil {
		return offersCLIError(e.lang, err)
	}
	if o.JSON {
		return writeJSON(e.stdout, d)
	}
	writeOfferText(e.stdout, e.lang, c.Framework, d)
	return nil
}

func offersCLIError(lang string, err error) error {
	if errors.Is(err, offers.ErrNotFound) {
		return i18n.NewError("offerscli.not_found", "offers.hint.usage", nil, err)
	}
	return offers.Localized(err, lang)
}

func writeOfferText(w io.Writer, lang string, fw *learning.Framework, d *offers.OfferDetail) {
	o := &d.Offer
	t := func(id string, kv ...any) string { return tr(lang, id, kv...) }
	fmt.Fprintf(w, "#%d %s\n", o.ID, o.Name)
	row := func(label, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-14s %s\n", label+":", v)
		}
	}
	row(t("offerscli.provider"), o.Provider)
	row(t("offerscli.link"), o.URL)
	row(t("offerscli.facts"), offers.OfferFacts(lang, covering(o)))
	row(t("offerscli.license"), strings.Join(o.License, ", "))
	row(t("offerscli.keywords"), strings.Join(o.Keywords, ", "))
	row(t("offerscli.source"), t("offerscli.source_line", "Source", moochub.Clean(o.Source), "First", i18n.Time(o.FirstImported), "Last", i18n.Time(o.LastImported)))
	if o.Removed != nil {
		row(t("offerscli.removed"), i18n.Time(*o.Removed).Text(lang))
	}
	if o.Description != "" {
		fmt.Fprintf(w, "  %s:\n", t("offerscli.description"))
		for _, l := range strings.Split(o.Description, "\n") {
			if l == "" {
				fmt.Fprintln(w)
				continue
			}
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
	fmt.Fprintln(w, "  "+areasLine(lang, fw, o, d.Proposals))
	for _, p := range d.Proposals {
		why := strings.Join(p.Terms, ", ")
		if len(p.DigComp) > 0 {
			why = strings.TrimPrefix(why+", DigComp "+strings.Join(p.DigComp, ", "), ", ")
		}
		fmt.Fprintf(w, "    %s\n", t("offerscli.proposal_line", "Area", p.Area, "Title", fw.AreaLabel(p.Area, lang), "Level", fw.LevelLabel(p.Level, lang), "Why", why, "ID", o.ID, "LevelID", string(p.Level)))
	}
	if len(d.DigComp) > 0 {
		fmt.Fprintf(w, "  %s:\n", t("offerscli.digcomp"))
		for _, s := range d.DigComp {
			title := s.Title
			for _, ref := range fw.DigComp {
				if ref.ID == s.ShortCode && lang == "en" {
					title = ref.TitleEN
				}
			}
			fmt.Fprintf(w, "    %s %s\n", s.ShortCode, title)
		}
	}
	if len(d.Modules) > 0 {
		fmt.Fprintf(w, "  %s: %s\n", t("offerscli.modules"), strings.Join(d.Modules, ", "))
	}
	fmt.Fprintf(w, "  %s:\n", t("offerscli.history"))
	for _, h := range d.History {
		line := i18n.Time(h.At).Text(lang) + " " + t("offerscli.action."+h.Action)
		if h.Before != nil && h.Action == "updated" {
			line += " " + t("offerscli.before", "Name", h.Before.Name)
		}
		fmt.Fprintf(w, "    %s\n", line)
	}
}

// ---- assign

type offersAssignOptions struct {
	Offer  int64
	Area   string
	Level  string
	Reject string
	Accept bool
	Module string
	Own    bool
	Remove bool
	Now    time.Time // when the decision is recorded (zero: now)
}

func runOffersAssignCmd(ctx context.Context, e *env, args []string) error {
	var o offersAssignOptions
	fs := newFlagSet("training offers assign", e.stderr)
	fs.StringVar(&o.Area, "area", "", "the competency area the offer covers (A1 … A8)")
	fs.StringVar(&o.Level, "level", "", "the level at which it covers the area (grundlage, mittel, fortgeschritten, hochspezialisiert)")
	fs.StringVar(&o.Reject, "reject", "", "remove the offer's mapping to this area and propose it no more")
	fs.BoolVar(&o.Accept, "accept", false, "confirm every area proposed for the offer, at the proposed level (they are printed)")
	fs.StringVar(&o.Module, "module", "", "name the offer for this module of the training catalogue")
	fs.BoolVar(&o.Own, "own", false, "with --module: the municipality runs the module itself (eigene Schulung)")
	fs.BoolVar(&o.Remove, "remove", false, "with --module: take the offer (or --own) off the module")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	pos := fs.Args()
	switch {
	case o.Module != "" && o.Own && len(pos) == 0:
	case len(pos) == 1:
		var err error
		if o.Offer, err = parseOfferID(pos[0]); err != nil {
			return err
		}
	default:
		return usage("cli.usage.training.assign.args", nil)
	}
	n := 0
	for _, b := range []bool{o.Area != "", o.Reject != "", o.Accept, o.Module != ""} {
		if b {
			n++
		}
	}
	if n != 1 || (o.Area != "" && o.Level == "") || (o.Own && o.Module == "") {
		return usage("cli.usage.training.assign.one", nil)
	}
	return runOffersAssign(ctx, o, e)
}

// runOffersAssign records one decision about an offer: its area and
// level, a rejected proposal, the accepted proposals, or a module.
func runOffersAssign(ctx context.Context, o offersAssignOptions, e *env) error {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	c, db, err := offersEnv(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	fw := c.Framework
	switch {
	case o.Module != "":
		id := o.Offer
		if o.Own {
			id = offers.OwnOffer
		}
		if o.Remove {
			err = offers.UnassignModule(ctx, db, o.Module, id)
		} else {
			err = offers.AssignModule(ctx, db, c.Catalogue, o.Module, id, now)
		}
		if err != nil {
			return offersCLIError(e.lang, err)
		}
		what := learning.OwnTraining
		if !o.Own {
			off, err := offers.Get(ctx, db, id)
			if err != nil {
				return offersCLIError(e.lang, err)
			}
			what = "#" + strconv.FormatInt(id, 10) + " " + off.Name
		}
		msg := "offerscli.module_assigned"
		if o.Remove {
			msg = "offerscli.module_removed"
		}
		fmt.Fprintln(e.stdout, tr(e.lang, msg, "Module", o.Module, "What", what))
		return nil
	case o.Reject != "":
		if fw.Area(o.Reject) == nil {
			return offers.Localized(&offers.UsageError{Msg: i18n.Msg{ID: "offers.err.unknown_area", Data: map[string]any{"Area": o.Reject, "Areas": areaIDList(fw)}}}, e.lang)
		}
		if err := offers.Reject(ctx, db, o.Offer, o.Reject, now); err != nil {
			return offersCLIError(e.lang, err)
		}
		fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.rejected", "ID", o.Offer, "Area", o.Reject))
		return nil
	case o.Accept:
		off, err := offers.Get(ctx, db, o.Offer)
		if err != nil {
			return offersCLIError(e.lang, err)
		}
		rej, err := offers.Rejected(ctx, db)
		if err != nil {
			return err
		}
		ps := offers.Propose(fw, off, rej[o.Offer])
		if len(ps) == 0 {
			fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.no_proposals", "ID", o.Offer))
			return nil
		}
		for _, p := range ps {
			if err := offers.Assign(ctx, db, fw, o.Offer, p.Area, p.Level, now); err != nil {
				return offersCLIError(e.lang, err)
			}
			fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.assigned", "ID", o.Offer, "Area", p.Area, "Level", fw.LevelLabel(p.Level, e.lang)))
		}
		return nil
	}
	if err := offers.Assign(ctx, db, fw, o.Offer, o.Area, quiz.Level(o.Level), now); err != nil {
		return offersCLIError(e.lang, err)
	}
	fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.assigned", "ID", o.Offer, "Area", o.Area, "Level", fw.LevelLabel(quiz.Level(o.Level), e.lang)))
	return nil
}

func areaIDList(fw *learning.Framework) string {
	s := make([]string, len(fw.Areas))
	for i, a := range fw.Areas {
		s[i] = a.ID
	}
	return strings.Join(s, ", ")
}

// ---- coverage

type offersCoverageOptions struct {
	JSON, CSV bool
	Role      string // "": every role
}

func runOffersCoverageCmd(ctx context.Context, e *env, args []string) error {
	var o offersCoverageOptions
	fs := newFlagSet("training offers coverage", e.stderr)
	fs.BoolVar(&o.JSON, "json", false, "print JSON (docs/schema/offers-coverage.schema.json)")
	fs.BoolVar(&o.CSV, "csv", false, "print CSV, one row per area and level")
	fs.StringVar(&o.Role, "role", "", "only the gaps of this role (anwender, fachverantwortlich, fuehrungskraft, it)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noTrainingArgs("offers coverage", fs); err != nil {
		return err
	}
	if o.JSON && o.CSV {
		return usage("cli.usage.training.json_csv", nil)
	}
	if err := checkRole(o.Role); err != nil {
		return err
	}
	return runOffersCoverage(ctx, o, e)
}

// checkRole is the usage error of an unknown --role ("" is none given).
func checkRole(role string) error {
	if role == "" || validRole(role) {
		return nil
	}
	return usage("cli.usage.staff_role", map[string]any{"Role": i18n.Escape(role)})
}

// runOffersCoverage prints the coverage of the competency framework by
// the offers, with the gaps.
func runOffersCoverage(ctx context.Context, o offersCoverageOptions, e *env) error {
	asJSON, asCSV, role := o.JSON, o.CSV, o.Role
	c, db, err := offersEnv(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	cov, err := offers.CoverageOf(ctx, db, c.Framework, time.Now())
	if err != nil {
		return err
	}
	if role != "" {
		cov = cov.ForRole(quiz.Role(role))
	}
	switch {
	case asJSON:
		return writeJSON(e.stdout, cov)
	case asCSV:
		return cov.WriteCSV(e.stdout)
	}
	cov.WriteText(e.stdout, e.lang, c.Framework)
	return nil
}

// ---- compare

type offersCompareOptions struct {
	Offers []int64 // two or more
	JSON   bool
}

func runOffersCompareCmd(ctx context.Context, e *env, args []string) error {
	var o offersCompareOptions
	fs := newFlagSet("training offers compare", e.stderr)
	fs.BoolVar(&o.JSON, "json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return usage("cli.usage.training.compare.args", nil)
	}
	for _, p := range fs.Args() {
		id, err := parseOfferID(p)
		if err != nil {
			return err
		}
		o.Offers = append(o.Offers, id)
	}
	return runOffersCompare(ctx, o, e)
}

// runOffersCompare prints the offers side by side.
func runOffersCompare(ctx context.Context, o offersCompareOptions, e *env) error {
	c, db, err := offersEnv(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	cmp, err := offers.Compare(ctx, db, c.Framework, o.Offers)
	if err != nil {
		return offersCLIError(e.lang, err)
	}
	if o.JSON {
		return writeJSON(e.stdout, cmp)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	for _, r := range cmp.Rows(e.lang, c.Framework) {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// ---- paths

type trainingPathsOptions struct {
	JSON bool
	Role string // "": every role's path
}

func runTrainingPathsCmd(ctx context.Context, e *env, args []string) error {
	var o trainingPathsOptions
	fs := newFlagSet("training paths", e.stderr)
	fs.BoolVar(&o.JSON, "json", false, "print JSON (docs/schema/learning-paths.schema.json)")
	fs.StringVar(&o.Role, "role", "", "only this role's path")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noTrainingArgs("paths", fs); err != nil {
		return err
	}
	if err := checkRole(o.Role); err != nil {
		return err
	}
	return runTrainingPaths(ctx, o, e)
}

// runTrainingPaths prints the learning path of each role with the courses
// chosen for its modules.
func runTrainingPaths(ctx context.Context, o trainingPathsOptions, e *env) error {
	asJSON, role := o.JSON, o.Role
	c, db, err := offersEnv(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := offers.Apply(ctx, db, c.Catalogue); err != nil {
		return err
	}
	doc := offers.Paths(c)
	if role != "" {
		doc.Paths = slices.DeleteFunc(doc.Paths, func(p offers.PathJSON) bool { return string(p.Role) != role })
	}
	if asJSON {
		return writeJSON(e.stdout, doc)
	}
	for i, p := range doc.Paths {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		fmt.Fprintln(e.stdout, tr(e.lang, "offerscli.path_head", "Role", c.Framework.RoleLabel(p.Role, e.lang)))
		for j, m := range p.Modules {
			fmt.Fprintf(e.stdout, "  %d. %s (%s, %s)\n", j+1, m.Title, i18n.Minutes(e.lang, m.DurationMinutes), c.Framework.LevelLabel(m.Level, e.lang))
			writeCourses(e.stdout, e.lang, "     ", m.Courses)
		}
	}
	return nil
}

// writeCourses prints the courses chosen for a module, or that none is
// chosen yet.
func writeCourses(w io.Writer, lang, indent string, cs []learning.CourseRef) {
	if len(cs) == 0 {
		fmt.Fprintln(w, indent+"→ "+tr(lang, "offerscli.no_course"))
		return
	}
	for _, c := range cs {
		if c.Own {
			fmt.Fprintln(w, indent+"→ "+tr(lang, "offerscli.own_training"))
			continue
		}
		facts := []string{}
		if c.DurationMinutes > 0 {
			facts = append(facts, i18n.Minutes(lang, c.DurationMinutes))
		}
		if c.Cost != "" {
			facts = append(facts, offers.CostText(lang, c.Cost))
		}
		if c.Language != "" {
			facts = append(facts, c.Language)
		}
		line := fmt.Sprintf("%s→ %s: %s", indent, moochub.Clean(c.Provider), moochub.Clean(c.Title))
		if len(facts) > 0 {
			line += " (" + strings.Join(facts, ", ") + ")"
		}
		fmt.Fprintln(w, line)
		fmt.Fprintln(w, indent+"  "+moochub.Clean(c.URL))
	}
}

// ---- export

type trainingExportOptions struct {
	Format       string
	Out          string
	Publisher    string
	PublisherURL string
	BaseURL      string
}

var exportFormats = []string{"moochub", "paths-json", "paths-csv", "coverage-json", "coverage-csv"}

func runTrainingExportCmd(ctx context.Context, e *env, args []string) error {
	var o trainingExportOptions
	fs := newFlagSet("training export", e.stderr)
	fs.StringVar(&o.Format, "format", "moochub", "moochub, paths-json, paths-csv, coverage-json or coverage-csv")
	fs.StringVar(&o.Out, "out", "", "file to write (- for standard output)")
	fs.StringVar(&o.Publisher, "publisher", "", "the municipality publishing the catalogue (MOOChub publisher and creator)")
	fs.StringVar(&o.PublisherURL, "publisher-url", "", "the municipality's web address")
	fs.StringVar(&o.BaseURL, "base-url", "", "where the catalogue is published; modules without a link get BASE#module-id")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noTrainingArgs("export", fs); err != nil {
		return err
	}
	if o.Out == "" {
		return usage("cli.usage.training.export.out", nil)
	}
	if !slices.Contains(exportFormats, o.Format) {
		return usage("cli.usage.format", map[string]any{"Format": i18n.Escape(o.Format), "Valid": strings.Join(exportFormats, ", ")})
	}
	return runTrainingExport(ctx, o, e)
}

// runTrainingExport writes the catalogue, the learning paths or the
// coverage in o.Format to o.Out.
func runTrainingExport(ctx context.Context, o trainingExportOptions, e *env) error {
	c, db, err := offersEnv(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := offers.Apply(ctx, db, c.Catalogue); err != nil {
		return err
	}
	var data []byte
	var b strings.Builder
	switch o.Format {
	case "moochub":
		if o.Publisher == "" {
			o.Publisher = c.Framework.Attribution
		}
		doc, err := offers.CatalogueMOOChub(c, offers.ExportOptions{Publisher: o.Publisher, PublisherURL: o.PublisherURL, BaseURL: o.BaseURL})
		if err != nil {
			return offers.Localized(err, e.lang)
		}
		if data, err = moochub.Marshal(doc); err != nil {
			return err
		}
		// What is written must read back as MOOChub v3.
		if _, err := moochub.Parse("export", data); err != nil {
			return fmt.Errorf("export does not validate: %w", err)
		}
	case "paths-json":
		if err := writeJSON(&b, offers.Paths(c)); err != nil {
			return err
		}
	case "paths-csv":
		if err := offers.Paths(c).WriteCSV(&b); err != nil {
			return err
		}
	case "coverage-json", "coverage-csv":
		cov, err := offers.CoverageOf(ctx, db, c.Framework, time.Now())
		if err != nil {
			return err
		}
		if o.Format == "coverage-csv" {
			err = cov.WriteCSV(&b)
		} else {
			err = writeJSON(&b, cov)
		}
		if err != nil {
			return err
		}
	}
	if data == nil {
		data = []byte(b.String())
	}
	if o.Out == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	if err := atomicfile.Write(o.Out, data, 0o644); err != nil {
		return writeFileError(o.Out, err)
	}
	fmt.Fprintln(e.stderr, tr(e.lang, "quizcli.written", "File", o.Out))
	return nil
}
