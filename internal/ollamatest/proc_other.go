//go:build !unix

package ollamatest

import "os/exec"

func ownProcessGroup(cmd *exec.Cmd) {}

// interrupt kills outright: Windows has no SIGTERM for a child process.
func interrupt(cmd *exec.Cmd) { cmd.Process.Kill() }

func kill(cmd *exec.Cmd) { cmd.Process.Kill() }
