package gemm

import "unsafe"

// kernelGo is the micro-kernel in plain Go: the reference the assembly
// kernels are tested against.
func kernelGo[T scalar](nr int) kernelFunc[T] {
	return func(k int, a, b, tile *T) {
		ap := unsafe.Slice(a, k*mr)
		bp := unsafe.Slice(b, k*nr)
		out := unsafe.Slice(tile, mr*nr)
		clear(out)
		for p := 0; p < k; p++ {
			for i := 0; i < mr; i++ {
				ai := ap[p*mr+i]
				for j := 0; j < nr; j++ {
					out[i*nr+j] += ai * bp[p*nr+j]
				}
			}
		}
	}
}
