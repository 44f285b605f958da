package webview

import (
	"fmt"
	"os/exec"
	"runtime"
	"strings"
)

// OpenBrowser opens url in the user's default browser: xdg-open on Linux
// and the BSDs, `rundll32 url.dll,FileProtocolHandler` on Windows, open on
// macOS. It returns once the opener has started.
func OpenBrowser(url string) error {
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		return fmt.Errorf("open browser: %q is not the view's loopback address", url)
	}
	name, args := opener(runtime.GOOS)
	cmd := exec.Command(name, append(args, url)...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("open browser with %s: %w", name, err)
	}
	go func() { _ = cmd.Wait() }() // reap it
	return nil
}

// opener is the program that opens a URL on goos.
func opener(goos string) (string, []string) {
	switch goos {
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler"}
	case "darwin":
		return "open", nil
	}
	return "xdg-open", nil
}
