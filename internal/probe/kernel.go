package probe

import (
	"encoding/binary"
	"math"
	"sync/atomic"
)

// The SIMD kernels measure what llama.cpp's own CPU kernels do instead of
// estimating it (docs/probe.md, "Kernels"): the Q8_0 dot product that
// decoding runs over every weight of the model, written in assembly with
// the same instructions as ggml's AVX2 path (kernel_amd64.s), run
// (a) over the probe's model-sized buffer with decoding's structure (rows
// split over the threads, a spin barrier after every matrix, as
// llama.cpp's thread pool synchronises after every operation), and
// (b) over a cache-resident matrix with a batch of tokens, as prompt
// processing does. (a) says how many weight bytes per second a decoding
// thread team streams on this PC, memory, arithmetic and synchronisation
// together; (b) says how many operations per second the vector units
// give when memory is not the limit.

const (
	// q8Block is one Q8_0 block: an fp16 scale and 32 int8 weights.
	q8Block = 34
	// kernelRowBlocks: a row of 4096 weights (the hidden size of a
	// 7B/8B model) is 128 blocks, 4352 bytes.
	kernelRowBlocks = 4096 / 32
	kernelRowBytes  = kernelRowBlocks * q8Block
	// kernelMatrixBytes is the weights between two barriers: a projection
	// of a 1B–3B model is 4–20 MB; with llama.cpp's other operations (norms,
	// rope, attention), each followed by a barrier, a 1 GB model has about
	// 250 barriers per token, one per 4 MB.
	kernelMatrixBytes = 4 << 20
	// promptRows × promptTokens: the prompt kernel's cache-resident
	// matrix (256 rows, 1.1 MB, in L2/L3) times a batch of 8 tokens,
	// promptRepeats times per timed run.
	promptRows    = 256
	promptTokens  = 8
	promptRepeats = 64
)

// KernelISA is the instruction set of this build's SIMD kernels on this
// CPU, "" where there are none (then only the bandwidth and the compute
// estimate are measured).
func KernelISA() string { return kernelISA }

// dotQ8Go is the Q8_0 dot product in plain Go: the reference the SIMD
// kernel is tested against, and the kernel where there is no SIMD one.
func dotQ8Go(w, x []byte, nb int) float32 {
	var acc float32
	for b := range nb {
		wb, xb := w[b*q8Block:(b+1)*q8Block], x[b*q8Block:(b+1)*q8Block]
		var s int32
		for j := 2; j < q8Block; j++ {
			s += int32(int8(wb[j])) * int32(int8(xb[j]))
		}
		acc += float32(s) * halfToFloat(binary.LittleEndian.Uint16(wb)) * halfToFloat(binary.LittleEndian.Uint16(xb))
	}
	return acc
}

// halfToFloat converts an IEEE 754 half (fp16) to float32.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal
		return float32(math.Copysign(float64(mant)/(1<<24), float64(int32(sign|1))))
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
}

// spinBarrier lets n threads wait for each other by spinning, as
// llama.cpp's thread pool does between operations: a thread that the OS
// takes away from its core holds all the others up, as it does in
// llama.cpp.
type spinBarrier struct {
	n     int32
	count atomic.Int32
	gen   atomic.Int32
}

func (b *spinBarrier) wait() {
	g := b.gen.Load()
	if b.count.Add(1) == b.n {
		b.count.Store(0)
		b.gen.Add(1)
		return
	}
	for b.gen.Load() == g {
	}
}

// decodeKernel is y = W·x over the buffer read as rows of 4096 weights
// in one quantization (Q8_0 or Q4_K, scales as found: the arithmetic does
// not depend on the values), matrix by matrix with a spin barrier after
// each, the rows shared out as the runtime shares them (see pass).
type decodeKernel struct {
	w         []byte
	x         []byte
	y         []float32
	rows      int
	threads   int
	rowBytes  int
	rowBlocks int
	dot       func(w, x []byte, nb int) float32
	// matrixRows is the rows between two barriers; chunkRows 0 splits
	// them into one range per thread, > 0 hands them out in chunks.
	matrixRows int
	chunkRows  int
}

// newDecodeKernel is the Q8_0 decode kernel over buf: llama.cpp
// multiplies Q8_0 (and Q4_0) through tinyBLAS, which gives each thread
// one contiguous range of a matrix's rows; a matrix is 4 MiB.
func newDecodeKernel(buf []byte, threads int) *decodeKernel {
	k := newDecodeKernelRows(buf, threads, kernelRowBytes, kernelRowBlocks, dotQ8)
	k.matrixRows = max(1, kernelMatrixBytes/kernelRowBytes)
	k.x = make([]byte, kernelRowBytes)
	fillQ8(k.x, 3)
	return k
}

// kquantChunkRows and kquantMatrixRows: ggml's own matrix multiplication,
// which multiplies the K-quants, hands a decoded token's rows out in
// chunks of 64 through an atomic counter (ggml_compute_forward_mul_mat);
// a matrix is a 4096 × 4096 projection, 64 chunks.
const (
	kquantChunkRows  = 64
	kquantMatrixRows = 4096
)

