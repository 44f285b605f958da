package fit

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
)

// ThisPC is the pipeline kicheck models, the Eignung screen, the check
// and the accessible view share: the use cases named, texts in the
// language asked for, the measurement beside its model's prediction; the
// same as the steps by hand.
func TestThisPCIsTheStepsInOne(t *testing.T) {
	cat := packaged(t)
	pr := probe.Result{Complete: true, Started: time.Now(), MemoryReadGBps: &probe.Stat{Median: 40, Q1: 38, Q3: 42}}
	pr.Compute.CPU = probe.CPU{Model: "Test CPU", LogicalCores: 8, PhysicalCores: 4}
	pr.Compute.GOPS = 300
	inv := hardware.Inventory{}
	all := ThisPC(context.Background(), nil, cat, inv, pr, nil, nil, "en")
	if len(all.Assessments) != len(cat.UseCases) || all.MachineErr != nil {
		t.Fatalf("all use cases: %d of %d, %v", len(all.Assessments), len(cat.UseCases), all.MachineErr)
	}
	u := cat.UseCases[0]
	model, _ := cat.Model(all.Assessments[0].Cells[0].ModelID)
	runtimeName := model.Ollama
	runs := []MeasuredRun{{RunID: 7, RuntimeModel: runtimeName, DecodeTPS: 12.5, Date: time.Now()}}
	one := ThisPC(context.Background(), nil, cat, inv, pr, runs, []UseCase{u}, "en")
	if len(one.Assessments) != 1 || one.Assessments[0].UseCase.ID != u.ID {
		t.Fatalf("one use case: %+v", one.Assessments)
	}
	if c := one.Assessments[0].Cells[0]; c.MeasuredDecodeTPS == nil || *c.MeasuredDecodeTPS != 12.5 {
		t.Errorf("measurement of %s (%s) not attached: %+v", model.ID, runtimeName, c)
	}
	mc, _ := ForPC(context.Background(), nil, cat, inv, pr, runs)
	want := []Assessment{AssessUseCase(mc, cat, u)}
	Localize(want, "en")
	AttachMeasurements(want, LatestMeasurements(cat, runs))
	if !reflect.DeepEqual(one.Assessments, want) || !reflect.DeepEqual(one.Machine, mc) {
		t.Error("ThisPC differs from ForPC, AssessUseCase, Localize, AttachMeasurements")
	}
	if one.Assessments[0].VerdictLabel == "" || one.Assessments[0].SummaryText == "" {
		t.Error("texts not rendered")
	}
}
