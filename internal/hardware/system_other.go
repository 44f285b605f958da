//go:build !linux

package hardware

// underHypervisor: not probed here. (Windows sets the CPU's hypervisor bit
// on bare metal too when virtualisation-based security is on.)
func underHypervisor(*collector) bool { return false }
