package main

import (
	"github.com/ki-reise/kicheck/internal/cloudrun"
	"github.com/ki-reise/kicheck/internal/hotspot"
	"github.com/ki-reise/kicheck/internal/load"
	"github.com/ki-reise/kicheck/internal/offers"
	"github.com/ki-reise/kicheck/internal/quiz"
	reports "github.com/ki-reise/kicheck/internal/report"
	"github.com/ki-reise/kicheck/internal/store"
)

// allSchemas lists every capability's database part. The GUI opens the
// database with all of them, and so do commands that look at the whole
// database (info). Add a capability's Schema here when it gets tables.
func allSchemas() []store.Schema {
	// cloudrun.Schemas includes bench.Schema.
	return append([]store.Schema{quiz.Schema, reports.Schema, offers.Schema, hotspot.Schema, hotspot.TrialSchema, load.Schema}, cloudrun.Schemas...)
}
