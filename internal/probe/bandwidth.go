package probe

import (
	"sync/atomic"
	"unsafe"
)

// readAll reads every byte of buf once with threads workers and returns a
// checksum (so the reads cannot be optimised away).
func readAll(buf []byte, threads int) uint64 {
	var total atomic.Uint64
	parallel(threads, len(buf), func(lo, hi int) {
		total.Add(sumWords(buf[lo:hi]))
	})
	return total.Load()
}

// sumWords adds buf as 64-bit words. Eight independent accumulators let the
// CPU keep many loads in flight, which is what reaching DRAM bandwidth
// needs; the adds themselves are far cheaper than the loads. len(buf) must
// be a multiple of 64.
func sumWords(buf []byte) uint64 {
	if len(buf) == 0 {
		return 0
	}
	words := unsafe.Slice((*uint64)(unsafe.Pointer(&buf[0])), len(buf)/8)
	var s0, s1, s2, s3, s4, s5, s6, s7 uint64
	for i := 0; i+8 <= len(words); i += 8 {
		w := words[i : i+8 : i+8]
		s0 += w[0]
		s1 += w[1]
		s2 += w[2]
		s3 += w[3]
		s4 += w[4]
		s5 += w[5]
		s6 += w[6]
		s7 += w[7]
	}
	return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7
}
