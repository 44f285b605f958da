//go:build !unix

package textfile

import (
	"io/fs"
	"os"
)

// openNoFollow opens path; Open has checked with Lstat that it is a
// regular file and checks the opened file again.
func openNoFollow(path string) (*os.File, error) { return os.Open(path) }

func worldReadable(fs.FileInfo) bool { return false }
