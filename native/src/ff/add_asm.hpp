// x86-64 modular addition and subtraction for 4-limb moduli (BN254 Fq and Fr, BLS12-381 Fr).
// Used by Fp<P>::operator+ / operator- on x86-64 in optimized builds without AddressSanitizer;
// PM_PORTABLE_FIELD forces the portable C path. The same scheme for 6 limbs (BLS12-381 Fq) was
// slower than the compiler's code (12 live registers leave b in memory) and is not used.
//
//   add: r = a + b (add/adc; no carry out since p < 2^(64N-1)), t = r - p (sub/sbb against p in
//        memory), keep r where that borrowed (cmovc). Both inputs must be < p.
//   sub: z = 0 (xor, before the flags matter), r = a - b (sub/sbb), z = borrow ? p : 0 (cmovc
//        from memory), r += z (add/adc).
// The compiler loads a into the accumulators and addresses b and p as memory operands, so no
// pointer registers are reserved. Measured against the portable code in
// bench/results/engine-fqadd-vm-2026-11-30.md.
#pragma once
#include <cstdint>

#if defined(__x86_64__) && defined(__OPTIMIZE__) && !defined(__SANITIZE_ADDRESS__) && \
    !defined(PM_PORTABLE_FIELD)
#define PM_HAVE_ADD_ASM 1

namespace pm {

#define PM_AS_ADD4 \
  "addq %[b0], %[r0]\n\t" "adcq %[b1], %[r1]\n\t" "adcq %[b2], %[r2]\n\t" "adcq %[b3], %[r3]\n\t"
#define PM_AS_MOV4 \
  "movq %[r0], %[t0]\n\t" "movq %[r1], %[t1]\n\t" "movq %[r2], %[t2]\n\t" "movq %[r3], %[t3]\n\t"
#define PM_AS_SUBP4 \
  "subq %[p0], %[t0]\n\t" "sbbq %[p1], %[t1]\n\t" "sbbq %[p2], %[t2]\n\t" "sbbq %[p3], %[t3]\n\t"
#define PM_AS_KEEP4 \
  "cmovcq %[r0], %[t0]\n\t" "cmovcq %[r1], %[t1]\n\t" "cmovcq %[r2], %[t2]\n\t" "cmovcq %[r3], %[t3]\n\t"
#define PM_AS_ZERO4 \
  "xorl %k[t0], %k[t0]\n\t" "xorl %k[t1], %k[t1]\n\t" "xorl %k[t2], %k[t2]\n\t" "xorl %k[t3], %k[t3]\n\t"
#define PM_AS_SUBB4 \
  "subq %[b0], %[r0]\n\t" "sbbq %[b1], %[r1]\n\t" "sbbq %[b2], %[r2]\n\t" "sbbq %[b3], %[r3]\n\t"
#define PM_AS_PICKP4 \
  "cmovcq %[p0], %[t0]\n\t" "cmovcq %[p1], %[t1]\n\t" "cmovcq %[p2], %[t2]\n\t" "cmovcq %[p3], %[t3]\n\t"
#define PM_AS_ADDT4 \
  "addq %[t0], %[r0]\n\t" "adcq %[t1], %[r1]\n\t" "adcq %[t2], %[r2]\n\t" "adcq %[t3], %[r3]\n\t"

#define PM_AS_OUT4(c) [r0] "+&r"(r0), [r1] "+&r"(r1), [r2] "+&r"(r2), [r3] "+&r"(r3), \
  [t0] c(t0), [t1] c(t1), [t2] c(t2), [t3] c(t3)
// b limb by limb in a register or memory (the compiler's choice: a value just computed stays in
// its register; forcing memory cost a store-to-load round trip per operation), p limb by limb
// in memory (one operand per limb: "8+%[p]" displacement arithmetic breaks when the compiler
// addresses p through a register, as PIC code does).
#define PM_AS_IN4 [b0] "rm"(b[0]), [b1] "rm"(b[1]), [b2] "rm"(b[2]), [b3] "rm"(b[3]), \
  [p0] "m"(p[0]), [p1] "m"(p[1]), [p2] "m"(p[2]), [p3] "m"(p[3])

// out = a + b mod p (a, b < p). out may alias a or b.
inline __attribute__((always_inline)) void mod_add4_asm(uint64_t out[4], const uint64_t a[4],
                                                        const uint64_t b[4], const uint64_t p[4]) {
  uint64_t r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], t0, t1, t2, t3;
  __asm__(PM_AS_ADD4 PM_AS_MOV4 PM_AS_SUBP4 PM_AS_KEEP4 : PM_AS_OUT4("=&r") : PM_AS_IN4 : "cc");
  out[0] = t0; out[1] = t1; out[2] = t2; out[3] = t3;
}
// out = a - b mod p (a, b < p). out may alias a or b.
inline __attribute__((always_inline)) void mod_sub4_asm(uint64_t out[4], const uint64_t a[4],
                                                        const uint64_t b[4], const uint64_t p[4]) {
  uint64_t r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], t0, t1, t2, t3;
  __asm__(PM_AS_ZERO4 PM_AS_SUBB4 PM_AS_PICKP4 PM_AS_ADDT4 : PM_AS_OUT4("=&r") : PM_AS_IN4 : "cc");
  out[0] = r0; out[1] = r1; out[2] = r2; out[3] = r3;
}

#undef PM_AS_ADD4
#undef PM_AS_MOV4
#undef PM_AS_SUBP4
#undef PM_AS_KEEP4
#undef PM_AS_ZERO4
#undef PM_AS_SUBB4
#undef PM_AS_PICKP4
#undef PM_AS_ADDT4
#undef PM_AS_OUT4
#undef PM_AS_IN4

}  // namespace pm
#endif  // PM_HAVE_ADD_ASM
