// Quadratic extension F[u]/(u^2 - beta). NR supplies mul(a) = beta*a. Both curves here use
// beta = -1 (NrMinusOne). Layout {c0, c1}, matching snarkjs' G2 coordinate layout.
#pragma once
#include <string>
#include <type_traits>

#include "ff/fp.hpp"

namespace pm {

struct NrMinusOne {
  template <class F>
  static F mul(const F& a) { return a.neg(); }
};

template <class F, class NR>
struct Fp2 {
  using Base = F;
  static constexpr int N = 2 * F::N;
  static constexpr int BYTES = 2 * F::BYTES;
  F c0, c1;

  static Fp2 make(const F& a, const F& b) {
    Fp2 r;
    r.c0 = a;
    r.c1 = b;
    return r;
  }
  static Fp2 zero() { return make(F::zero(), F::zero()); }
  static Fp2 one() { return make(F::one(), F::zero()); }
  static Fp2 from_u64(uint64_t v) { return make(F::from_u64(v), F::zero()); }

  bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  bool is_reduced() const { return c0.is_reduced() && c1.is_reduced(); }
  bool operator==(const Fp2& o) const { return c0 == o.c0 && c1 == o.c1; }
  bool operator!=(const Fp2& o) const { return !(*this == o); }

  PM_INLINE Fp2 operator+(const Fp2& b) const { return make(c0 + b.c0, c1 + b.c1); }
  PM_INLINE Fp2 operator-(const Fp2& b) const { return make(c0 - b.c0, c1 - b.c1); }
  Fp2 neg() const { return make(c0.neg(), c1.neg()); }
  Fp2 operator-() const { return neg(); }
  Fp2 dbl() const { return make(c0.dbl(), c1.dbl()); }
  // Karatsuba with lazy reduction (beta = -1): the three products a0 b0, a1 b1, (a0+a1)(b0+b1)
  // are kept at full width (2N limbs) and combined there, then reduced twice:
  //   c1 = (a0+a1)(b0+b1) - a0 b0 - a1 b1 = a0 b1 + a1 b0 in [0, 2p^2),
  //   c0 = a0 b0 - a1 b1 in (-p^2, p^2), plus p R when negative: in [0, p R).
  // Both are below p R (p < R/2), which Fp::redc requires; a0+a1 and b0+b1 are < 2p < R, left
  // unreduced. 3 wide products + 2 reductions instead of 3 Montgomery products and their
  // reduced additions. Other non-residues take the plain Karatsuba path.
  PM_INLINE Fp2 operator*(const Fp2& b) const {
    if constexpr (std::is_same_v<NR, NrMinusOne>) {
      constexpr int n = F::N;
      uint64_t sa[n], sb[n], v0[2 * n], v1[2 * n], s[2 * n];
      F::add_nored(sa, c0.l, c1.l);
      F::add_nored(sb, b.c0.l, b.c1.l);
      F::mul_wide(v0, c0.l, b.c0.l);
      F::mul_wide(v1, c1.l, b.c1.l);
      F::mul_wide(s, sa, sb);
      F::sub_wide(s, v0);  // no borrow: the difference is a0 b1 + a1 b0 >= 0
      F::sub_wide(s, v1);
      uint64_t neg = 0 - (uint64_t)F::sub_wide(v0, v1);
      F::add_pR_masked(v0, neg);
      return make(F::redc(v0), F::redc(s));
    } else {
      F v0 = c0 * b.c0, v1 = c1 * b.c1;
      F m = (c0 + c1) * (b.c0 + b.c1);
      return make(v0 + NR::mul(v1), m - v0 - v1);
    }
  }
  // beta = -1: (a0+a1)(a0-a1) and 2 a0 a1, each one wide product (a reduced value times a value
  // < 2p, so < 2p^2 < p R) and one reduction.
  PM_INLINE Fp2 sqr() const {
    if constexpr (std::is_same_v<NR, NrMinusOne>) {
      constexpr int n = F::N;
      uint64_t s[n], d2[n], t0[2 * n], t1[2 * n];
      F d = c0 - c1;
      F::add_nored(s, c0.l, c1.l);
      F::add_nored(d2, c0.l, c0.l);
      F::mul_wide(t0, s, d.l);
      F::mul_wide(t1, d2, c1.l);
      return make(F::redc(t0), F::redc(t1));
    } else {
      return (*this) * (*this);
    }
  }
  // The norm a0^2 - beta a1^2 in F (beta = -1: a0^2 + a1^2 < 2p^2, one reduction).
  PM_INLINE F norm() const {
    if constexpr (std::is_same_v<NR, NrMinusOne>) {
      constexpr int n = F::N;
      uint64_t t0[2 * n], t1[2 * n];
      F::mul_wide(t0, c0.l, c0.l);
      F::mul_wide(t1, c1.l, c1.l);
      F::add_wide(t0, t1);
      return F::redc(t0);
    } else {
      return c0.sqr() - NR::mul(c1.sqr());
    }
  }
  Fp2 mul_base(const F& s) const { return make(c0 * s, c1 * s); }
  Fp2& operator+=(const Fp2& b) { return *this = *this + b; }
  Fp2& operator-=(const Fp2& b) { return *this = *this - b; }
  Fp2& operator*=(const Fp2& b) { return *this = *this * b; }
  Fp2 conj() const { return make(c0, c1.neg()); }
  // 1/(a + bu) = (a - bu) / (a^2 - beta b^2); inverse of 0 is 0.
  Fp2 inv() const {
    F ni = norm().inv();
    return make(c0 * ni, (c1 * ni).neg());
  }
  Fp2 pow(const uint64_t* exp, int nlimbs) const {
    Fp2 r = one();
    for (int i = nlimbs - 1; i >= 0; i--)
      for (int b = 63; b >= 0; b--) {
        r = r.sqr();
        if ((exp[i] >> b) & 1) r = r * (*this);
      }
    return r;
  }
  // Inverts many elements at once; zeros stay zero. scratch must hold n elements.
  // 1/(a + bu) = (a - bu) / N with N = a^2 - beta b^2 in F, so one batch inversion over F of the
  // norms does it: per element a norm (2 wide products, 1 reduction) + 3 F products (Montgomery's
  // trick) + 2 F products, against 3 F2 products for Montgomery's trick over F2. (The norm of a non-zero
  // element is non-zero: u^2 - beta is irreducible.) The G2 MSM's batch-affine additions spend
  // most of their time here.
  static void batch_inverse(Fp2* a, size_t n, Fp2* scratch) {
    static_assert(sizeof(Fp2) == 2 * sizeof(F), "scratch holds 2n base elements");
    F* norm = reinterpret_cast<F*>(scratch);
    F* fs = norm + n;
    for (size_t i = 0; i < n; i++) norm[i] = a[i].norm();
    F::batch_inverse(norm, n, fs);
    for (size_t i = 0; i < n; i++) a[i] = make(a[i].c0 * norm[i], (a[i].c1 * norm[i]).neg());
  }
  std::string to_decimal() const { return "[" + c0.to_decimal() + ", " + c1.to_decimal() + "]"; }
};

}  // namespace pm
