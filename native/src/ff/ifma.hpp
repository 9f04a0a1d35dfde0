// AVX-512 IFMA (vpmadd52luq / vpmadd52huq) Montgomery arithmetic over F_p, 4 or 8 field elements
// per vector (one per 64-bit lane), for the hot loop of the batch-affine MSM (msm/msm.hpp).
//
// Representation: an element of F_p with M 64-bit limbs (Fp<P>, Montgomery with R = 2^(64M)) is
// held as N = ceil(64M / 52) limbs of 52 bits, one vector per limb ("SoA": limb j of lane k in
// lane k of vector j). BN254 Fq: M = 4, N = 5; BLS12-381 Fq: M = 6, N = 8.
//
// The vector product is Montgomery with R' = 2^(52N) = R * 2^S (S = 52N - 64M: 4 for BN254, 32 for
// BLS12-381): mont'(a, b) = a b / R' mod p. Values stay in the scalar code's R form (x R mod p)
// by giving one operand of each product as 2^S times an R-form value ("S-shifted", = x R' mod p):
// mont'(2^S a, b) = a b / R. Loading a 64-bit value with the shift costs nothing (the 52-bit limbs
// are cut 2^S further along), so only values computed in vectors need an explicit shift.
//
// Bounds: mont'(x, y) < x y / R' + p. With x = 2^S u (u < 2p) and y < 2p, x y / R' < 4 p^2 / R
// < p (BN254: p/R ~ 0.19, BLS12-381: p/R ~ 0.10), so products of such operands are < 2p; a
// Karatsuba sum (mul2) stays < 7p before its reduction, and the batch inversion's running inverse
// (a product of two S-shifted values) < 2^(S-2) p + p (5p for BN254, 2^30 p for BLS12-381), all
// below 2^(52N), so every limb stays below 2^52. Each caller states its operands' bounds; every
// value written back to memory is reduced to canonical form (< p).
//
// The vector code is compiled for AVX-512 IFMA by a target pragma (GCC; lambdas inside need it,
// a function attribute does not reach them) and the attribute, so the rest of the build keeps its
// -march; callers check the CPU first (ifma::available(), compiled for the default target).
#pragma once
#include <cstdint>
#include <cstdlib>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(PM_NO_IFMA_BUILD)
#define PM_HAVE_IFMA 1
#include <immintrin.h>

#define PM_IFMA_FN inline __attribute__((always_inline, target("avx512f,avx512ifma,avx512vl,avx512dq,avx512bw")))
#define PM_IFMA_NOINLINE __attribute__((noinline, target("avx512f,avx512ifma,avx512vl,avx512dq,avx512bw")))

