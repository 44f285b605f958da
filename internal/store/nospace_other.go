//go:build !windows

package store

import (
	"errors"
	"syscall"
)

// isNoSpace reports the operating system's "no space left on device" (or
// over quota).
func isNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}
