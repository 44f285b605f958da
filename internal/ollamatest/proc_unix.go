//go:build unix

package ollamatest

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts Ollama and the runners it spawns in one group, so a
// kill reaches them all.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func interrupt(cmd *exec.Cmd) { cmd.Process.Signal(syscall.SIGTERM) }

func kill(cmd *exec.Cmd) { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
