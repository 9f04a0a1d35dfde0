// Prime field F_p in Montgomery form with 64-bit little-endian limbs.
//
// The struct holds exactly N limbs and nothing else, so an array of Fp has the byte layout of
// snarkjs "LEM" data and an Fp* may alias zkey bytes. P supplies N, MOD, ONE (R mod p), R2,
// INV (-p^-1 mod 2^64), P_MINUS_2 (see curves/params_generated.hpp). All moduli used here
// leave the top bit of the top limb free, which the no-carry CIOS multiplication and the
// overflow-free addition rely on (checked by static_assert).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "ff/add_asm.hpp"
#include "ff/mont_asm.hpp"

#if defined(__GNUC__)
#define PM_INLINE inline __attribute__((always_inline))
#else
#define PM_INLINE inline
#endif

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace pm {

using u128 = unsigned __int128;

// Add / subtract with carry; on x86-64 these become adc / sbb chains.
PM_INLINE uint64_t addc(uint64_t a, uint64_t b, unsigned char& carry) {
#if defined(__x86_64__)
  unsigned long long r;
  carry = _addcarry_u64(carry, a, b, &r);
  return r;
#else
  u128 s = (u128)a + b + carry;
  carry = (unsigned char)(s >> 64);
  return (uint64_t)s;
#endif
}
PM_INLINE uint64_t subb(uint64_t a, uint64_t b, unsigned char& borrow) {
#if defined(__x86_64__)
  unsigned long long r;
  borrow = _subborrow_u64(borrow, a, b, &r);
  return r;
#else
  u128 d = (u128)a - b - borrow;
  borrow = (unsigned char)((d >> 64) & 1);
  return (uint64_t)d;
#endif
}

template <class P>
struct Fp {
  static constexpr int N = P::N;
  static constexpr int BYTES = N * 8;
  using Params = P;
  static_assert(P::MOD[N - 1] < (~0ULL >> 1) - 1, "no-carry Montgomery needs a spare top bit");

  uint64_t l[N];

  // ---- constructors -------------------------------------------------------------------------
  static Fp zero() {
    Fp r;
    for (int i = 0; i < N; i++) r.l[i] = 0;
    return r;
  }
  static Fp one() { return from_limbs(P::ONE); }
  static Fp from_limbs(const uint64_t* v) {  // raw limbs, taken as they are (Montgomery)
    Fp r;
    for (int i = 0; i < N; i++) r.l[i] = v[i];
    return r;
  }
  static Fp r2() { return from_limbs(P::R2); }
  static Fp from_u64(uint64_t v) {
    Fp r = zero();
    r.l[0] = v;
    return r * r2();  // v < p always holds
  }
  // Canonical little-endian bytes (BYTES of them) -> Montgomery. False if the value is >= p.
  static bool from_canonical(Fp& out, const uint8_t* le) {
    Fp t;
    std::memcpy(t.l, le, BYTES);
    if (!t.is_reduced()) return false;
    out = t * r2();
    return true;
  }
  // Any number of little-endian bytes, reduced mod p.
  static Fp from_canonical_reduce(const uint8_t* le, size_t len) {
    Fp acc = zero();
    Fp two64 = from_u64(1ULL << 32);
    two64 = two64.sqr();
    size_t nchunks = (len + 7) / 8;
    for (size_t c = nchunks; c-- > 0;) {
      uint64_t w = 0;
      for (size_t b = 0; b < 8; b++) {
        size_t idx = c * 8 + b;
        if (idx < len) w |= (uint64_t)le[idx] << (8 * b);
      }
      acc = acc * two64 + from_u64_reduce(w);
    }
    return acc;
  }
  static Fp from_decimal(const char* s) {
    Fp acc = zero(), ten = from_u64(10);
    for (; *s; s++) {
      if (*s < '0' || *s > '9') continue;
      acc = acc * ten + from_u64((uint64_t)(*s - '0'));
    }
    return acc;
  }

  // ---- conversions out ----------------------------------------------------------------------
  Fp from_mont() const {  // the canonical value, as limbs
    Fp o = zero();
    o.l[0] = 1;
    return (*this) * o;
  }
  void to_canonical(uint8_t* le) const {
    Fp c = from_mont();
    std::memcpy(le, c.l, BYTES);
  }
  std::string to_decimal() const {
    Fp c = from_mont();
    uint64_t v[N];
    for (int i = 0; i < N; i++) v[i] = c.l[i];
    std::string s;
    for (;;) {
      bool nz = false;
      for (int i = 0; i < N; i++) nz |= v[i] != 0;
      if (!nz) break;
      // divide v by 10^18, collect the remainder
      const uint64_t D = 1000000000000000000ULL;
      u128 rem = 0;
      for (int i = N - 1; i >= 0; i--) {
        u128 cur = (rem << 64) | v[i];
        v[i] = (uint64_t)(cur / D);
        rem = cur % D;
      }
      bool more = false;
      for (int i = 0; i < N; i++) more |= v[i] != 0;
      std::string part = std::to_string((uint64_t)rem);
      if (more) part = std::string(18 - part.size(), '0') + part;
      s = part + s;
    }
    return s.empty() ? "0" : s;
  }

  // ---- predicates ---------------------------------------------------------------------------
  bool is_zero() const {
    uint64_t acc = 0;
    for (int i = 0; i < N; i++) acc |= l[i];
    return acc == 0;
  }
  bool operator==(const Fp& o) const {
    for (int i = 0; i < N; i++)
      if (l[i] != o.l[i]) return false;
    return true;
  }
  bool operator!=(const Fp& o) const { return !(*this == o); }
  bool is_reduced() const {  // limbs < p
    for (int i = N - 1; i >= 0; i--) {
      if (l[i] < P::MOD[i]) return true;
      if (l[i] > P::MOD[i]) return false;
    }
    return false;  // equal to p
  }
  bool is_one() const { return *this == one(); }

  // ---- arithmetic ---------------------------------------------------------------------------
  PM_INLINE Fp operator+(const Fp& b) const {
#ifdef PM_HAVE_ADD_ASM
    if constexpr (N == 4) {
      Fp r;
      mod_add4_asm(r.l, l, b.l, P::MOD);
      return r;
    }
#endif
    return add_portable(b);
  }
  PM_INLINE Fp operator-(const Fp& b) const {
#ifdef PM_HAVE_ADD_ASM
    if constexpr (N == 4) {
      Fp r;
      mod_sub4_asm(r.l, l, b.l, P::MOD);
      return r;
    }
#endif
    return sub_portable(b);
  }
  // The portable forms (the reference for the asm in ff/add_asm.hpp; used where it is off).
  PM_INLINE Fp add_portable(const Fp& b) const {
    Fp r;
    unsigned char c = 0;
    for (int i = 0; i < N; i++) r.l[i] = addc(l[i], b.l[i], c);
    r.reduce_once();  // no carry out: p < 2^(64N-1)
    return r;
  }
  PM_INLINE Fp sub_portable(const Fp& b) const {
    Fp r;
    unsigned char br = 0;
    for (int i = 0; i < N; i++) r.l[i] = subb(l[i], b.l[i], br);
    // add p back when it borrowed (mask instead of a branch)
    uint64_t mask = 0 - (uint64_t)br;
    unsigned char c = 0;
    for (int i = 0; i < N; i++) r.l[i] = addc(r.l[i], P::MOD[i] & mask, c);
    return r;
  }
  Fp neg() const { return is_zero() ? *this : from_limbs(P::MOD) - *this; }
  Fp operator-() const { return neg(); }
  Fp dbl() const { return *this + *this; }

  // Montgomery product a*b*R^-1 (CIOS, "no-carry" variant: the spare top bit of p lets the
  // running sum stay within N limbs).
  PM_INLINE Fp operator*(const Fp& b) const {
#ifdef PM_HAVE_MONT_ASM4
    if constexpr (N == 4) {
      Fp r;
      mont_mul4_asm(r.l, l, b.l, P::MOD, P::INV);
      r.reduce_once();
      return r;
    }
#endif
#ifdef PM_HAVE_MONT_ASM6
    if constexpr (N == 6) {
      Fp r;
      mont_mul6_asm(r.l, l, b.l, P::MOD, P::INV);
      r.reduce_once();
      return r;
    }
#endif
    return mul_portable(b);
  }
  Fp mul_portable(const Fp& b) const {
    uint64_t t[N];
    for (int i = 0; i < N; i++) t[i] = 0;
    for (int i = 0; i < N; i++) {
      u128 s = (u128)l[0] * b.l[i] + t[0];
      uint64_t A = (uint64_t)(s >> 64);
      uint64_t t0 = (uint64_t)s;
      uint64_t m = t0 * P::INV;
      u128 s2 = (u128)m * P::MOD[0] + t0;
      uint64_t C = (uint64_t)(s2 >> 64);
      for (int j = 1; j < N; j++) {
        s = (u128)l[j] * b.l[i] + t[j] + A;
        A = (uint64_t)(s >> 64);
        s2 = (u128)m * P::MOD[j] + (uint64_t)s + C;
        C = (uint64_t)(s2 >> 64);
        t[j - 1] = (uint64_t)s2;
      }
      t[N - 1] = C + A;
    }
    Fp r;
    for (int i = 0; i < N; i++) r.l[i] = t[i];
    r.reduce_once();
    return r;
  }
  PM_INLINE Fp sqr() const { return (*this) * (*this); }

  // ---- lazy reduction -------------------------------------------------------------------------
  // For sums of products reduced once (Fp2 Karatsuba): mul_wide gives the full 2N-limb product of
  // two N-limb values, redc maps a 2N-limb t < p * R (R = 2^(64N)) to t * R^-1 mod p, reduced.
  // Callers keep their unreduced operands below R and their sums of products below p * R; with
  // p < R/2 (the static_assert above) any sum of two products of reduced values qualifies, as
  // does a product of a reduced value with a sum of two reduced values (< 2p * p < p * R).
  static PM_INLINE void mul_wide(uint64_t* t, const uint64_t* a, const uint64_t* b) {
#ifdef PM_HAVE_MONT_ASM4
    if constexpr (N == 4) {
      mul_wide4_asm(t, a, b);
      return;
    }
#endif
#ifdef PM_HAVE_MONT_ASM6
    if constexpr (N == 6) {
      mul_wide6_asm(t, a, b);
      return;
    }
#endif
    mul_wide_portable(t, a, b);
  }
  static void mul_wide_portable(uint64_t* t, const uint64_t* a, const uint64_t* b) {
    for (int i = 0; i < 2 * N; i++) t[i] = 0;
    for (int i = 0; i < N; i++) {
      uint64_t carry = 0;
      for (int j = 0; j < N; j++) {
        u128 s = (u128)a[j] * b[i] + t[i + j] + carry;
        t[i + j] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
      }
      t[i + N] = carry;
    }
  }
  static PM_INLINE Fp redc(const uint64_t* t) {
#ifdef PM_HAVE_MONT_ASM4
    if constexpr (N == 4) {
      Fp r;
      mont_reduce4_asm(r.l, t, P::MOD, P::INV);
      r.reduce_once();
      return r;
    }
#endif
#ifdef PM_HAVE_MONT_ASM6
    if constexpr (N == 6) {
      Fp r;
      mont_reduce6_asm(r.l, t, P::MOD, P::INV);
      r.reduce_once();
      return r;
    }
#endif
    return redc_portable(t);
  }
  // Montgomery reduction of the low half L = t mod R, H = (L + M p) / R <= p, then H + (t >> 64N)
  // < p + p (t < p R), one conditional subtraction. Each row's sum is < R + 2^64 p < 2^64 R.
  static Fp redc_portable(const uint64_t* t) {
    uint64_t r[N];
    for (int i = 0; i < N; i++) r[i] = t[i];
    for (int i = 0; i < N; i++) {
      uint64_t m = r[0] * P::INV;
      u128 s = (u128)m * P::MOD[0] + r[0];
      uint64_t carry = (uint64_t)(s >> 64);
      for (int j = 1; j < N; j++) {
        s = (u128)m * P::MOD[j] + r[j] + carry;
        r[j - 1] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
      }
      r[N - 1] = carry;
    }
    Fp o;
    unsigned char c = 0;
    for (int i = 0; i < N; i++) o.l[i] = addc(r[i], t[N + i], c);
    o.reduce_once();
    return o;
  }
  // r = a + b over N limbs, not reduced (a, b < p: the sum is < 2p < R, no carry out).
  static PM_INLINE void add_nored(uint64_t* r, const uint64_t* a, const uint64_t* b) {
    unsigned char c = 0;
    for (int i = 0; i < N; i++) r[i] = addc(a[i], b[i], c);
  }
  // t -= u over 2N limbs; returns the borrow out.
  static PM_INLINE unsigned char sub_wide(uint64_t* t, const uint64_t* u) {
    unsigned char br = 0;
    for (int i = 0; i < 2 * N; i++) t[i] = subb(t[i], u[i], br);
    return br;
  }
  // t += u over 2N limbs (the caller knows the sum fits).
  static PM_INLINE void add_wide(uint64_t* t, const uint64_t* u) {
    unsigned char c = 0;
    for (int i = 0; i < 2 * N; i++) t[i] = addc(t[i], u[i], c);
  }
  // t += p * R mod 2^(128N) when mask is all ones (t's high half gets p), t unchanged when 0.
  static PM_INLINE void add_pR_masked(uint64_t* t, uint64_t mask) {
    unsigned char c = 0;
    for (int i = 0; i < N; i++) t[N + i] = addc(t[N + i], P::MOD[i] & mask, c);
  }
  Fp& operator+=(const Fp& b) { return *this = *this + b; }
  Fp& operator-=(const Fp& b) { return *this = *this - b; }
  Fp& operator*=(const Fp& b) { return *this = *this * b; }

  // this^exp, exp given as nlimbs little-endian 64-bit words (a plain integer, not Montgomery).
  Fp pow(const uint64_t* exp, int nlimbs) const {
    Fp r = one();
    bool started = false;
    for (int i = nlimbs - 1; i >= 0; i--) {
      for (int b = 63; b >= 0; b--) {
        if (started) r = r.sqr();
        if ((exp[i] >> b) & 1) {
          r = started ? r * (*this) : *this;
          started = true;
        }
      }
    }
    return r;
  }
  Fp pow_u64(uint64_t e) const { return pow(&e, 1); }
  // Inverse by Fermat (inverse of 0 is 0).
  Fp inv() const {
    if (is_zero()) return *this;
    return pow(P::P_MINUS_2, N);
  }

  // Montgomery-form inversion of many elements at once (Montgomery's trick); zeros stay zero.
  // scratch must hold n elements. Two interleaved product chains (even and odd indices), so two
  // independent multiplications are in flight instead of one chain of dependent ones (measured:
  // a dependent BN254 Fq product 23 ns, two independent ones 17 ns each).
  static void batch_inverse(Fp* a, size_t n, Fp* scratch) {
    Fp acc0 = one(), acc1 = one();
    size_t i = 0;
    for (; i + 1 < n; i += 2) {
      scratch[i] = acc0;
      scratch[i + 1] = acc1;
      if (!a[i].is_zero()) acc0 *= a[i];
      if (!a[i + 1].is_zero()) acc1 *= a[i + 1];
    }
    if (i < n) {  // odd n: the last element joins chain 0
      scratch[i] = acc0;
      if (!a[i].is_zero()) acc0 *= a[i];
    }
    Fp t = (acc0 * acc1).inv();
    Fp inv0 = t * acc1, inv1 = t * acc0;  // 1/acc0, 1/acc1
    if (i < n && !a[i].is_zero()) {
      Fp v = inv0 * scratch[i];
      inv0 *= a[i];
      a[i] = v;
    }
    for (; i >= 2; i -= 2) {  // pairs (i-2, i-1) down to (0, 1)
      const size_t e = i - 2, o = i - 1;
      Fp v0 = inv0 * scratch[e], v1 = inv1 * scratch[o];
      if (!a[e].is_zero()) {
        inv0 *= a[e];
        a[e] = v0;
      }
      if (!a[o].is_zero()) {
        inv1 *= a[o];
        a[o] = v1;
      }
    }
  }

 private:
  static Fp from_u64_reduce(uint64_t w) {  // w may exceed p only for 1-limb p (never here)
    return from_u64(w);
  }
  PM_INLINE void reduce_once() {  // if this >= p: this -= p
    uint64_t t[N];
    unsigned char br = 0;
    for (int i = 0; i < N; i++) t[i] = subb(l[i], P::MOD[i], br);
    uint64_t keep = 0 - (uint64_t)br;  // all ones: keep l (it was < p)
    for (int i = 0; i < N; i++) l[i] = (l[i] & keep) | (t[i] & ~keep);
  }
};

}  // namespace pm
