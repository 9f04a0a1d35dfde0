// x86-64 Montgomery multiplication for 4-limb moduli with mulx/adcx/adox (two independent
// carry chains), CIOS order. Used by Fp<P> when P::N == 4 and the compiler targets BMI2+ADX
// (CMake passes -mbmi2 -madx on x86-64); PM_PORTABLE_FIELD forces the portable C path.
//
// Per outer iteration i (registers T0..T4 rotate, so no limb moves are needed):
//   T += a * b[i]           (OF chain adds the low halves, CF chain the high halves)
//   m  = T0 * (-p^-1) mod 2^64
//   T += m * p              (T0 becomes 0 and is reused as the next iteration's T4)
// Output is < 2p; the caller subtracts p once when needed. Requires p < 2^(64N-1).
//
// The same rows split in two (mul_wide4_asm / mont_reduce4_asm and the 6-limb pair) serve lazy
// reduction: Fp2 products sum full-width products first and reduce once (ff/fp2.hpp).
#pragma once
#include <cstdint>

#if defined(__x86_64__) && defined(__BMI2__) && defined(__ADX__) && !defined(PM_PORTABLE_FIELD)
#define PM_HAVE_MONT_ASM4 1

namespace pm {

#define PM_MA_STEP(src, off, X0, X1, X2, X3, X4)                                  \
  "mulxq " #off "*8+0(%[" #src "]), %%r8, %%r9\n\t"                               \
  "adoxq %%r8, %[" #X0 "]\n\t"                                                    \
  "adcxq %%r9, %[" #X1 "]\n\t"

#define PM_MA_ITER(i, T0, T1, T2, T3, T4)                                         \
  "movq " #i "*8(%[b]), %%rdx\n\t"                                                \
  "xorl %%eax, %%eax\n\t"                                                         \
  "mulxq 0(%[a]), %%r8, %%r9\n\t"  "adoxq %%r8, %[" #T0 "]\n\t" "adcxq %%r9, %[" #T1 "]\n\t" \
  "mulxq 8(%[a]), %%r8, %%r9\n\t"  "adoxq %%r8, %[" #T1 "]\n\t" "adcxq %%r9, %[" #T2 "]\n\t" \
  "mulxq 16(%[a]), %%r8, %%r9\n\t" "adoxq %%r8, %[" #T2 "]\n\t" "adcxq %%r9, %[" #T3 "]\n\t" \
  "mulxq 24(%[a]), %%r8, %%r9\n\t" "adoxq %%r8, %[" #T3 "]\n\t" "adcxq %%r9, %[" #T4 "]\n\t" \
  "adoxq %%rax, %[" #T4 "]\n\t"                                                   \
  "movq %[" #T0 "], %%rdx\n\t"                                                    \
  "imulq %[inv], %%rdx\n\t"                                                       \
  "xorl %%eax, %%eax\n\t"                                                         \
  "mulxq 0(%[p]), %%r8, %%r9\n\t"  "adoxq %%r8, %[" #T0 "]\n\t" "adcxq %%r9, %[" #T1 "]\n\t" \
  "mulxq 8(%[p]), %%r8, %%r9\n\t"  "adoxq %%r8, %[" #T1 "]\n\t" "adcxq %%r9, %[" #T2 "]\n\t" \
  "mulxq 16(%[p]), %%r8, %%r9\n\t" "adoxq %%r8, %[" #T2 "]\n\t" "adcxq %%r9, %[" #T3 "]\n\t" \
  "mulxq 24(%[p]), %%r8, %%r9\n\t" "adoxq %%r8, %[" #T3 "]\n\t" "adcxq %%r9, %[" #T4 "]\n\t" \
  "adoxq %%rax, %[" #T4 "]\n\t"

// out = a * b * 2^-256 mod p, result < 2p (not yet reduced). out may alias a or b.
inline __attribute__((always_inline)) void mont_mul4_asm(uint64_t out[4], const uint64_t a[4], const uint64_t b[4],
                          const uint64_t p[4], uint64_t inv) {
  uint64_t r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0;
  __asm__(PM_MA_ITER(0, r0, r1, r2, r3, r4)
          PM_MA_ITER(1, r1, r2, r3, r4, r0)
          PM_MA_ITER(2, r2, r3, r4, r0, r1)
          PM_MA_ITER(3, r3, r4, r0, r1, r2)
          : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [r4] "+&r"(r4)
          : [a] "r"(a), [b] "r"(b), [p] "r"(p), [inv] "m"(inv)
          : "rax", "rdx", "r8", "r9", "cc", "memory");
  out[0] = r4;
  out[1] = r0;
  out[2] = r1;
  out[3] = r2;
}


// The two halves of mont_mul4_asm apart, for lazy reduction (Fp2 Karatsuba sums several
// products before one reduction).
//
// t = a * b, the full 512-bit product (8 limbs), for any 256-bit a and b. Rows of mulx over b[i]
// into 5 rotating registers; the finished low limb of each row is stored and its register
// (cleared) becomes the next row's top limb. Each row's sum is < 2^256 + (2^256-1)(2^64-1) < 2^320,
// so it fits the 5 registers.
#define PM_MW_ROW(i, T0, T1, T2, T3, T4)                                          \
  "movq " #i "*8(%[b]), %%rdx\n\t"                                                \
  "xorl %%eax, %%eax\n\t"                                                         \
  "mulxq 0(%[a]), %%r8, %%r9\n\t"  "adoxq %%r8, %[" #T0 "]\n\t" "adcxq %%r9, %[" #T1 "]\n\t" \
  "mulxq 8(%[a]), %%r8, %%r9\n\t"  "adoxq %%r8, %[" #T1 "]\n\t" "adcxq %%r9, %[" #T2 "]\n\t" \
  "mulxq 16(%[a]), %%r8, %%r9\n\t" "adoxq %%r8, %[" #T2 "]\n\t" "adcxq %%r9, %[" #T3 "]\n\t" \
  "mulxq 24(%[a]), %%r8, %%r9\n\t" "adoxq %%r8, %[" #T3 "]\n\t" "adcxq %%r9, %[" #T4 "]\n\t" \
  "adoxq %%rax, %[" #T4 "]\n\t"                                                   \
  "movq %[" #T0 "], " #i "*8(%[t])\n\t"                                           \
  "xorl %k[" #T0 "], %k[" #T0 "]\n\t"

inline __attribute__((always_inline)) void mul_wide4_asm(uint64_t t[8], const uint64_t a[4],
                                                         const uint64_t b[4]) {
  uint64_t r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0;
  __asm__(PM_MW_ROW(0, r0, r1, r2, r3, r4)
          PM_MW_ROW(1, r1, r2, r3, r4, r0)
          PM_MW_ROW(2, r2, r3, r4, r0, r1)
          PM_MW_ROW(3, r3, r4, r0, r1, r2)
          : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [r4] "+&r"(r4)
          : [a] "r"(a), [b] "r"(b), [t] "r"(t)
          : "rax", "rdx", "r8", "r9", "cc", "memory");
  t[4] = r4;
  t[5] = r0;
  t[6] = r1;
  t[7] = r2;
}

// out = t * 2^-256 mod p for a 512-bit t < p * 2^256, result < 2p (not yet reduced). The four
// reduction rows of mont_mul4_asm run on the low half L = t mod 2^256 alone, giving
// H = (L + M p) / 2^256 <= p (M < 2^256 the accumulated multiplier); then out = H + (t >> 256)
// <= p + (p - 1) < 2p, which fits 4 limbs without a carry (p < 2^255).
#define PM_MR_ROW(T0, T1, T2, T3, T4)                                             \
  "movq %[" #T0 "], %%rdx\n\t"                                                    \
  "imulq %[inv], %%rdx\n\t"                                                       \
  "xorl %%eax, %%eax\n\t"                                                         \
  "mulxq 0(%[p]), %%r8, %%r9\n\t"  "adoxq %%r8, %[" #T0 "]\n\t" "adcxq %%r9, %[" #T1 "]\n\t" \
  "mulxq 8(%[p]), %%r8, %%r9\n\t"  "adoxq %%r8, %[" #T1 "]\n\t" "adcxq %%r9, %[" #T2 "]\n\t" \
  "mulxq 16(%[p]), %%r8, %%r9\n\t" "adoxq %%r8, %[" #T2 "]\n\t" "adcxq %%r9, %[" #T3 "]\n\t" \
  "mulxq 24(%[p]), %%r8, %%r9\n\t" "adoxq %%r8, %[" #T3 "]\n\t" "adcxq %%r9, %[" #T4 "]\n\t" \
  "adoxq %%rax, %[" #T4 "]\n\t"

inline __attribute__((always_inline)) void mont_reduce4_asm(uint64_t out[4], const uint64_t t[8],
                                                            const uint64_t p[4], uint64_t inv) {
  uint64_t r0 = t[0], r1 = t[1], r2 = t[2], r3 = t[3], r4 = 0;
  __asm__(PM_MR_ROW(r0, r1, r2, r3, r4)
          PM_MR_ROW(r1, r2, r3, r4, r0)
          PM_MR_ROW(r2, r3, r4, r0, r1)
          PM_MR_ROW(r3, r4, r0, r1, r2)
          "addq 32(%[t]), %[r4]\n\t"
          "adcq 40(%[t]), %[r0]\n\t"
          "adcq 48(%[t]), %[r1]\n\t"
          "adcq 56(%[t]), %[r2]\n\t"
          : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [r4] "+&r"(r4)
          : [t] "r"(t), [p] "r"(p), [inv] "m"(inv)
          : "rax", "rdx", "r8", "r9", "cc", "memory");
  out[0] = r4;
  out[1] = r0;
  out[2] = r1;
  out[3] = r2;
}

#undef PM_MW_ROW
#undef PM_MR_ROW
#undef PM_MA_STEP
#undef PM_MA_ITER

// 6 limbs (BLS12-381 Fq). Same scheme with T0..T6. It needs 14 general registers (7
// accumulators, a, b, p, rax, rdx, r8, r9), so it is only used in optimized builds without
// AddressSanitizer (which, like -O0, leaves too few registers); the others use portable C.
#if defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__)
#define PM_HAVE_MONT_ASM6 1
#define PM_MA6_MUL(src, k, X0, X1)                                                        \
  "mulxq " #k "*8(%[" #src "]), %%r8, %%r9\n\t"                                            \
  "adoxq %%r8, %[" #X0 "]\n\t" "adcxq %%r9, %[" #X1 "]\n\t"
#define PM_MA6_RED(k, X0, X1)                                                             \
  "mulxq " #k "*8(%[p]), %%r8, %%r9\n\t"                                                   \
  "adoxq %%r8, %[" #X0 "]\n\t" "adcxq %%r9, %[" #X1 "]\n\t"
#define PM_MA6_ITER(i, T0, T1, T2, T3, T4, T5, T6)                                        \
  "movq " #i "*8(%[b]), %%rdx\n\t"                                                         \
  "xorl %%eax, %%eax\n\t"                                                                  \
  PM_MA6_MUL(a, 0, T0, T1) PM_MA6_MUL(a, 1, T1, T2) PM_MA6_MUL(a, 2, T2, T3)               \
  PM_MA6_MUL(a, 3, T3, T4) PM_MA6_MUL(a, 4, T4, T5) PM_MA6_MUL(a, 5, T5, T6)               \
  "adoxq %%rax, %[" #T6 "]\n\t"                                                            \
  "movq %[" #T0 "], %%rdx\n\t"                                                             \
  "imulq %[inv], %%rdx\n\t"                                                                \
  "xorl %%eax, %%eax\n\t"                                                                  \
  PM_MA6_RED(0, T0, T1) PM_MA6_RED(1, T1, T2) PM_MA6_RED(2, T2, T3)                        \
  PM_MA6_RED(3, T3, T4) PM_MA6_RED(4, T4, T5) PM_MA6_RED(5, T5, T6)                        \
  "adoxq %%rax, %[" #T6 "]\n\t"

inline __attribute__((always_inline)) void mont_mul6_asm(uint64_t out[6], const uint64_t a[6],
                                                         const uint64_t b[6], const uint64_t p[6],
                                                         uint64_t inv) {
  uint64_t r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0;
  __asm__(PM_MA6_ITER(0, r0, r1, r2, r3, r4, r5, r6)
          PM_MA6_ITER(1, r1, r2, r3, r4, r5, r6, r0)
          PM_MA6_ITER(2, r2, r3, r4, r5, r6, r0, r1)
          PM_MA6_ITER(3, r3, r4, r5, r6, r0, r1, r2)
          PM_MA6_ITER(4, r4, r5, r6, r0, r1, r2, r3)
          PM_MA6_ITER(5, r5, r6, r0, r1, r2, r3, r4)
          : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [r4] "+&r"(r4),
            [r5] "+&r"(r5), [r6] "+&r"(r6)
          : [a] "r"(a), [b] "r"(b), [p] "r"(p), [inv] "m"(inv)
          : "rax", "rdx", "r8", "r9", "cc", "memory");
  out[0] = r6;
  out[1] = r0;
  out[2] = r1;
  out[3] = r2;
  out[4] = r3;
  out[5] = r4;
}


// 6-limb mul_wide / mont_reduce (see the 4-limb ones above): 768-bit t = a * b, and
// out = t * 2^-384 mod p < 2p for t < p * 2^384 (p < 2^383).
#define PM_MW6_ROW(i, T0, T1, T2, T3, T4, T5, T6)                                         \
  "movq " #i "*8(%[b]), %%rdx\n\t"                                                         \
  "xorl %%eax, %%eax\n\t"                                                                  \
  PM_MA6_MUL(a, 0, T0, T1) PM_MA6_MUL(a, 1, T1, T2) PM_MA6_MUL(a, 2, T2, T3)               \
  PM_MA6_MUL(a, 3, T3, T4) PM_MA6_MUL(a, 4, T4, T5) PM_MA6_MUL(a, 5, T5, T6)               \
  "adoxq %%rax, %[" #T6 "]\n\t"                                                            \
  "movq %[" #T0 "], " #i "*8(%[t])\n\t"                                                    \
  "xorl %k[" #T0 "], %k[" #T0 "]\n\t"

inline __attribute__((always_inline)) void mul_wide6_asm(uint64_t t[12], const uint64_t a[6],
                                                         const uint64_t b[6]) {
  uint64_t r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0;
  __asm__(PM_MW6_ROW(0, r0, r1, r2, r3, r4, r5, r6)
          PM_MW6_ROW(1, r1, r2, r3, r4, r5, r6, r0)
          PM_MW6_ROW(2, r2, r3, r4, r5, r6, r0, r1)
          PM_MW6_ROW(3, r3, r4, r5, r6, r0, r1, r2)
          PM_MW6_ROW(4, r4, r5, r6, r0, r1, r2, r3)
          PM_MW6_ROW(5, r5, r6, r0, r1, r2, r3, r4)
          : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [r4] "+&r"(r4),
            [r5] "+&r"(r5), [r6] "+&r"(r6)
          : [a] "r"(a), [b] "r"(b), [t] "r"(t)
          : "rax", "rdx", "r8", "r9", "cc", "memory");
  t[6] = r6;
  t[7] = r0;
  t[8] = r1;
  t[9] = r2;
  t[10] = r3;
  t[11] = r4;
}

#define PM_MR6_ROW(T0, T1, T2, T3, T4, T5, T6)                                            \
  "movq %[" #T0 "], %%rdx\n\t"                                                             \
  "imulq %[inv], %%rdx\n\t"                                                                \
  "xorl %%eax, %%eax\n\t"                                                                  \
  PM_MA6_RED(0, T0, T1) PM_MA6_RED(1, T1, T2) PM_MA6_RED(2, T2, T3)                        \
  PM_MA6_RED(3, T3, T4) PM_MA6_RED(4, T4, T5) PM_MA6_RED(5, T5, T6)                        \
  "adoxq %%rax, %[" #T6 "]\n\t"

inline __attribute__((always_inline)) void mont_reduce6_asm(uint64_t out[6], const uint64_t t[12],
                                                            const uint64_t p[6], uint64_t inv) {
  uint64_t r0 = t[0], r1 = t[1], r2 = t[2], r3 = t[3], r4 = t[4], r5 = t[5], r6 = 0;
  __asm__(PM_MR6_ROW(r0, r1, r2, r3, r4, r5, r6)
          PM_MR6_ROW(r1, r2, r3, r4, r5, r6, r0)
          PM_MR6_ROW(r2, r3, r4, r5, r6, r0, r1)
          PM_MR6_ROW(r3, r4, r5, r6, r0, r1, r2)
          PM_MR6_ROW(r4, r5, r6, r0, r1, r2, r3)
          PM_MR6_ROW(r5, r6, r0, r1, r2, r3, r4)
          "addq 48(%[t]), %[r6]\n\t"
          "adcq 56(%[t]), %[r0]\n\t"
          "adcq 64(%[t]), %[r1]\n\t"
          "adcq 72(%[t]), %[r2]\n\t"
          "adcq 80(%[t]), %[r3]\n\t"
          "adcq 88(%[t]), %[r4]\n\t"
          : [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), [r4] "+&r"(r4),
            [r5] "+&r"(r5), [r6] "+&r"(r6)
          : [t] "r"(t), [p] "r"(p), [inv] "m"(inv)
          : "rax", "rdx", "r8", "r9", "cc", "memory");
  out[0] = r6;
  out[1] = r0;
  out[2] = r1;
  out[3] = r2;
  out[4] = r3;
  out[5] = r4;
}

#undef PM_MW6_ROW
#undef PM_MR6_ROW
#undef PM_MA6_MUL
#undef PM_MA6_RED
#undef PM_MA6_ITER
#endif  // PM_HAVE_MONT_ASM6

}  // namespace pm
#endif