namespace pm {
namespace ifma {

// The CPU has AVX-512 F + IFMA + VL (checked once).
inline bool cpu_has_ifma() {
  static const bool ok = [] {
    __builtin_cpu_init();
    // Every extension the vector code below is compiled for (its target pragma): a VM may hide
    // one of them while showing IFMA, and DQ's movepi64_mask would then fault.
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma") &&
           __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512bw");
  }();
  return ok;
}
// Off when the environment has PM_NO_IFMA set to anything but "" or "0"; tests flip it with
// set_enabled() to compare both paths in one process.
inline bool& enabled_flag() {
  static bool on = [] {
    const char* e = std::getenv("PM_NO_IFMA");
    return !(e && *e && !(e[0] == '0' && e[1] == 0));
  }();
  return on;
}
inline void set_enabled(bool on) { enabled_flag() = on; }
// The IFMA paths run: the CPU has it and it is not switched off.
inline bool available() { return enabled_flag() && cpu_has_ifma(); }

constexpr uint64_t kMask52 = (1ULL << 52) - 1;

// Field constants for Fp<P> in radix 2^52.
template <class P>
struct Radix52 {
  static constexpr int M = P::N;                // 64-bit limbs
  static constexpr int N = (64 * M + 51) / 52;  // 52-bit limbs
  static constexpr int S = 52 * N - 64 * M;     // R' = R * 2^S
  // bits [lo, lo + 52) of the M-limb integer v (lo may be negative: zeros shifted in)
  static constexpr uint64_t cut(const uint64_t* v, int lo) {
    if (lo < 0) return (v[0] << (-lo)) & kMask52;
    const int q = lo / 64, o = lo % 64;
    if (q >= M) return 0;
    uint64_t x = v[q] >> o;
    if (o + 52 > 64 && q + 1 < M) x |= v[q + 1] << (64 - o);
    return x & kMask52;
  }
  static constexpr uint64_t mod(int j) { return cut(P::MOD, 52 * j); }
  static constexpr uint64_t pinv() { return P::INV & kMask52; }  // -p^-1 mod 2^52
};

// k * p in radix 2^52 (k small), limb by limb with carries, so the limbs are < 2^52.
template <class P>
inline void kp_limbs(uint64_t* out, uint64_t k) {
  using R = Radix52<P>;
  unsigned __int128 c = 0;
  for (int j = 0; j < R::N; j++) {
    c += (unsigned __int128)R::mod(j) * k;
    out[j] = (uint64_t)c & kMask52;
    c >>= 52;
  }
}

#pragma GCC push_options
#pragma GCC target("avx512f,avx512ifma,avx512vl,avx512dq,avx512bw")

// 8 lanes (zmm; Zen 4 runs these as two 256-bit halves).
struct V8 {
  using T = __m512i;
  static constexpr int L = 8;
  static PM_IFMA_FN T zero() { return _mm512_setzero_si512(); }
  static PM_IFMA_FN T set1(uint64_t v) { return _mm512_set1_epi64((long long)v); }
  static PM_IFMA_FN T lo(T acc, T a, T b) { return _mm512_madd52lo_epu64(acc, a, b); }
  static PM_IFMA_FN T hi(T acc, T a, T b) { return _mm512_madd52hi_epu64(acc, a, b); }
  static PM_IFMA_FN T add(T a, T b) { return _mm512_add_epi64(a, b); }
  static PM_IFMA_FN T sub(T a, T b) { return _mm512_sub_epi64(a, b); }
  static PM_IFMA_FN T and_(T a, T b) { return _mm512_and_si512(a, b); }
  static PM_IFMA_FN T or_(T a, T b) { return _mm512_or_si512(a, b); }
  // (the zero-masked forms: GCC 12's unmasked ones warn about their own undefined source)
  template <int K>
  static PM_IFMA_FN T srl(T a) { return _mm512_maskz_srli_epi64((__mmask8)0xFF, a, K); }
  template <int K>
  static PM_IFMA_FN T sra(T a) { return _mm512_maskz_srai_epi64((__mmask8)0xFF, a, K); }
  template <int K>
  static PM_IFMA_FN T sll(T a) { return _mm512_maskz_slli_epi64((__mmask8)0xFF, a, K); }
  static PM_IFMA_FN T sll_n(T a, int k) { return _mm512_maskz_slli_epi64((__mmask8)0xFF, a, (unsigned)k); }
  static PM_IFMA_FN T srl_n(T a, int k) { return _mm512_maskz_srli_epi64((__mmask8)0xFF, a, (unsigned)k); }
  static PM_IFMA_FN T load(const uint64_t* p) { return _mm512_loadu_si512((const void*)p); }
  static PM_IFMA_FN void store(uint64_t* p, T v) { _mm512_storeu_si512((void*)p, v); }
  // lanes where a < 0 (signed) take b, the others keep a
  static PM_IFMA_FN T select_neg(T sign_src, T a, T b) {
    __mmask8 m = _mm512_movepi64_mask(sign_src);
    return _mm512_mask_blend_epi64(m, a, b);
  }
};

// 4 lanes (ymm, AVX-512VL forms of the same instructions).
struct V4 {
  using T = __m256i;
  static constexpr int L = 4;
  static PM_IFMA_FN T zero() { return _mm256_setzero_si256(); }
  static PM_IFMA_FN T set1(uint64_t v) { return _mm256_set1_epi64x((long long)v); }
  static PM_IFMA_FN T lo(T acc, T a, T b) { return _mm256_madd52lo_epu64(acc, a, b); }
  static PM_IFMA_FN T hi(T acc, T a, T b) { return _mm256_madd52hi_epu64(acc, a, b); }
  static PM_IFMA_FN T add(T a, T b) { return _mm256_add_epi64(a, b); }
  static PM_IFMA_FN T sub(T a, T b) { return _mm256_sub_epi64(a, b); }
  static PM_IFMA_FN T and_(T a, T b) { return _mm256_and_si256(a, b); }
  static PM_IFMA_FN T or_(T a, T b) { return _mm256_or_si256(a, b); }
  template <int K>
  static PM_IFMA_FN T srl(T a) { return _mm256_srli_epi64(a, K); }
  template <int K>
  static PM_IFMA_FN T sra(T a) { return _mm256_srai_epi64(a, K); }
  template <int K>
  static PM_IFMA_FN T sll(T a) { return _mm256_slli_epi64(a, K); }
  static PM_IFMA_FN T sll_n(T a, int k) { return _mm256_slli_epi64(a, k); }
  static PM_IFMA_FN T srl_n(T a, int k) { return _mm256_srli_epi64(a, k); }
  static PM_IFMA_FN T load(const uint64_t* p) { return _mm256_loadu_si256((const __m256i*)p); }
  static PM_IFMA_FN void store(uint64_t* p, T v) { _mm256_storeu_si256((__m256i*)p, v); }
  static PM_IFMA_FN T select_neg(T sign_src, T a, T b) {
    __mmask8 m = _mm256_movepi64_mask(sign_src);
    return _mm256_mask_blend_epi64(m, a, b);
  }
};

template <class V, class P>
struct Field52 {
  using T = typename V::T;
  using R = Radix52<P>;
  static constexpr int N = R::N, M = R::M, S = R::S;

