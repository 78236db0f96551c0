//go:build !noasm

package gemm

import (
	"math/rand/v2"
	"slices"
	"testing"

	"golang.org/x/sys/cpu"
)

// asmKernels lists the assembly kernel sets for TestMultiplyMatchesGonum.
func asmKernels() []testKernels {
	return []testKernels{
		{"avx2", kernelsAVX2, !cpu.X86.HasAVX2 || !cpu.X86.HasFMA},
		{"avx512", kernelsAVX512, !cpu.X86.HasAVX512F},
	}
}

// The AVX2 and AVX-512 kernels sum every element in the same order, so a
// machine's vector width does not change a run's numbers; adding whole
// tiles straight into C gives the same bits as going through the tile,
// setting them into an uncleared C (beta 0) the same as adding them to a
// cleared one, and reading A in place the same as packing it.
func TestKernelsAgreeBitwise(t *testing.T) {
	t.Parallel()
	if !cpu.X86.HasAVX512F || !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		t.Skip("needs both AVX2/FMA and AVX-512F")
	}
	for _, tc := range gemmCases() {
		rng := rand.New(rand.NewPCG(uint64(tc.m), uint64(tc.n)))
		a, lda, b, ldb, c, ldc := operands[float32](tc, rng)
		a64, lda64, b64, ldb64, c64, ldc64 := operands[float64](tc, rng)
		var out32 [][]float32
		var out64 [][]float64
		for _, set := range []kernelSet{kernelsAVX2, kernelsAVX512} {
			for variant := 0; variant < 6; variant++ { // bit 0: add, bit 1: in place, 4 and 5: set
				add32, add64 := set.add32, set.add64
				if variant%2 == 0 && variant < 4 {
					add32, add64 = nil, nil
				}
				dir32, dir64 := set.dir32, set.dir64
				if variant%4 < 2 {
					dir32, dir64 = nil, nil
				}
				set32, set64 := set.set32, set.set64
				if variant < 4 {
					set32, set64 = nil, nil
				}
				c32 := append([]float32(nil), c...)
				withKernel(set.f32, add32, set32, dir32, set.nr32, &poolF32)(tc, a, lda, b, ldb, c32, ldc)
				out32 = append(out32, c32)
				cc64 := append([]float64(nil), c64...)
				withKernel(set.f64, add64, set64, dir64, set.nr64, &poolF64)(tc, a64, lda64, b64, ldb64, cc64, ldc64)
				out64 = append(out64, cc64)
			}
		}
		for i := 1; i < len(out32); i++ {
			if !slices.Equal(out32[0], out32[i]) || !slices.Equal(out64[0], out64[i]) {
				t.Fatalf("%+v: kernel variant %d differs from AVX2 through the tile", tc, i)
			}
		}
	}
}
