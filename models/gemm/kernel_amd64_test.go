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
// machine's vector width does not change a run's numbers.
func TestKernelsAgreeBitwise(t *testing.T) {
	if !cpu.X86.HasAVX512F || !cpu.X86.HasAVX2 || !cpu.X86.HasFMA {
		t.Skip("needs both AVX2/FMA and AVX-512F")
	}
	for _, tc := range gemmCases() {
		rng := rand.New(rand.NewPCG(uint64(tc.m), uint64(tc.n)))
		a, lda, b, ldb, c, ldc := operands[float32](tc, rng)
		c512 := append([]float32(nil), c...)
		withKernel(kernelsAVX2.f32, kernelsAVX2.nr32, &poolF32)(tc, a, lda, b, ldb, c, ldc)
		withKernel(kernelsAVX512.f32, kernelsAVX512.nr32, &poolF32)(tc, a, lda, b, ldb, c512, ldc)
		a64, lda, b64, ldb, c64, ldc := operands[float64](tc, rng)
		c64512 := append([]float64(nil), c64...)
		withKernel(kernelsAVX2.f64, kernelsAVX2.nr64, &poolF64)(tc, a64, lda, b64, ldb, c64, ldc)
		withKernel(kernelsAVX512.f64, kernelsAVX512.nr64, &poolF64)(tc, a64, lda, b64, ldb, c64512, ldc)
		if !slices.Equal(c, c512) || !slices.Equal(c64, c64512) {
			t.Fatalf("%+v: AVX2 and AVX-512 kernels differ", tc)
		}
	}
}