  // p, 2p, 4p in radix 2^52, broadcast
  T p[N], p2[N], p4[N], mask, pinv;

  PM_IFMA_FN void init() {
    uint64_t a[N], b[N], c[N];
    kp_limbs<P>(a, 1);
    kp_limbs<P>(b, 2);
    kp_limbs<P>(c, 4);
    for (int j = 0; j < N; j++) p[j] = V::set1(a[j]), p2[j] = V::set1(b[j]), p4[j] = V::set1(c[j]);
    mask = V::set1(kMask52);
    pinv = V::set1(R::pinv());
  }

  // M SoA 64-bit limb vectors w[0..M) (w[i] = limb i of each lane) -> N limbs of 52 bits of
  // v * 2^shift (shift = 0 or S).
  template <int SHIFT>
  PM_IFMA_FN void from64(T* out, const T* w) const {
#pragma GCC unroll 16
    for (int i = 0; i < N; i++) {
      const int lo = 52 * i - SHIFT;
      T x;
      if (lo < 0) {
        x = sll_var(w[0], -lo);
      } else {
        const int q = lo / 64, o = lo % 64;
        if (q >= M) {
          x = V::zero();
        } else {
          x = srl_var(w[q], o);
          if (o + 52 > 64 && q + 1 < M) x = V::or_(x, sll_var(w[q + 1], 64 - o));
        }
      }
      out[i] = V::and_(x, mask);
    }
  }
  // N normalized 52-bit limbs of a value < 2^(64M) -> M 64-bit limb vectors.
  PM_IFMA_FN void to64(T* w, const T* a) const {
#pragma GCC unroll 16
    for (int q = 0; q < M; q++) w[q] = V::zero();
#pragma GCC unroll 16
    for (int i = 0; i < N; i++) {
      const int bit = 52 * i, q = bit / 64, o = bit % 64;
      w[q] = V::or_(w[q], sll_var(a[i], o));
      if (o + 52 > 64 && q + 1 < M) w[q + 1] = V::or_(w[q + 1], srl_var(a[i], 64 - o));
    }
  }

  // shift counts are compile-time after unrolling; these keep the immediate forms
  static PM_IFMA_FN T sll_var(T a, int k) { return V::sll_n(a, k); }
  static PM_IFMA_FN T srl_var(T a, int k) { return V::srl_n(a, k); }

  // r = a b / 2^(52N) mod p (Montgomery, not fully reduced: see the bounds above). a and b have
  // normalized limbs (< 2^52); so has r. r may alias a or b.
  PM_IFMA_FN void mul(T* r, const T* a, const T* b) const {
    T t[N + 1];
#pragma GCC unroll 16
    for (int j = 0; j <= N; j++) t[j] = V::zero();
#pragma GCC unroll 16
    for (int i = 0; i < N; i++) {
      const T bi = b[i];
#pragma GCC unroll 16
      for (int j = 0; j < N; j++) t[j] = V::lo(t[j], a[j], bi);
      const T m = V::lo(V::zero(), t[0], pinv);
#pragma GCC unroll 16
      for (int j = 0; j < N; j++) t[j + 1] = V::hi(t[j + 1], a[j], bi);
      t[0] = V::lo(t[0], p[0], m);
#pragma GCC unroll 16
      for (int j = 1; j < N; j++) t[j] = V::lo(t[j], p[j], m);
#pragma GCC unroll 16
      for (int j = 0; j < N; j++) t[j + 1] = V::hi(t[j + 1], p[j], m);
      // t[0] is now a multiple of 2^52: move its carry into t[1] and shift the limbs down
      const T c = V::template srl<52>(t[0]);
#pragma GCC unroll 16
      for (int j = 0; j < N; j++) t[j] = t[j + 1];
      t[0] = V::add(t[0], c);
      t[N] = V::zero();
    }
    // carry-normalize
#pragma GCC unroll 16
    for (int j = 0; j + 1 < N; j++) {
      t[j + 1] = V::add(t[j + 1], V::template srl<52>(t[j]));
      r[j] = V::and_(t[j], mask);
    }
    r[N - 1] = t[N - 1];
  }

