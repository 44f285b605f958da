//go:build unix

package textfile

import (
	"io/fs"
	"os"
	"syscall"
)

// openNoFollow opens without following a final symbolic link and without
// blocking on a named pipe that appeared since the Lstat.
func openNoFollow(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
}

func worldReadable(fi fs.FileInfo) bool { return fi.Mode().Perm()&0o004 != 0 }
