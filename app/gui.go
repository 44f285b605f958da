//go:build !nogui

package main

import (
	"context"

	"github.com/ki-reise/kicheck/internal/ui"
)

const guiAvailable = true

func runGUI(ctx context.Context, e *env) error {
	return ui.Run(ctx, ui.Config{Location: e.loc, Settings: e.settings, Schemas: allSchemas()})
}
