package fit

// RAMSizesGB are the memory sizes an upgrade is judged at: the usual
// configurations of office PCs, in GB as sold (GiB).
var RAMSizesGB = []int{8, 12, 16, 24, 32, 48, 64, 96, 128}

// ReadyWithRAM is the smallest of RAMSizesGB above the machine's memory at
// which use case u would be ready with everything else unchanged: the same
// processor, graphics cards and measured bandwidth, and the programs that
// use memory today still running (the added memory is added to the
// available memory too). It returns 0 when u is ready already or when no
// size makes it ready, because speed and not memory holds it back.
//
// IT reads it across a fleet (kicheck fleet) to find the upgrade that
// makes the most PCs ready; it is computed here, on the PC, because only
// the fit with this PC's catalogue can tell.
func ReadyWithRAM(mc Machine, c *Catalogue, u UseCase) int {
	if AssessUseCase(mc, c, u).Verdict == Ready {
		return 0
	}
	for _, gb := range RAMSizesGB {
		if uint64(gb)<<30 <= mc.RAMTotalBytes {
			continue
		}
		if AssessUseCase(mc.WithRAM(gb), c, u).Verdict == Ready {
			return gb
		}
	}
	return 0
}

// WithRAM is the machine with its memory raised to gb GiB; the memory
// added is free. An unknown available memory (0) stays unknown.
func (mc Machine) WithRAM(gb int) Machine {
	size := uint64(gb) << 30
	if mc.RAMAvailableBytes > 0 && size > mc.RAMTotalBytes {
		mc.RAMAvailableBytes += size - mc.RAMTotalBytes
	}
	mc.RAMTotalBytes = size
	return mc
}