// newKQuantDecodeKernel is the Q4_K decode kernel over buf, its
// activations quantized to Q8_K and its rows handed out as ggml does.
// The chunks of the threads interleave in memory: on the development VM
// that alone costs two threads a fifth of their speed, and Ollama's
// Q4_K_M decoding shows the same (docs/probe.md, "K-quant kernel").
func newKQuantDecodeKernel(buf []byte, threads int) *decodeKernel {
	k := newDecodeKernelRows(buf, threads, q4kRowBytes, q4kRowBlocks, dotQ4K)
	k.matrixRows, k.chunkRows = kquantMatrixRows, kquantChunkRows
	k.x = make([]byte, q4kRowBlocks*q8kBlock)
	fillQ8K(k.x, 3)
	return k
}

func newDecodeKernelRows(buf []byte, threads, rowBytes, rowBlocks int, dot func(w, x []byte, nb int) float32) *decodeKernel {
	rows := len(buf) / rowBytes
	return &decodeKernel{w: buf[:rows*rowBytes], y: make([]float32, rows), rows: rows, threads: max(1, threads),
		rowBytes: rowBytes, rowBlocks: rowBlocks, dot: dot}
}

// fillQ8 writes Q8_0 blocks with scale 1/64 and varied weights in
// -127..127 (llama.cpp's quantization never writes -128, and its AVX2 dot
// product, like this one, would get the sign of -128 × -128 wrong).
func fillQ8(b []byte, seed int) {
	for i := 0; i+q8Block <= len(b); i += q8Block {
		binary.LittleEndian.PutUint16(b[i:], 0x2400) // 1/64
		for j := 2; j < q8Block; j++ {
			b[i+j] = byte(int8((i/q8Block*31+j*seed)%255 - 127))
		}
	}
}

// pass streams every weight once, as decoding one token does, and returns
// the bytes read.
func (k *decodeKernel) pass() float64 {
	bar := &spinBarrier{n: int32(k.threads)}
	var next atomic.Int64
	parallelRows(k.threads, k.threads, func(t, _ int) {
		for c := 0; c < k.rows; c += k.matrixRows {
			n := min(k.matrixRows, k.rows-c)
			chunks := 0
			if k.chunkRows > 0 {
				chunks = (n + k.chunkRows - 1) / k.chunkRows
			}
			if chunks < 4*k.threads {
				// One range per thread: tinyBLAS always, ggml when a
				// matrix has too few chunks for the team.
				k.rowRange(c+n*t/k.threads, c+n*(t+1)/k.threads)
				bar.wait()
				continue
			}
			// ggml: a thread starts with the chunk of its own number and
			// then takes the next free one.
			if t == 0 {
				next.Store(int64(k.threads))
			}
			bar.wait()
			for chunk := t; chunk < chunks; chunk = int(next.Add(1) - 1) {
				k.rowRange(c+chunk*k.chunkRows, c+min((chunk+1)*k.chunkRows, n))
			}
			bar.wait()
		}
	})
	return float64(k.rows * k.rowBytes)
}

// rowRange computes rows lo..hi-1.
func (k *decodeKernel) rowRange(lo, hi int) {
	for r := lo; r < hi; r++ {
		k.y[r] = k.dot(k.w[r*k.rowBytes:(r+1)*k.rowBytes], k.x, k.rowBlocks)
	}
}

// promptKernel multiplies a cache-resident Q8_0 matrix with a batch of
// token activations: arithmetic, not memory, like prompt processing.
type promptKernel struct {
	w, x    []byte
	y       []float32
	threads int
}

func newPromptKernel(threads int) *promptKernel {
	k := &promptKernel{w: make([]byte, promptRows*kernelRowBytes), x: make([]byte, promptTokens*kernelRowBytes),
		y: make([]float32, promptRows*promptTokens), threads: max(1, threads)}
	fillQ8(k.w, 5)
	fillQ8(k.x, 7)
	return k
}

// run computes the product promptRepeats times and returns the operations
// (a multiply and an add per weight and token).
func (k *promptKernel) run() float64 {
	bar := &spinBarrier{n: int32(k.threads)}
	parallelRows(k.threads, k.threads, func(t, _ int) {
		lo, hi := promptRows*t/k.threads, promptRows*(t+1)/k.threads
		for range promptRepeats {
			for r := lo; r < hi; r++ {
				w := k.w[r*kernelRowBytes : (r+1)*kernelRowBytes]
				for tok := range promptTokens {
					k.y[r*promptTokens+tok] = dotQ8(w, k.x[tok*kernelRowBytes:(tok+1)*kernelRowBytes], kernelRowBlocks)
				}
			}
			bar.wait()
		}
	})
	return 2 * float64(promptRepeats) * promptRows * promptTokens * kernelRowBlocks * 32
}
