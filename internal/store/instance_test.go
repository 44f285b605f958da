package store

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSecondInstanceIsRefusedAndFirstIsShown(t *testing.T) {
	dir := t.TempDir()
	shown := make(chan struct{}, 1)
	first, err := AcquireInstance(dir, func() { shown <- struct{}{} })
	if err != nil {
		t.Fatal(err)
	}
	_, err = AcquireInstance(dir, nil)
	if !errors.Is(err, ErrInstanceHeld) {
		t.Fatalf("second instance: err = %v, want ErrInstanceHeld", err)
	}
	if !strings.Contains(err.Error(), "brought to front") {
		t.Fatalf("second instance: %v; want it to say the window was brought to front", err)
	}
	select {
	case <-shown:
	case <-time.After(5 * time.Second):
		t.Fatal("first instance was not asked to show its window")
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := AcquireInstance(dir, nil)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
}
