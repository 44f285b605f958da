// Package hardware lists what a PC has that matters for running AI models:
// the host and OS, and (as the inventory grows) CPU, memory, GPUs, NPUs and
// disks. It needs no admin rights.
package hardware
