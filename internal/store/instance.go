package store

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// Instance is the single-instance guard of the GUI. The first GUI holds an
// OS file lock in the data dir (released by the OS even after a crash) and
// listens on a loopback port written next to it; a second GUI finds the lock
// taken and asks the first, over that port, to bring its window to front.
type Instance struct {
	lock     *flock.Flock
	listener net.Listener
	portFile string
}

const (
	lockName   = "kicheck.lock"
	portName   = "kicheck.port"
	showSignal = "show"
)

// AcquireInstance takes the guard for dir. If another instance holds it, it
// asks that one to show its window and returns an error wrapping
// ErrInstanceHeld. onShow is called (on the guard's goroutine) whenever a
// later instance asks to be shown.
func AcquireInstance(dir string, onShow func()) (*Instance, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &Error{Path: dir, Err: fmt.Errorf("%w: %v", ErrNotWritable, err),
			hint: "choose another data folder or ask IT for write access"}
	}
	lk := flock.New(filepath.Join(dir, lockName))
	ok, err := lk.TryLock()
	if err != nil {
		return nil, &Error{Path: lk.Path(), Err: fmt.Errorf("%w: %v", ErrNotWritable, err),
			hint: "choose another data folder or ask IT for write access"}
	}
	portFile := filepath.Join(dir, portName)
	if !ok {
		return nil, &InstanceHeldError{Dir: dir, Shown: signalShow(portFile)}
	}
	in := &Instance{lock: lk, portFile: portFile}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err == nil {
		in.listener = ln
		_ = os.WriteFile(portFile, []byte(ln.Addr().String()), 0o600)
		go in.serve(onShow)
	}
	// Without a listener the guard still protects the data; only the
	// bring-to-front convenience is missing.
	return in, nil
}

func (in *Instance) serve(onShow func()) {
	for {
		c, err := in.listener.Accept()
		if err != nil {
			return
		}
		_ = c.SetDeadline(time.Now().Add(2 * time.Second))
		line, _ := bufio.NewReader(c).ReadString('\n')
		if strings.TrimSpace(line) == showSignal && onShow != nil {
			onShow()
		}
		c.Close()
	}
}

func signalShow(portFile string) bool {
	b, err := os.ReadFile(portFile)
	if err != nil {
		return false
	}
	addr := strings.TrimSpace(string(b))
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		return false // only ever talk to loopback
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_, err = fmt.Fprintln(c, showSignal)
	return err == nil
}

// InstanceHeldError says another KI-Check holds the data folder, and
// whether its window was brought to front.
type InstanceHeldError struct {
	Dir   string
	Shown bool
}

func (e *InstanceHeldError) Error() string {
	msg := fmt.Sprintf("%v (data folder %s)", ErrInstanceHeld, e.Dir)
	if e.Shown {
		msg += "; its window was brought to front"
	}
	return msg
}

func (e *InstanceHeldError) Is(target error) bool { return target == ErrInstanceHeld }

// Release gives the guard up.
func (in *Instance) Release() error {
	if in.listener != nil {
		in.listener.Close()
		os.Remove(in.portFile)
	}
	return errors.Join(in.lock.Unlock())
}
