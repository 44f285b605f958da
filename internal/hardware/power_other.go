//go:build !linux && !windows

package hardware

import (
	"context"
	"errors"
)

func readPower(context.Context, *collector) (Power, error) {
	return Power{}, errors.New("power source is not read on this operating system")
}
