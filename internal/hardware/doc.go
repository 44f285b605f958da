// Package hardware lists what a PC has that matters for running AI models:
// processor (with its instruction-set extensions), memory, graphics
// adapters with their video memory, AI accelerators (NPUs), the drive of
// the data folder, the OS and machine, and the power source. It needs no
// admin rights and sends nothing anywhere.
//
// Collect runs one reader per section in parallel, each with its own
// timeout. A section that fails, panics or times out is reported as
// unknown with the reason and never holds up the others; a reader stuck in
// an OS call that ignores its context (a hanging WMI query or sysfs read)
// is abandoned, not waited for. The JSON shape of Inventory is specified
// in docs/hardware.md.
//
// Sources: gopsutil (CPU model and counts, memory, free space, OS), ghw
// (GPU and PCI lists, drives, machine vendor/model and chassis; with an
// empty PCI database, see ghw.go), golang.org/x/sys/cpu (instruction sets),
// sysfs (AMD VRAM, power supplies, SMBIOS memory modules where readable),
// nvidia-smi (NVIDIA VRAM and driver), and on Windows the registry
// (DirectX adapters with their dedicated VRAM, neural-processor class,
// PCI device list), WMI (memory modules) and GetSystemPowerStatus.
package hardware
