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
  PM_INLINE Fp2 operator*(const Fp2& b) const {  // Karatsuba: 3 base multiplications
    F v0 = c0 * b.c0, v1 = c1 * b.c1;
    F m = (c0 + c1) * (b.c0 + b.c1);
    return make(v0 + NR::mul(v1), m - v0 - v1);
  }
  PM_INLINE Fp2 sqr() const {
    if constexpr (std::is_same_v<NR, NrMinusOne>) {  // (a+b)(a-b), 2ab
      F ab = c0 * c1;
      return make((c0 + c1) * (c0 - c1), ab.dbl());
    } else {
      return (*this) * (*this);
    }
  }
  Fp2 mul_base(const F& s) const { return make(c0 * s, c1 * s); }
  Fp2& operator+=(const Fp2& b) { return *this = *this + b; }
  Fp2& operator-=(const Fp2& b) { return *this = *this - b; }
  Fp2& operator*=(const Fp2& b) { return *this = *this * b; }
  Fp2 conj() const { return make(c0, c1.neg()); }
  // 1/(a + bu) = (a - bu) / (a^2 - beta b^2); inverse of 0 is 0.
  Fp2 inv() const {
    F norm = c0.sqr() - NR::mul(c1.sqr());
    F ni = norm.inv();
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
  // norms does it: per element 2 F squares + 3 F products (Montgomery's trick) + 2 F products = 7,
  // against 3 F2 products (9 F products) for Montgomery's trick over F2. (The norm of a non-zero
  // element is non-zero: u^2 - beta is irreducible.) The G2 MSM's batch-affine additions spend
  // most of their time here.
  static void batch_inverse(Fp2* a, size_t n, Fp2* scratch) {
    static_assert(sizeof(Fp2) == 2 * sizeof(F), "scratch holds 2n base elements");
    F* norm = reinterpret_cast<F*>(scratch);
    F* fs = norm + n;
    for (size_t i = 0; i < n; i++) norm[i] = a[i].c0.sqr() - NR::mul(a[i].c1.sqr());
    F::batch_inverse(norm, n, fs);
    for (size_t i = 0; i < n; i++) a[i] = make(a[i].c0 * norm[i], (a[i].c1 * norm[i]).neg());
  }
  std::string to_decimal() const { return "[" + c0.to_decimal() + ", " + c1.to_decimal() + "]"; }
};

}  // namespace pm
