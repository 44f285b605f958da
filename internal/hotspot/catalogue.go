package hotspot

import (
	"errors"
	"fmt"
	"regexp"
	"sort"

	"github.com/ki-reise/kicheck/bundles"
	"github.com/ki-reise/kicheck/internal/bundle"
)

// TaskType is what an AI does in a process step (bundles/tasktypes): the
// catalogue use case whose fit verdict is the measured readiness, and the
// share of the text work's time it is assumed to save, with its source.
type TaskType struct {
	ID             string  `yaml:"id" json:"id"`
	Name           string  `yaml:"name" json:"name"`
	NameEN         string  `yaml:"name_en" json:"name_en,omitempty"`
	Description    string  `yaml:"description" json:"description"`
	DescriptionEN  string  `yaml:"description_en" json:"description_en,omitempty"`
	UseCase        string  `yaml:"usecase" json:"usecase"`
	SavingPercent  float64 `yaml:"saving_percent" json:"saving_percent"`
	SavingSource   string  `yaml:"saving_source" json:"saving_source"`
	SavingSourceEN string  `yaml:"saving_source_en" json:"saving_source_en,omitempty"`
	Origin         string  `yaml:"-" json:"origin"`
}

// Title is the task type's name in lang.
func (t TaskType) Title(lang string) string {
	if lang == "en" && t.NameEN != "" {
		return t.NameEN
	}
	return t.Name
}

// Text is the plain description in lang.
func (t TaskType) Text(lang string) string {
	if lang == "en" && t.DescriptionEN != "" {
		return t.DescriptionEN
	}
	return t.Description
}

// Source is where the saving comes from, in lang.
func (t TaskType) Source(lang string) string {
	if lang == "en" && t.SavingSourceEN != "" {
		return t.SavingSourceEN
	}
	return t.SavingSource
}

// Step is one step of a catalogue process and the task type that could
// help in it ("" where no AI helps).
type Step struct {
	Name   string `yaml:"name" json:"name"`
	NameEN string `yaml:"name_en" json:"name_en,omitempty"`
	Task   string `yaml:"task" json:"task,omitempty"`
}

// CatalogueProcess is a typical municipal process (bundles/processes).
// Its figures are example values where ExampleValues is set.
type CatalogueProcess struct {
	ID               string  `yaml:"id" json:"id"`
	Name             string  `yaml:"name" json:"name"`
	NameEN           string  `yaml:"name_en" json:"name_en,omitempty"`
	LeiKa            string  `yaml:"leika" json:"leika,omitempty"`
	MainTask         string  `yaml:"main_task" json:"main_task"`
	Steps            []Step  `yaml:"steps" json:"steps"`
	CasesPerYear     int64   `yaml:"cases_per_year" json:"cases_per_year"`
	MinutesPerCase   float64 `yaml:"minutes_per_case" json:"minutes_per_case"`
	TextSharePercent float64 `yaml:"text_share_percent" json:"text_share_percent"`
	ExampleValues    bool    `yaml:"example_values" json:"example_values"`
	DataClass        string  `yaml:"data_class" json:"data_class"`
	Effect           string  `yaml:"effect" json:"effect"`
	Area             string  `yaml:"area" json:"area"`
	Profiling        bool    `yaml:"profiling" json:"profiling"`
	PublicContact    bool    `yaml:"public_contact" json:"public_contact,omitempty"`
	PublishesText    bool    `yaml:"publishes_text" json:"publishes_text,omitempty"`
	Unit             string  `yaml:"-" json:"organisationseinheit"`
	UnitEN           string  `yaml:"-" json:"organisationseinheit_en,omitempty"`
	Origin           string  `yaml:"-" json:"origin"`
}

// Survey turns a catalogue process into a survey row (its example
// values, marked so in the note).
func (c CatalogueProcess) Survey() Process {
	p := Process{ID: c.ID, Name: c.Name, Unit: c.Unit, LeiKa: c.LeiKa, CasesPerYear: c.CasesPerYear,
		MinutesPerCase: c.MinutesPerCase, TextSharePercent: c.TextSharePercent, Task: c.MainTask,
		DataClass: c.DataClass, Effect: c.Effect, Area: c.Area, Profiling: c.Profiling,
		PublicContact: c.PublicContact, PublishesText: c.PublishesText}
	if c.ExampleValues {
		p.Note = ExampleNote
	}
	return p
}

// ExampleNote marks the figures of a row taken from the catalogue.
const ExampleNote = "Beispielwerte aus dem Prozesskatalog, nicht gemessen"

type processFile struct {
	Unit      string             `yaml:"organisationseinheit"`
	UnitEN    string             `yaml:"organisationseinheit_en"`
	Processes []CatalogueProcess `yaml:"processes"`
}

// Catalogue is the packaged task types and processes with the
// municipality's own files (<datadir>/bundles/{tasktypes,processes}) laid
// over them: the same id replaces, a new id adds.
type Catalogue struct {
	TaskTypes []TaskType         `json:"tasktypes"`
	Processes []CatalogueProcess `json:"processes"`
	// Problems lists own files that were refused; the packaged entries
	// are used instead.
	Problems bundle.Errors `json:"problems,omitempty"`
}

