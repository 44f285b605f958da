package fit

import (
	"context"

	"github.com/ki-reise/kicheck/internal/hardware"
	"github.com/ki-reise/kicheck/internal/probe"
	"github.com/ki-reise/kicheck/internal/store"
)

// PCFit is this PC's fit as kicheck models, the Eignung screen and
// the check show it: the machine as the fit sees it and the use cases
// assessed, their texts in one language, with the newest measurement per
// model beside the prediction.
type PCFit struct {
	Machine     Machine
	Assessments []Assessment
	// MachineErr: earlier probes or local runs could not be read; the
	// machine is then this probe's alone, uncalibrated (still usable).
	MachineErr error
}

// PCOptions are what a caller adds to catalogue, inventory and probe.
type PCOptions struct {
	// DB holds earlier probes and the local runs that calibrate the
	// prediction; nil: this probe alone.
	DB *store.DB
	// UseCases to assess; nil: every use case of the catalogue.
	UseCases []UseCase
	// Measured is the newest measurement per catalogue model id, shown
	// beside the prediction; nil: none. The caller reads it (today
	// LatestMeasurements), so the pipeline does not depend on where
	// measurements are stored.
	Measured map[string]Measurement
	// Lang of the verdicts' texts.
	Lang string
}

// AssessPC is the one fit pipeline after the catalogue, the inventory and the
// probe are at hand: the machine (earlier probes combined, calibrated:
// ForPC), every use case assessed, texts rendered in o.Lang, measurements
// attached.
func AssessPC(ctx context.Context, cat *Catalogue, inv hardware.Inventory, pr probe.Result, o PCOptions) PCFit {
	mc, err := ForPC(ctx, o.DB, cat, inv, pr)
	uses := o.UseCases
	if uses == nil {
		uses = cat.UseCases
	}
	as := make([]Assessment, 0, len(uses))
	for _, u := range uses {
		as = append(as, AssessUseCase(mc, cat, u))
	}
	Localize(as, o.Lang)
	AttachMeasurements(as, o.Measured)
	return PCFit{Machine: mc, Assessments: as, MachineErr: err}
}
