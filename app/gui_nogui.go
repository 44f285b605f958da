//go:build nogui

package main

import (
	"context"
	"errors"
)

const guiAvailable = false

func runGUI(ctx context.Context, e *env) error {
	return &exitError{code: exitUsage, err: errors.New("this kicheck was built without the window (nogui build); run 'kicheck help' for the commands")}
}