// TaskType returns the task type with id.
func (c *Catalogue) TaskType(id string) (TaskType, bool) {
	for _, t := range c.TaskTypes {
		if t.ID == id {
			return t, true
		}
	}
	return TaskType{}, false
}

// TaskIDs lists the task type ids in order.
func (c *Catalogue) TaskIDs() []string {
	out := make([]string, len(c.TaskTypes))
	for i, t := range c.TaskTypes {
		out[i] = t.ID
	}
	return out
}

var (
	taskKind       = bundle.Kind{Dir: "tasktypes", Embedded: bundles.TaskTypes}
	processKind    = bundle.Kind{Dir: "processes", Embedded: bundles.Processes}
	taskSchema     = bundle.NewSchema("tasktypes.schema.json")
	processSchema  = bundle.NewSchema("processes.schema.json")
	leikaPattern   = regexp.MustCompile(`^[0-9]{14}$`)
	idPattern      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	errBadPackaged = errors.New("packaged hotspot catalogue")
)

// ValidLeiKa reports whether s is a LeiKa Leistungsschlüssel in form: 14
// digits. Whether the key exists is not checked (the LeiKa is not
// packaged); an empty key is valid ("not known").
func ValidLeiKa(s string) bool { return s == "" || leikaPattern.MatchString(s) }

// LoadCatalogue reads the task types and processes. useCases are the ids
// of the fit catalogue's use cases (fit.LoadCatalogue), against which a
// task type's usecase is checked; nil skips that check. A broken own file
// goes to Problems; a broken packaged file is an error.
func LoadCatalogue(dataDir string, useCases []string) (*Catalogue, error) {
	c := &Catalogue{}
	known := map[string]bool{}
	for _, u := range useCases {
		known[u] = true
	}
	tasks := map[string]TaskType{}
	err := loadKind(c, taskKind, dataDir, func(f bundle.File) *bundle.Error {
		var t TaskType
		doc, errs := bundle.Decode(f.Name, f.Data, taskSchema, &t)
		if errs != nil {
			return errs[0]
		}
		if useCases != nil && !known[t.UseCase] {
			return doc.ErrorAt("usecase", fmt.Sprintf("unknown use case %q (bundles/usecases)", t.UseCase))
		}
		t.Origin = f.Name
		tasks[t.ID] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		c.TaskTypes = append(c.TaskTypes, t)
	}
	sort.Slice(c.TaskTypes, func(i, j int) bool { return c.TaskTypes[i].ID < c.TaskTypes[j].ID })

	procs := map[string]CatalogueProcess{}
	err = loadKind(c, processKind, dataDir, func(f bundle.File) *bundle.Error {
		var pf processFile
		doc, errs := bundle.Decode(f.Name, f.Data, processSchema, &pf)
		if errs != nil {
			return errs[0]
		}
		seen := map[string]bool{}
		for i, p := range pf.Processes {
			at := fmt.Sprintf("processes[%d]", i)
			if seen[p.ID] {
				return doc.ErrorAt(at+".id", fmt.Sprintf("%q is listed twice", p.ID))
			}
			seen[p.ID] = true
			if !ValidLeiKa(p.LeiKa) {
				return doc.ErrorAt(at+".leika", "a LeiKa key has 14 digits")
			}
			if _, ok := tasks[p.MainTask]; !ok {
				return doc.ErrorAt(at+".main_task", fmt.Sprintf("unknown task type %q", p.MainTask))
			}
			for j, s := range p.Steps {
				if _, ok := tasks[s.Task]; s.Task != "" && !ok {
					return doc.ErrorAt(fmt.Sprintf("%s.steps[%d].task", at, j), fmt.Sprintf("unknown task type %q", s.Task))
				}
			}
		}
		for _, p := range pf.Processes {
			p.Unit, p.UnitEN, p.Origin = pf.Unit, pf.UnitEN, f.Name
			procs[p.ID] = p
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range procs {
		c.Processes = append(c.Processes, p)
	}
	sort.Slice(c.Processes, func(i, j int) bool {
		a, b := c.Processes[i], c.Processes[j]
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		return a.ID < b.ID
	})
	return c, nil
}

func loadKind(c *Catalogue, k bundle.Kind, dataDir string, parse func(bundle.File) *bundle.Error) error {
	packaged, err := k.Packaged()
	if err != nil {
		return fmt.Errorf("%w: %v", errBadPackaged, err)
	}
	for _, f := range packaged {
		if e := parse(f); e != nil {
			return fmt.Errorf("%w: %v", errBadPackaged, e)
		}
	}
	own, problems := k.Own(dataDir)
	c.Problems = append(c.Problems, problems...)
	for _, f := range own {
		if e := parse(f); e != nil {
			c.Problems = append(c.Problems, e)
		}
	}
	return nil
}
