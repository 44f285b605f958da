package store

import (
	"errors"
	"syscall"
)

// isNoSpace reports Windows' "disk full" errors.
func isNoSpace(err error) bool {
	const errorHandleDiskFull, errorDiskFull syscall.Errno = 39, 112
	return errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull)
}
