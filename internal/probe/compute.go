package probe

import (
	"runtime"
	"sync"
	"unsafe"
)

// The matrix tests use pure Go integer arithmetic shaped like llama.cpp's
// quantized kernels: blocks of 32 weights with one float scale each (as in
// Q8_0 and Q4_0), the activations quantized to int8 as llama.cpp does
// before a quantized dot product. Go does not vectorise these loops, so the
// figures show this CPU's scalar integer throughput and its ability to
// stream weights while computing; they are reported next to the estimate
// that the speed prediction uses (see ComputeEstimate).

const (
	blockSize = 32
	matCols   = 4096 // hidden size of a 7B/8B model
)

type matVec struct {
	w      []int8    // rows × matCols weights, int8 (the probe's buffer)
	scales []float32 // one per block of 32 weights
	x      []int8
	xs     []float32
	rows   int
	y      []float32
}

// matVecBytes is the weight matrix of the matrix-vector test: several
// hundred MB, far beyond any cache, like the weights of a small model.
const matVecBytes = 256 << 20

func newMatVec(buf []byte) *matVec { return newMatVecSized(buf, matVecBytes) }

// newMatVecSized uses at most limit bytes of buf as the weight matrix.
func newMatVecSized(buf []byte, limit int) *matVec {
	if len(buf) > limit {
		buf = buf[:limit]
	}
	rows := len(buf) / matCols
	m := &matVec{
		w:      unsafe.Slice((*int8)(unsafe.Pointer(&buf[0])), rows*matCols),
		scales: make([]float32, rows*matCols/blockSize),
		x:      make([]int8, matCols),
		xs:     make([]float32, matCols/blockSize),
		rows:   rows,
		y:      make([]float32, rows),
	}
	for i := range m.scales {
		m.scales[i] = 1.0 / 127
	}
	for i := range m.x {
		m.x[i] = int8(i*7%255 - 127)
	}
	for i := range m.xs {
		m.xs[i] = 1.0 / 127
	}
	return m
}

// int8 computes y = W·x over all rows (Q8_0 × Q8_0) and returns the
// operations done (a multiply and an add per weight).
func (m *matVec) int8(threads int) float64 {
	parallelRows(threads, m.rows, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			row := m.w[r*matCols : (r+1)*matCols : (r+1)*matCols]
			sc := m.scales[r*matCols/blockSize:]
			var acc float32
			for b := 0; b < matCols/blockSize; b++ {
				wb := row[b*blockSize : b*blockSize+blockSize : b*blockSize+blockSize]
				xb := m.x[b*blockSize : b*blockSize+blockSize : b*blockSize+blockSize]
				var s0, s1, s2, s3 int32
				for j := 0; j < blockSize; j += 4 {
					s0 += int32(wb[j]) * int32(xb[j])
					s1 += int32(wb[j+1]) * int32(xb[j+1])
					s2 += int32(wb[j+2]) * int32(xb[j+2])
					s3 += int32(wb[j+3]) * int32(xb[j+3])
				}
				acc += float32(s0+s1+s2+s3) * sc[b] * m.xs[b]
			}
			m.y[r] = acc
		}
	})
	return 2 * float64(m.rows) * matCols
}

// q4 computes y = W·x with the first half of the buffer read as 4-bit
// weights (two per byte, offset 8 as in Q4_0): the same number of weights
// as int8 in half the bytes.
func (m *matVec) q4(threads int) float64 {
	packed := unsafe.Slice((*byte)(unsafe.Pointer(&m.w[0])), len(m.w)/2)
	const rowBytes = matCols / 2
	rows := len(packed) / rowBytes
	parallelRows(threads, rows, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			row := packed[r*rowBytes : (r+1)*rowBytes : (r+1)*rowBytes]
			sc := m.scales[r*matCols/blockSize:]
			var acc float32
			for b := 0; b < matCols/blockSize; b++ {
				wb := row[b*blockSize/2 : b*blockSize/2+blockSize/2 : b*blockSize/2+blockSize/2]
				xb := m.x[b*blockSize : b*blockSize+blockSize : b*blockSize+blockSize]
				var s0, s1 int32
				for j := 0; j < blockSize/2; j++ {
					s0 += (int32(wb[j]&0x0f) - 8) * int32(xb[j])
					s1 += (int32(wb[j]>>4) - 8) * int32(xb[j+blockSize/2])
				}
				acc += float32(s0+s1) * sc[b] * m.xs[b]
			}
			m.y[r%len(m.y)] = acc
		}
	})
	return 2 * float64(rows) * matCols
}

// matMul is a prompt-shaped product: a batch of token activations times a
// weight matrix that stays in cache, so it measures arithmetic, not memory.
type matMul struct {
	a []int8 // tokens × k
	b []int8 // n × k (weights, row per output)
	c []int32
}

const (
	mmTokens = 64
	mmK      = 2048
	mmN      = 2048
)

func newMatMul() *matMul {
	m := &matMul{a: make([]int8, mmTokens*mmK), b: make([]int8, mmN*mmK), c: make([]int32, mmTokens*mmN)}
	for i := range m.a {
		m.a[i] = int8(i*13%251 - 125)
	}
	for i := range m.b {
		m.b[i] = int8(i*29%241 - 120)
	}
	return m
}

func (m *matMul) run(threads int) float64 {
	parallelRows(threads, mmN, func(lo, hi int) {
		for n := lo; n < hi; n++ {
			wrow := m.b[n*mmK : (n+1)*mmK : (n+1)*mmK]
			for t := 0; t < mmTokens; t++ {
				arow := m.a[t*mmK : (t+1)*mmK : (t+1)*mmK]
				var s0, s1, s2, s3 int32
				for j := 0; j < mmK; j += 4 {
					s0 += int32(wrow[j]) * int32(arow[j])
					s1 += int32(wrow[j+1]) * int32(arow[j+1])
					s2 += int32(wrow[j+2]) * int32(arow[j+2])
					s3 += int32(wrow[j+3]) * int32(arow[j+3])
				}
				m.c[t*mmN+n] = s0 + s1 + s2 + s3
			}
		}
	})
	return 2 * mmTokens * mmK * mmN
}

func parallelRows(threads, rows int, f func(lo, hi int)) {
	var wg sync.WaitGroup
	for t := range threads {
		lo, hi := rows*t/threads, rows*(t+1)/threads
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			f(lo, hi)
		}()
	}
	wg.Wait()
}