  // r = a * 2^S (a < 2^(52N - S), normalized): the S-shifted form of a product's result.
  PM_IFMA_FN void shift_s(T* r, const T* a) const {
    T prev = V::zero();
#pragma GCC unroll 16
    for (int j = 0; j < N; j++) {
      const T cur = a[j];
      r[j] = V::or_(V::and_(sll_var(cur, S), mask), srl_var(prev, 52 - S));
      prev = cur;
    }
  }

  // signed carry propagation: limbs may be negative or exceed 52 bits, total >= 0 assumed
  PM_IFMA_FN void normalize(T* a) const {
#pragma GCC unroll 16
    for (int j = 0; j + 1 < N; j++) {
      a[j + 1] = V::add(a[j + 1], V::template sra<52>(a[j]));
      a[j] = V::and_(a[j], mask);
    }
  }
  // r = a - b + k (k = p or 2p limbs), normalized; the caller knows a - b + k >= 0.
  PM_IFMA_FN void sub_plus(T* r, const T* a, const T* b, const T* k) const {
#pragma GCC unroll 16
    for (int j = 0; j < N; j++) r[j] = V::add(V::sub(a[j], b[j]), k[j]);
    normalize(r);
  }
  // a -= k when a >= k (normalized limbs in and out)
  PM_IFMA_FN void cond_sub(T* a, const T* k) const {
    T d[N];
#pragma GCC unroll 16
    for (int j = 0; j < N; j++) d[j] = V::sub(a[j], k[j]);
    normalize(d);  // d[N-1] < 0 exactly when a < k
#pragma GCC unroll 16
    for (int j = 0; j < N; j++) a[j] = V::select_neg(d[N - 1], d[j], a[j]);
  }
  // a < 4p -> a mod p
  PM_IFMA_FN void reduce4(T* a) const {
    cond_sub(a, p2);
    cond_sub(a, p);
  }

  // F_p^2 = F_p[u]/(u^2 + 1) product, Karatsuba: r = a b, canonical (components < p). a's
  // components are S-shifted and < 2^S 2p, b's are R form and <= 2p (see the header's bounds):
  //   t0 = a0 b0, t1 = a1 b1 (< 2p), t2 = (a0 + a1)(b0 + b1) with b0 + b1 brought below 2p, so
  //   t2 < 8 p^2 / R + p < 3p; r0 = t0 - t1 + 2p < 4p, r1 = t2 - t0 - t1 + 4p < 7p.
  PM_IFMA_FN void mul2(T (*r)[N], const T (*a)[N], const T (*b)[N]) const {
    T t0[N], t1[N], t2[N], sa[N], sb[N];
    mul(t0, a[0], b[0]);
    mul(t1, a[1], b[1]);
#pragma GCC unroll 16
    for (int j = 0; j < N; j++) sa[j] = V::add(a[0][j], a[1][j]), sb[j] = V::add(b[0][j], b[1][j]);
    normalize(sa);
    normalize(sb);
    cond_sub(sb, p2);
    mul(t2, sa, sb);
#pragma GCC unroll 16
    for (int j = 0; j < N; j++) {
      r[0][j] = V::add(V::sub(t0[j], t1[j]), p2[j]);
      r[1][j] = V::add(V::sub(V::sub(t2[j], t0[j]), t1[j]), p4[j]);
    }
    normalize(r[0]);
    normalize(r[1]);
    reduce4(r[0]);
    cond_sub(r[1], p4);
    reduce4(r[1]);
  }
};

#pragma GCC pop_options

}  // namespace ifma
}  // namespace pm
#endif
