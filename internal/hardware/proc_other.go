//go:build !windows

package hardware

import "os/exec"

// hideConsole: only Windows opens a window for a console program.
func hideConsole(*exec.Cmd) {}
