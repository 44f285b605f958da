package main

import (
	"strings"

	"github.com/ki-reise/kicheck/internal/aiact"
	"github.com/ki-reise/kicheck/internal/check"
	"github.com/ki-reise/kicheck/internal/cloud"
	"github.com/ki-reise/kicheck/internal/dataclass"
	"github.com/ki-reise/kicheck/internal/hotspot"
)

// flagValues are the values a flag description may name (the lists of
// valid ids, default paths): the same in every language, they fill the
// fields of the "cli.flag.…" texts when printFlags renders them, so that a
// description stays one message id where its flag is defined.
func flagValues() map[string]any {
	return map[string]any{
		"DataClasses":     strings.Join(dataclass.IDs(), ", "),
		"Synthetic":       string(dataclass.Synthetic()),
		"CloudPresets":    presetIDs(),
		"AzureAPIVersion": cloud.DefaultAzureAPIVersion,
		"SystemPolicy":    check.SystemPolicyPath(),
		"TemplateSheet":   hotspot.TemplateSheet,
		"TemplateReadme":  hotspot.TemplateReadme,
		"AIActAreas":      strings.Join(ids(aiact.Areas), ", "),
		"AIActEffects":    strings.Join(ids(aiact.Effects), ", "),
		"AIActExceptions": strings.Join(ids(aiact.Exceptions), ", "),
		"AIActPractices":  strings.Join(ids(aiact.Practices), ", "),
	}
}
