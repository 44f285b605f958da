package hardware

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// nvidiaSMIQuery is what KI-Check asks nvidia-smi; the columns of its CSV
// answer come in this order. Memory figures are in MiB (nounits).
const nvidiaSMIQuery = "index,pci.bus_id,name,driver_version,memory.total,memory.free"

// nvidiaSMIArgs are the arguments for nvidia-smi.
var nvidiaSMIArgs = []string{"--query-gpu=" + nvidiaSMIQuery, "--format=csv,noheader,nounits"}

// nvidiaGPU is one line of nvidia-smi's answer.
type nvidiaGPU struct {
	Index      int
	BusID      string // normalised to the Linux form, e.g. "0000:01:00.0"
	Name       string
	Driver     string
	TotalBytes uint64 // 0 = not reported
	FreeBytes  uint64
}

// errNoNvidiaSMI means the program is not installed (no NVIDIA driver).
var errNoNvidiaSMI = errors.New("nvidia-smi not found")

// findNvidiaSMI resolves Options.NvidiaSMI to a program path.
func findNvidiaSMI(configured string) (string, error) {
	switch configured {
	case "-":
		return "", errNoNvidiaSMI
	case "":
	default:
		return configured, nil
	}
	if p, err := exec.LookPath("nvidia-smi"); err == nil {
		return p, nil
	}
	if runtime.GOOS == "windows" {
		// Older drivers put it here and not into PATH.
		for _, env := range []string{"ProgramFiles", "ProgramW6432"} {
			if dir := os.Getenv(env); dir != "" {
				p := filepath.Join(dir, "NVIDIA Corporation", "NVSMI", "nvidia-smi.exe")
				if _, err := os.Stat(p); err == nil {
					return p, nil
				}
			}
		}
	}
	return "", errNoNvidiaSMI
}

// runNvidiaSMI asks nvidia-smi for every NVIDIA GPU. The program is run
// with the context, so a hanging driver is killed at the section timeout.
func runNvidiaSMI(ctx context.Context, program string) ([]nvidiaGPU, error) {
	cmd := exec.CommandContext(ctx, program, nvidiaSMIArgs...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// If nvidia-smi leaves a child holding its output open, stop waiting
	// for it shortly after the kill.
	cmd.WaitDelay = 500 * time.Millisecond
	hideConsole(cmd)
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = strings.TrimSpace(stdout.String())
		}
		if len(msg) > 200 {
			msg = msg[:200]
		}
		if msg != "" {
			return nil, fmt.Errorf("nvidia-smi: %w: %s", err, msg)
		}
		return nil, fmt.Errorf("nvidia-smi: %w", err)
	}
	return parseNvidiaSMI(stdout.Bytes())
}

// parseNvidiaSMI reads the CSV nvidia-smi writes for nvidiaSMIQuery with
// --format=csv,noheader,nounits, e.g.
//
//	0, 00000000:01:00.0, NVIDIA GeForce RTX 4090, 550.54.14, 24564, 23975
//
// Fields nvidia-smi cannot tell read "[N/A]" or "[Not Supported]" and stay
// zero. A line with the wrong number of fields is an error.
func parseNvidiaSMI(data []byte) ([]nvidiaGPU, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var out []nvidiaGPU
	for {
		rec, err := r.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, fmt.Errorf("nvidia-smi output: %w", err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 6 {
			return nil, fmt.Errorf("nvidia-smi output line %d: %d fields, want 6 (%s)", line, len(rec), nvidiaSMIQuery)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		g := nvidiaGPU{BusID: normalizeNvidiaBusID(rec[1]), Name: nvidiaValue(rec[2]), Driver: nvidiaValue(rec[3])}
		idx, err := strconv.Atoi(rec[0])
		if err != nil || idx < 0 {
			return nil, fmt.Errorf("nvidia-smi output line %d: index %q is not a number", line, rec[0])
		}
		g.Index = idx
		g.TotalBytes = nvidiaMiB(rec[4])
		g.FreeBytes = nvidiaMiB(rec[5])
		out = append(out, g)
	}
	return out, nil
}

// nvidiaValue maps nvidia-smi's "[N/A]" and "[Not Supported]" to "".
func nvidiaValue(s string) string {
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		return ""
	}
	return s
}

// nvidiaMiB converts a MiB figure to bytes; 0 when it is not a number.
func nvidiaMiB(s string) uint64 {
	v, err := strconv.ParseUint(nvidiaValue(s), 10, 64)
	if err != nil || v > 1<<40 {
		return 0
	}
	return v << 20
}

// normalizeNvidiaBusID turns nvidia-smi's "00000000:01:00.0" into Linux's
// "0000:01:00.0".
func normalizeNvidiaBusID(s string) string {
	s = strings.ToLower(nvidiaValue(s))
	parts := strings.SplitN(s, ":", 2)
	if len(parts) == 2 && len(parts[0]) == 8 {
		return parts[0][4:] + ":" + parts[1]
	}
	return s
}
