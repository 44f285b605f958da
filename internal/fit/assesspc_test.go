package fit

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
)

// AssessPC is the pipeline kicheck models, the Eignung screen and the
// check share: the use cases named, texts in the language asked for, the
// measurement beside its model's prediction.
func TestAssessPC(t *testing.T) {
	cat := packaged(t)
	pr := probe.Result{Complete: true, Started: time.Now(), MemoryReadGBps: &probe.Stat{Median: 40, Q1: 38, Q3: 42}}
	pr.Compute.CPU = probe.CPU{Model: "Test CPU", LogicalCores: 8, PhysicalCores: 4}
	pr.Compute.GOPS = 300
	inv := hardware.Inventory{}
	u := cat.UseCases[0]
	all := AssessPC(context.Background(), cat, inv, pr, PCOptions{Lang: "en"})
	if len(all.Assessments) != len(cat.UseCases) || all.MachineErr != nil {
		t.Fatalf("all use cases: %d of %d, %v", len(all.Assessments), len(cat.UseCases), all.MachineErr)
	}
	model := all.Assessments[0].Cells[0].ModelID
	m := map[string]Measurement{model: {ModelID: model, DecodeTPS: 12.5, RunID: 7, Date: time.Now()}}
	one := AssessPC(context.Background(), cat, inv, pr, PCOptions{UseCases: []UseCase{u}, Measured: m, Lang: "en"})
	if len(one.Assessments) != 1 || one.Assessments[0].UseCase.ID != u.ID {
		t.Fatalf("one use case: %+v", one.Assessments)
	}
	c := one.Assessments[0].Cells[0]
	if c.MeasuredDecodeTPS == nil || *c.MeasuredDecodeTPS != 12.5 || c.MeasuredRunID == nil || *c.MeasuredRunID != 7 {
		t.Errorf("measurement not attached to %s: %+v", model, c)
	}
	// The same as the steps by hand.
	mc, _ := ForPC(context.Background(), nil, cat, inv, pr)
	want := []Assessment{AssessUseCase(mc, cat, u)}
	Localize(want, "en")
	AttachMeasurements(want, m)
	if !reflect.DeepEqual(one.Assessments, want) || !reflect.DeepEqual(one.Machine, mc) {
		t.Error("AssessPC differs from ForPC, AssessUseCase, Localize, AttachMeasurements")
	}
	if one.Assessments[0].VerdictLabel == "" || one.Assessments[0].SummaryText == "" {
		t.Error("texts not rendered")
	}
}
