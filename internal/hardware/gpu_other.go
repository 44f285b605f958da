//go:build !linux && !windows

package hardware

import (
	"context"
	"errors"
)

func readGPUs(context.Context, *collector) (GPUList, error) {
	return GPUList{}, errors.New("graphics adapters are not read on this operating system")
}

func readNPUs(context.Context, *collector) (NPUList, error) {
	return NPUList{}, errors.New("AI accelerators are not read on this operating system")
}
