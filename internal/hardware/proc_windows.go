package hardware

import (
	"os/exec"
	"syscall"
)

// createNoWindow keeps a console program started from the GUI from
// flashing a console window (CREATE_NO_WINDOW).
const createNoWindow = 0x08000000

func hideConsole(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
}
