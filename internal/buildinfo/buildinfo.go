// Package buildinfo tells which build of KI-Check is running.
//
// The Makefile sets Version, Commit and Date with -ldflags -X. A plain
// `go build` leaves them empty; then the values Go records from version
// control are used, so a report always names the code it came from.
package buildinfo

import (
	"runtime/debug"
	"sync"
)

// Set at link time by the Makefile.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Info describes the running binary.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Dirty     bool   `json:"dirty,omitempty"`
}

var (
	once   sync.Once
	cached Info
)

// Get returns the build information, filling gaps from Go's VCS stamp.
func Get() Info {
	once.Do(func() {
		cached = Info{Version: Version, Commit: Commit, Date: Date}
		bi, ok := debug.ReadBuildInfo()
		if ok {
			cached.GoVersion = bi.GoVersion
			for _, s := range bi.Settings {
				switch s.Key {
				case "vcs.revision":
					if cached.Commit == "" {
						cached.Commit = s.Value
					}
				case "vcs.time":
					if cached.Date == "" {
						cached.Date = s.Value
					}
				case "vcs.modified":
					cached.Dirty = s.Value == "true"
				}
			}
		}
		if cached.Version == "" {
			cached.Version = "dev"
		}
		if cached.Commit == "" {
			cached.Commit = "unknown"
		}
		if cached.Date == "" {
			cached.Date = "unknown"
		}
	})
	return cached
}
