// pm_unit: unit and differential tests of the native arithmetic (fields, curves, MSM, NTT, the
// math part of the C ABI), then timings (printed, never asserted).
//
//   pm_unit              tests + benchmarks
//   pm_unit --no-bench   tests only
//   PM_SEED=123 pm_unit  replay a run (every run prints its seed)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "curves/bls12_381.hpp"
#include "curves/bn254.hpp"
#include "msm/msm.hpp"
#include "ntt/ntt.hpp"
#include "proofmarket.h"
#include "util/parallel.hpp"
#include "util/status.hpp"

using namespace pm;

static int g_fail = 0, g_checks = 0;
static std::mt19937_64 rng;

#define CHECK(cond, ...)                                                  \
  do {                                                                    \
    g_checks++;                                                           \
    if (!(cond)) {                                                        \
      g_fail++;                                                           \
      std::printf("FAIL %s:%d: %s  ", __FILE__, __LINE__, #cond);         \
      std::printf(__VA_ARGS__);                                           \
      std::printf("\n");                                                  \
    }                                                                     \
  } while (0)

template <class F>
F rand_field() {
  uint8_t b[64];
  for (auto& x : b) x = (uint8_t)rng();
  return F::from_canonical_reduce(b, sizeof b);
}

template <class F>
F rand_field2() {  // for Fp2
  return F::make(rand_field<typename F::Base>(), rand_field<typename F::Base>());
}

static double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// ---- fields -----------------------------------------------------------------------------------

template <class F>
void test_field(const char* name, const char* da, const char* db, const char* dab,
                const char* dinv_a) {
  // fixed vectors (computed with Python big integers)
  F a = F::from_decimal(da), b = F::from_decimal(db);
  CHECK((a * b).to_decimal() == dab, "%s fixed product: %s", name, (a * b).to_decimal().c_str());
  CHECK(a.inv().to_decimal() == dinv_a, "%s fixed inverse", name);
  CHECK(a.to_decimal() == da, "%s decimal round trip", name);
  CHECK(F::zero().inv().is_zero(), "%s inv(0) = 0", name);
  CHECK(F::from_u64(7) * F::from_u64(6) == F::from_u64(42), "%s small product", name);
  CHECK((F::zero() - F::one()).to_decimal() != "", "%s", name);
  // p - 1 squared is 1
  F m1 = F::zero() - F::one();
  CHECK(m1.sqr().is_one(), "%s (-1)^2", name);
  // extreme limbs: p - 1 (as a raw Montgomery value) times itself and others
  {
    uint64_t pm1[F::N];
    for (int i = 0; i < F::N; i++) pm1[i] = F::Params::MOD[i];
    pm1[0] -= 1;
    F e = F::from_limbs(pm1);
    for (F o : {e, F::one(), F::zero(), m1, F::from_u64(2)})
      CHECK(e * o == e.mul_portable(o) && o * e == o.mul_portable(e), "%s edge mul", name);
  }
  for (int it = 0; it < 300; it++) {
    F x = rand_field<F>(), y = rand_field<F>(), z = rand_field<F>();
    CHECK(x.is_reduced() && y.is_reduced(), "%s reduced", name);
    CHECK((x + y) - y == x, "%s add/sub", name);
    CHECK(x + x.neg() == F::zero(), "%s neg", name);
    CHECK(x * (y + z) == x * y + x * z, "%s distributive", name);
    CHECK((x * y) * z == x * (y * z), "%s associative", name);
    CHECK(x * y == y * x, "%s commutative", name);
    CHECK(x * y == x.mul_portable(y), "%s fast mul = portable mul", name);
    CHECK(x.sqr() == x * x, "%s sqr", name);
    CHECK(x.is_zero() || (x * x.inv()).is_one(), "%s inverse", name);
    uint8_t buf[F::BYTES];
    x.to_canonical(buf);
    F back;
    CHECK(F::from_canonical(back, buf) && back == x, "%s canonical round trip", name);
    CHECK(F::from_decimal(x.to_decimal().c_str()) == x, "%s decimal round trip", name);
    uint64_t e = rng();
    F p = F::one();
    for (int k = 0; k < 64; k++)
      if ((e >> k) & 1) {
        F t = x;
        for (int j = 0; j < k; j++) t = t.sqr();
        p *= t;
      }
    CHECK(x.pow_u64(e) == p, "%s pow", name);
  }
  // batch inverse (two interleaved chains: even and odd indices) at every length up to 10 and a
  // long one, with zeros in either chain, at both ends, and all zeros
  for (size_t n : {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 257}) {
    for (int zeros = 0; zeros < 4; zeros++) {
      std::vector<F> v(n), s(n), orig;
      for (auto& x : v) x = rand_field<F>();
      for (size_t i = 0; i < n; i++)
        if ((zeros == 1 && i == n / 2) || (zeros == 2 && (i == 0 || i + 1 == n || i == 3)) || zeros == 3)
          v[i] = F::zero();
      if (n > 5 && zeros == 0) v[5] = v[4];  // a repeated element
      orig = v;
      F::batch_inverse(v.data(), n, s.data());
      for (size_t i = 0; i < n; i++)
        CHECK(v[i] == orig[i].inv(), "%s batch inverse %zu of %zu (zeros %d)", name, i, n, zeros);
    }
  }
  // modulus itself is rejected
  uint8_t pm[F::BYTES];
  std::memcpy(pm, F::Params::MOD, F::BYTES);
  F dummy;
  CHECK(!F::from_canonical(dummy, pm), "%s p is not canonical", name);
}

// Values at the edges of the limb ranges, as raw Montgomery limbs below p: 0, 1, 2, p-1, p-2,
// 2^64-1, 2^(64k) and 2^(64k)-1 for each limb boundary, the top limb of p with the rest 0 or all
// ones (kept below p), R mod p (Montgomery one) and its negation.
template <class F>
std::vector<F> edge_values() {
  constexpr int N = F::N;
  std::vector<F> out;
  auto raw = [&](std::vector<uint64_t> v) {
    v.resize(N, 0);
    F f = F::from_limbs(v.data());
    if (f.is_reduced()) out.push_back(f);
  };
  raw({0});
  raw({1});
  raw({2});
  raw({~0ULL});
  for (int k = 1; k < N; k++) {
    std::vector<uint64_t> v(N, 0), w(N, 0);
    v[k] = 1;
    for (int i = 0; i < k; i++) w[i] = ~0ULL;
    raw(v);
    raw(w);
  }
  std::vector<uint64_t> pm1(F::Params::MOD, F::Params::MOD + N), top(N, 0), top1(N, ~0ULL);
  pm1[0] -= 1;
  raw(pm1);
  pm1[0] -= 1;
  raw(pm1);
  top[N - 1] = F::Params::MOD[N - 1];
  top1[N - 1] = F::Params::MOD[N - 1] - 1;
  raw(top);
  raw(top1);
  out.push_back(F::one());
  out.push_back(F::one().neg());
  return out;
}

// Modular addition, subtraction, doubling and negation (ff/add_asm.hpp on x86-64, the portable
// code elsewhere) against a reference in plain 128-bit limb arithmetic that shares no code with
// Fp: the sum or difference as an (N+1)-limb integer, compared with p and corrected by p at most
// once. Every pair of edge values and random values, then fresh random pairs (seed printed at
// the start of the run).
template <class F>
void test_add_sub(const char* name) {
  constexpr int N = F::N;
  using Wide = std::vector<uint64_t>;  // N + 1 limbs, little-endian
  auto wide = [](const uint64_t* v) { Wide w(v, v + N); w.push_back(0); return w; };
  auto cmp = [](const Wide& x, const Wide& y) {  // -1, 0, 1
    for (int i = N; i >= 0; i--)
      if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  };
  auto add = [](Wide x, const Wide& y) {
    u128 c = 0;
    for (int i = 0; i <= N; i++) { c += (u128)x[i] + y[i]; x[i] = (uint64_t)c; c >>= 64; }
    return x;
  };
  auto sub = [](Wide x, const Wide& y) {  // x >= y
    uint64_t borrow = 0;
    for (int i = 0; i <= N; i++) {
      u128 d = (u128)x[i] - y[i] - borrow;
      x[i] = (uint64_t)d;
      borrow = (uint64_t)(d >> 64) & 1;
    }
    return x;
  };
  const Wide p = wide(F::Params::MOD);
  auto to_f = [&](const Wide& w) {
    CHECK(w[N] == 0, "%s reference out of range", name);
    return F::from_limbs(w.data());
  };
  auto ref_add = [&](const F& a, const F& b) {
    Wide s = add(wide(a.l), wide(b.l));
    return to_f(cmp(s, p) >= 0 ? sub(s, p) : s);
  };
  auto ref_sub = [&](const F& a, const F& b) {
    Wide x = wide(a.l), y = wide(b.l);
    return to_f(cmp(x, y) >= 0 ? sub(x, y) : sub(add(x, p), y));
  };
  auto check = [&](const F& a, const F& b) {
    F s = a + b, d = a - b;
    bool ok = s == ref_add(a, b) && s == a.add_portable(b) && d == ref_sub(a, b) && d == a.sub_portable(b);
    ok = ok && a.dbl() == ref_add(a, a) && a.neg() == ref_sub(F::zero(), a) && s.is_reduced() && d.is_reduced();
    F t = a;
    t += b;
    ok = ok && t == s;
    t = a;
    t -= b;
    ok = ok && t == d;
    CHECK(ok, "%s add/sub/dbl/neg vs reference: %s, %s", name, a.to_decimal().c_str(), b.to_decimal().c_str());
  };
  std::vector<F> vals = edge_values<F>();
  for (int i = 0; i < 40; i++) vals.push_back(rand_field<F>());
  for (const F& a : vals)
    for (const F& b : vals) check(a, b);
  for (int i = 0; i < 20000; i++) check(rand_field<F>(), rand_field<F>());
}

// The lazy-reduction primitives against independent references: mul_wide against the portable
// schoolbook product, redc(t) against (t mod p) * R^-1 computed through from_canonical_reduce
// and the ordinary product, for products of reduced values, of a reduced value and an
// unreduced sum (< 2p), sums of two products, and the largest t allowed (p R - 1).
template <class F>
void test_lazy(const char* name) {
  constexpr int N = F::N;
  uint8_t rbytes[8 * N + 1] = {};
  rbytes[8 * N] = 1;  // R = 2^(64N)
  const F rinv = F::from_canonical_reduce(rbytes, sizeof rbytes).inv();
  auto check_redc = [&](const uint64_t* t, const char* what) {
    F want = F::from_canonical_reduce(reinterpret_cast<const uint8_t*>(t), 16 * N) * rinv;
    F got = F::redc(t), gotp = F::redc_portable(t);
    // redc's raw limbs are the canonical value t R^-1 mod p
    CHECK(got.is_reduced() && got == want.from_mont() && gotp == got, "%s redc (%s)", name, what);
  };
  std::vector<F> vals = edge_values<F>();
  for (int i = 0; i < 40; i++) vals.push_back(rand_field<F>());
  for (const F& a : vals)
    for (const F& b : vals) {
      uint64_t t[2 * N], tp[2 * N], s[N];
      F::mul_wide(t, a.l, b.l);
      F::mul_wide_portable(tp, a.l, b.l);
      CHECK(std::memcmp(t, tp, sizeof t) == 0, "%s mul_wide = portable", name);
      check_redc(t, "a b");
      CHECK(F::redc(t) == a * b, "%s redc(a b) = a * b", name);
      F::add_nored(s, a.l, b.l);  // < 2p
      F::mul_wide(t, s, b.l);
      check_redc(t, "(a + b) b");
      CHECK(F::redc(t) == (a + b) * b, "%s redc((a+b) b)", name);
      uint64_t u[2 * N];
      F::mul_wide(u, a.l, a.l);
      F::mul_wide(t, b.l, b.l);
      F::add_wide(t, u);
      check_redc(t, "a^2 + b^2");
    }
  // t = p R - 1, the largest input redc accepts
  uint64_t t[2 * N];
  for (int i = 0; i < N; i++) t[i] = ~0ULL, t[N + i] = F::Params::MOD[i];
  t[N] -= 1;
  check_redc(t, "p R - 1");
}

template <class F2>
void test_fp2(const char* name) {
  // the lazy Karatsuba product, squaring and norm against the schoolbook formulas over the base
  // field (u^2 = -1), on every pair of edge-valued and random components
  using Fb = typename F2::Base;
  std::vector<Fb> comps = edge_values<Fb>();
  for (int i = 0; i < 6; i++) comps.push_back(rand_field<Fb>());
  std::vector<F2> elems;
  for (const Fb& a : comps)
    for (const Fb& b : comps) elems.push_back(F2::make(a, b));
  for (int i = 0; i < 64; i++) elems.push_back(rand_field2<F2>());
  for (const F2& x : elems) {
    F2 want_sqr = F2::make(x.c0 * x.c0 - x.c1 * x.c1, (x.c0 * x.c1).dbl());
    CHECK(x.sqr() == want_sqr && x.sqr().is_reduced(), "%s sqr vs schoolbook: %s", name, x.to_decimal().c_str());
    CHECK(x.norm() == x.c0 * x.c0 + x.c1 * x.c1, "%s norm: %s", name, x.to_decimal().c_str());
  }
  for (size_t i = 0; i < elems.size(); i++)
    for (size_t j = i % 7; j < elems.size(); j += 7) {
      const F2 &x = elems[i], &y = elems[j];
      F2 want = F2::make(x.c0 * y.c0 - x.c1 * y.c1, x.c0 * y.c1 + x.c1 * y.c0);
      F2 got = x * y;
      CHECK(got == want && got.is_reduced(), "%s mul vs schoolbook: %s * %s", name, x.to_decimal().c_str(),
            y.to_decimal().c_str());
    }
  for (int it = 0; it < 100; it++) {
    F2 x = rand_field2<F2>(), y = rand_field2<F2>(), z = rand_field2<F2>();
    CHECK(x * (y + z) == x * y + x * z, "%s distributive", name);
    CHECK((x * y) * z == x * (y * z), "%s associative", name);
    CHECK(x.sqr() == x * x, "%s sqr", name);
    CHECK(x.is_zero() || (x * x.inv()) == F2::one(), "%s inverse", name);
  }
  // u^2 = -1
  F2 u = F2::make(F2::Base::zero(), F2::Base::one());
  CHECK(u.sqr() == F2::one().neg(), "%s u^2 = -1", name);
  // batch inverse (through the norms in the base field) against one-by-one inversion, with
  // zeros, a purely real and a purely imaginary element, and a repeated element
  for (size_t n : {1, 2, 7, 33}) {
    std::vector<F2> v(n), s(n), orig;
    for (auto& x : v) x = rand_field2<F2>();
    if (n > 2) {
      v[1] = F2::zero();
      v[2] = F2::make(F2::Base::zero(), v[2].c1);
      v[0] = F2::make(v[0].c0, F2::Base::zero());
      v[n - 1] = v[n - 2];
    }
    orig = v;
    F2::batch_inverse(v.data(), n, s.data());
    for (size_t i = 0; i < n; i++) CHECK(v[i] == orig[i].inv(), "%s batch inverse %zu of %zu", name, i, n);
  }
}

// ---- curves -----------------------------------------------------------------------------------

template <class F>
void rand_scalar(uint8_t* out) {
  F s = rand_field<F>();
  s.to_canonical(out);
}

template <class C, class P, class Aff>
void test_group(const char* name, Aff gen) {
  using Fr = typename C::Fr;
  CHECK(gen.is_on_curve(), "%s generator on curve", name);
  P g = P::from_affine(gen);
  uint8_t rm1[32];
  (Fr::zero() - Fr::one()).to_canonical(rm1);
  CHECK(scalar_mul(g, rm1).add(g).is_infinity(), "%s r*G = infinity", name);
  CHECK(scalar_mul(g, rm1) == g.neg(), "%s (r-1)G = -G", name);
  for (int it = 0; it < 10; it++) {
    uint8_t a[32], b[32], ab[32];
    Fr fa = rand_field<Fr>(), fb = rand_field<Fr>();
    fa.to_canonical(a);
    fb.to_canonical(b);
    (fa + fb).to_canonical(ab);
    P pa = scalar_mul(g, a), pb = scalar_mul(g, b);
    CHECK(pa.is_on_curve(), "%s aG on curve", name);
    CHECK(pa.add(pb) == scalar_mul(g, ab), "%s aG + bG = (a+b)G", name);
    CHECK(pa.add(pa) == pa.dbl(), "%s add = dbl", name);
    Aff aa = pa.to_affine();
    CHECK(aa.is_on_curve(), "%s affine on curve", name);
    CHECK(pb.add_mixed(aa) == pa.add(pb), "%s mixed add", name);
    CHECK(pa.add_mixed(aa) == pa.dbl(), "%s mixed add doubling", name);
    CHECK(pa.add_mixed(aa.neg()).is_infinity(), "%s P - P", name);
    CHECK(P::infinity().add_mixed(aa) == pa, "%s inf + P", name);
    CHECK(pa.add(P::infinity()) == pa, "%s P + inf", name);
    (fa * fb).to_canonical(ab);
    CHECK(scalar_mul(pa, b) == scalar_mul(g, ab), "%s b(aG) = (ab)G", name);
  }
}

// n random-ish points: multiples of the generator by random scalars, with some specials.
template <class C, class P, class Aff>
std::vector<Aff> make_points(Aff gen, size_t n) {
  using Fr = typename C::Fr;
  std::vector<P> jp(n);
  P g = P::from_affine(gen);
  uint8_t s[32];
  rand_scalar<Fr>(s);
  P base = scalar_mul(g, s);
  rand_scalar<Fr>(s);
  P step = scalar_mul(g, s);
  P cur = base;
  for (size_t i = 0; i < n; i++) {
    jp[i] = cur;
    cur = cur.add(step);
  }
  std::vector<Aff> out(n);
  P::batch_to_affine(jp.data(), out.data(), n);
  return out;
}

// n canonical 32-byte scalars, each 0, 1, r - 1, a small value (small_min .. small_min + 4:
// repeated buckets) or uniform, drawn from the test's seeded rng.
template <class Fr>
std::vector<uint8_t> edge_scalars(size_t n, uint64_t small_min) {
  std::vector<uint8_t> sc(32 * n);
  for (size_t i = 0; i < n; i++) {
    Fr f;
    switch (rng() % 8) {
      case 0: f = Fr::zero(); break;
      case 1: f = Fr::one(); break;
      case 2: f = Fr::zero() - Fr::one(); break;  // r - 1
      case 3: f = Fr::from_u64(small_min + rng() % 5); break;
      default: f = rand_field<Fr>();
    }
    f.to_canonical(&sc[32 * i]);
  }
  return sc;
}

template <class C, class P, class Aff>
void test_msm(const char* name, Aff gen, std::vector<size_t> sizes, bool all_windows) {
  using Fr = typename C::Fr;
  for (size_t n : sizes) {
    std::vector<Aff> pts = make_points<C, P, Aff>(gen, n);
    std::vector<uint8_t> sc = edge_scalars<Fr>(n, 0);
    if (n >= 4) {
      pts[1] = Aff::infinity();
      pts[2] = pts[3];  // a repeated point
      std::memcpy(&sc[32 * 2], &sc[32 * 3], 32);
    }
    P want = msm_naive<C, Aff, P>(pts.data(), sc.data(), n, false);
    std::vector<int> windows = {0};
    if (all_windows)
      for (int c = 2; c <= 16; c++) windows.push_back(c);
    for (int c : windows) {
      for (int th : {1, 2, 3}) {
        P got = msm<C, Aff, P>(pts.data(), sc.data(), n, false, th, c);
        CHECK(got == want, "%s MSM n=%zu window=%d threads=%d", name, n, c, th);
      }
    }
    // Montgomery scalars
    std::vector<uint8_t> scm(32 * n);
    for (size_t i = 0; i < n; i++) {
      Fr f;
      CHECK(Fr::from_canonical(f, &sc[32 * i]), "%s scalar canonical", name);
      std::memcpy(&scm[32 * i], f.l, 32);
    }
    P gotm = msm<C, Aff, P>(pts.data(), scm.data(), n, true, 2, 0);
    CHECK(gotm == want, "%s MSM montgomery scalars n=%zu", name, n);
  }
  // all scalars equal (one bucket hit by every point)
  {
    size_t n = 300;
    std::vector<Aff> pts = make_points<C, P, Aff>(gen, n);
    std::vector<uint8_t> sc(32 * n);
    uint8_t s[32];
    rand_scalar<Fr>(s);
    for (size_t i = 0; i < n; i++) std::memcpy(&sc[32 * i], s, 32);
    P want = msm_naive<C, Aff, P>(pts.data(), sc.data(), n, false);
    CHECK((msm<C, Aff, P>(pts.data(), sc.data(), n, false, 2, 0) == want), "%s MSM equal scalars",
          name);
    // the same point n times with the same scalar: doublings inside buckets
    for (size_t i = 0; i < n; i++) pts[i] = pts[0];
    want = msm_naive<C, Aff, P>(pts.data(), sc.data(), n, false);
    CHECK((msm<C, Aff, P>(pts.data(), sc.data(), n, false, 2, 0) == want),
          "%s MSM equal points and scalars", name);
  }
}

// G1 and G2 MSM with the IFMA batch additions (msm/ifma_batch.hpp) against the scalar path, byte for
// byte (affine result), on random points with infinity, repeated points, P and -P, and scalars
// 0, 1, r - 1, small values (doublings in buckets) and random ones; several windows and threads.
template <class C, class P, class Aff>
void test_msm_ifma(const char* name, Aff gen) {
#ifdef PM_HAVE_IFMA
  using Fr = typename C::Fr;
  if (!ifma::available()) {
    std::printf("skip %s MSM IFMA on/off: no AVX-512 IFMA here (or PM_NO_IFMA set)\n", name);
    return;
  }
  int before = g_fail;
  for (size_t n : {(size_t)37, (size_t)700, (size_t)5000}) {
    std::vector<Aff> pts = make_points<C, P, Aff>(gen, n);
    std::vector<uint8_t> sc = edge_scalars<Fr>(n, 1);
    for (size_t i = 0; i + 8 < n; i += 11) {  // specials spread through the batches
      pts[i] = Aff::infinity();
      pts[i + 1] = pts[i + 2];  // repeated point, same scalar: doubling in a bucket
      std::memcpy(&sc[32 * (i + 1)], &sc[32 * (i + 2)], 32);
      pts[i + 3] = pts[i + 4].neg();  // P and -P, same scalar: they cancel in a bucket
      std::memcpy(&sc[32 * (i + 3)], &sc[32 * (i + 4)], 32);
    }
    for (int c : {0, 5, 8, 11}) {
      for (int th : {1, 2}) {
        ifma::set_enabled(false);
        Aff off = msm<C, Aff, P>(pts.data(), sc.data(), n, false, th, c).to_affine();
        ifma::set_enabled(true);
        Aff on = msm<C, Aff, P>(pts.data(), sc.data(), n, false, th, c).to_affine();
        CHECK(std::memcmp(&off, &on, sizeof(Aff)) == 0, "%s MSM IFMA on/off n=%zu window=%d threads=%d", name, n,
              c, th);
      }
    }
    if (n == 700) {  // and against the naive sum once
      P want = msm_naive<C, Aff, P>(pts.data(), sc.data(), n, false);
      CHECK((msm<C, Aff, P>(pts.data(), sc.data(), n, false, 2, 0) == want), "%s MSM IFMA vs naive", name);
    }
  }
  std::printf("%s %s MSM IFMA on/off byte-identical (n = 37, 700, 5000; windows 0/5/8/11; 1-2 threads)\n",
              g_fail == before ? "ok  " : "FAIL", name);
#else
  (void)name;
  (void)gen;
#endif
}

// ---- MSM recoding and plan --------------------------------------------------------------------

// msm_detail::bucket_sum (batch-affine bucket reduction) against the running sum, at every power
// of two length through the running-sum cut (32) and beyond, with empty buckets, repeated
// buckets, and top-level pairs B[j], B[h+j] that are equal (doubling) or opposite (cancel).
template <class C, class P, class Aff>
void test_bucket_sum(const char* name, Aff gen) {
  for (uint32_t L : {1u, 2u, 4u, 8u, 16u, 32u, 64u, 128u, 256u, 2048u}) {
    auto pts = make_points<C, P, Aff>(gen, L + 1);
    std::vector<Aff> B(L + 1, Aff::infinity());
    for (uint32_t b = 1; b <= L; b++) {
      uint64_t r = rng() % 10;
      if (r == 0) B[b] = Aff::infinity();
      else if (r == 1 && b > 1) B[b] = B[b - 1];
      else if (r == 2 && b > L / 2) B[b] = B[b - L / 2];
      else if (r == 3 && b > L / 2) B[b] = B[b - L / 2].neg();
      else B[b] = pts[b];
    }
    if (L == 64) std::fill(B.begin(), B.end(), Aff::infinity());  // all empty
    P want = P::infinity(), running = P::infinity();
    for (uint32_t b = L; b >= 1; b--) {
      running = running.add_mixed(B[b]);
      want = want.add(running);
    }
    for (size_t batch : {(size_t)16, (size_t)1024}) {
      msm_detail::BatchAdder<Aff> adder;
      adder.reserve(batch + 1);
      std::vector<Aff> work = B;
      P got = msm_detail::bucket_sum<Aff, P>(work.data(), L, adder, batch);
      CHECK(got == want, "%s bucket_sum L=%u batch=%zu", name, L, batch);
    }
  }
}

// recode_signed: for every window size, the digits sum back to the value, the lower ones lie in
// [-2^(c-1), 2^(c-1)) and the top one (unsigned, window_count) in [0, 2^(c-1)], on values below
// 2^bits for the GLV half widths (128, 129) and the plain scalar widths (254, 255): random values
// of every bit length, 2^bits - 1 (every lower digit -1 with a carry, so the top digit reaches
// 2^(c-1) where c divides bits + 1), 2^(bits-1), 0 and 1. Then the window / chunk plan.
void test_recode_and_plan() {
  using msm_detail::window_count;
  for (int bits : {128, 129, 254, 255}) {
    for (int c = 2; c <= 16; c++) {
      const int windows = window_count(bits, c);
      const int64_t half = (int64_t)1 << (c - 1);
      CHECK((int64_t)windows * c >= bits + 1, "window_count(%d, %d) = %d too small", bits, c, windows);
      bool top_reached_half = false;
      for (int t = 0; t < 64; t++) {
        uint64_t v[4] = {0, 0, 0, 0};
        if (t == 0 || t > 3) {  // 2^bits - 1 at t = 0, then random values of random length
          int len = t == 0 ? bits : 1 + (int)(rng() % (uint64_t)bits);
          for (int i = 0; i < 4; i++) v[i] = t == 0 ? ~0ULL : rng();
          for (int i = 0; i < 4; i++) {
            int lo = 64 * i;
            if (len <= lo) v[i] = 0;
            else if (len < lo + 64) v[i] &= (1ULL << (len - lo)) - 1;
          }
        } else if (t == 1) {
          v[(bits - 1) / 64] = 1ULL << ((bits - 1) % 64);
        } else if (t == 2) {
          v[0] = 1;
        }
        std::vector<int16_t> d((size_t)windows);
        recode_signed(v, c, windows, d.data(), 1);
        // sum d_w 2^(c w) as a signed multi-limb integer (two's complement, 5 limbs)
        uint64_t acc[5] = {0, 0, 0, 0, 0};
        bool ok = true;
        for (int w = 0; w < windows; w++) {
          int64_t dw = d[(size_t)w];
          if (w + 1 < windows) ok &= dw >= -half && dw < half;
          else ok &= dw >= 0 && dw <= half, top_reached_half |= dw == half;
          uint64_t term[5] = {0, 0, 0, 0, 0};
          uint64_t mag = (uint64_t)(dw < 0 ? -dw : dw);
          int bit = w * c;
          if (bit < 320) {
            term[bit / 64] = mag << (bit % 64);
            if (bit % 64 && bit / 64 + 1 < 5) term[bit / 64 + 1] = mag >> (64 - bit % 64);
          }
          unsigned char cy = 0;
          if (dw >= 0) {
            for (int i = 0; i < 5; i++) acc[i] = addc(acc[i], term[i], cy);
          } else {
            for (int i = 0; i < 5; i++) acc[i] = subb(acc[i], term[i], cy);
          }
        }
        CHECK(ok, "recode bits=%d c=%d: a digit out of range", bits, c);
        CHECK(acc[0] == v[0] && acc[1] == v[1] && acc[2] == v[2] && acc[3] == v[3] && acc[4] == 0,
              "recode bits=%d c=%d: digits do not sum to the value (case %d)", bits, c, t);
      }
      if (c < 16 && (bits + 1) % c == 0)
        CHECK(top_reached_half, "recode bits=%d c=%d: 2^bits - 1 should give the top digit 2^(c-1)", bits, c);
    }
  }
  // the plan: c within [2, kMaxAutoWindow], at least one chunk, every chunk >= 4 entries per bucket
  // when there is more than one; with 2 threads the tasks fill whole rounds at the sizes of a
  // Groth16 proof (2^16..2^22 GLV entries), and one thread never splits windows.
  for (size_t n : {(size_t)0, (size_t)1, (size_t)5, (size_t)300, (size_t)1 << 13, (size_t)1 << 17,
                   (size_t)1 << 19, (size_t)1 << 21, (size_t)1 << 23}) {
    for (int threads : {1, 2, 3, 8}) {
      for (int bits : {128, 129, 254}) {
        msm_detail::Plan p = msm_detail::choose_plan(n, bits, threads);
        CHECK(p.c >= 2 && p.c <= msm_detail::kMaxAutoWindow && p.chunks >= 1,
              "plan n=%zu threads=%d bits=%d: c=%d chunks=%zu", n, threads, bits, p.c, p.chunks);
        if (p.chunks > 1) CHECK(n / p.chunks >= 4 * ((size_t)1 << (p.c - 1)), "plan n=%zu: chunks too small", n);
        if (threads == 1) CHECK(p.chunks == 1, "plan n=%zu one thread: %zu chunks", n, p.chunks);
        if (threads == 2 && n >= ((size_t)1 << 17))
          CHECK((size_t)window_count(bits, p.c) * p.chunks % 2 == 0, "plan n=%zu bits=%d 2 threads: %d windows x %zu chunks leave a thread idle",
                n, bits, window_count(bits, p.c), p.chunks);
      }
    }
  }
}

// ---- GLV ---------------------------------------------------------------------------------------

// The decomposition k = ±k1 ± k2·lambda (mod r) with |k1|, |k2| < 2^BITS on edge cases (0, 1,
// r-1, lambda and its neighbours, 2^128 ± 1, r/2, r/3, basis vectors) and random scalars;
// phi(P) = [lambda]P on G1 and G2 (generator and random points, and infinity); and MSMs whose
// scalars are the edge cases, or which hold both P and phi(P), against the naive sum and
// against the MSM without GLV.
template <class C>
void test_glv(const char* name) {
  using Fr = typename C::Fr;
  using Fq = typename C::Fq;
  using G = typename C::Glv;
  const Fr lam_m = Fr::from_limbs(G::LAMBDA) * Fr::r2();  // Montgomery form of lambda
  auto fr_of = [&](const uint64_t* v, int limbs = 4) {  // canonical limbs (< r) -> Fr
    uint64_t w[4] = {0, 0, 0, 0};
    for (int i = 0; i < limbs; i++) w[i] = v[i];
    return Fr::from_limbs(w) * Fr::r2();
  };
  auto canon = [&](const Fr& f, uint64_t out[4]) {
    uint8_t b[32];
    f.to_canonical(b);
    std::memcpy(out, b, 32);
  };
  std::vector<Fr> ks = {Fr::zero(), Fr::one(), Fr::from_u64(2), Fr::zero() - Fr::one(),
                        Fr::zero() - Fr::from_u64(2), lam_m, Fr::zero() - lam_m, lam_m + Fr::one(),
                        lam_m - Fr::one(), lam_m * lam_m, Fr::from_u64(1ULL << 63) * Fr::from_u64(1ULL << 63) * Fr::from_u64(4),
                        Fr::from_u64(3).inv(), Fr::from_u64(2).inv(), Fr::from_u64(2).inv() + Fr::one(),
                        fr_of(G::A2, 2), fr_of(G::B1, 2), Fr::zero() - fr_of(G::A2, 2)};
  Fr two128 = Fr::from_u64(1ULL << 63) * Fr::from_u64(1ULL << 63) * Fr::from_u64(4);
  ks.push_back(two128 - Fr::one());
  ks.push_back(two128 + Fr::one());
  ks.push_back(Fr::zero() - two128);
  for (int i = 0; i < 20000; i++) ks.push_back(rand_field<Fr>());
  for (size_t t = 0; t < ks.size(); t++) {
    uint64_t k[4], k1[4], k2[4];
    bool n1, n2;
    canon(ks[t], k);
    glv_decompose<G>(k, k1, n1, k2, n2);
    bool small = true;
    for (int i = 0; i < 4; i++)
      for (int b = 0; b < 64; b++)
        if (64 * i + b >= G::BITS && (((k1[i] | k2[i]) >> b) & 1)) small = false;
    CHECK(small, "%s GLV halves below 2^%d (case %zu)", name, G::BITS, t);
    Fr f1 = fr_of(k1), f2 = fr_of(k2);
    if (n1) f1 = f1.neg();
    if (n2) f2 = f2.neg();
    CHECK(f1 + f2 * lam_m == ks[t], "%s GLV k = k1 + k2 lambda (case %zu)", name, t);
  }
  uint8_t lam_bytes[32];
  lam_m.to_canonical(lam_bytes);
  auto phi_is_lambda = [&](auto gen, auto proj_tag, const uint64_t* beta_limbs, const char* group) {
    using Aff = decltype(gen);
    using P = decltype(proj_tag);
    Fq beta = Fq::from_limbs(beta_limbs);
    std::vector<Aff> pts = make_points<C, P, Aff>(gen, 5);
    pts.push_back(Aff::infinity());
    for (auto& a : pts) {
      P want = scalar_mul(P::from_affine(a), lam_bytes);
      CHECK(P::from_affine(glv_phi(a, beta)) == want, "%s %s phi(P) = [lambda]P", name, group);
    }
  };
  phi_is_lambda(C::g1_gen(), typename C::G1{}, G::BETA_G1, "G1");
  phi_is_lambda(C::g2_gen(), typename C::G2{}, G::BETA_G2, "G2");

  auto msm_cases = [&](auto gen, auto proj_tag, const uint64_t* beta_limbs, const char* group) {
    using Aff = decltype(gen);
    using P = decltype(proj_tag);
    Fq beta = Fq::from_limbs(beta_limbs);
    size_t n = 48;
    std::vector<Aff> pts = make_points<C, P, Aff>(gen, n);
    std::vector<uint8_t> sc(32 * n);
    for (size_t i = 0; i < n; i++) {
      Fr f = i < 22 ? ks[i] : rand_field<Fr>();
      f.to_canonical(&sc[32 * i]);
    }
    // P and phi(P) with scalars lambda and -1: they cancel
    pts[40] = glv_phi(pts[41], beta);
    (Fr::zero() - Fr::one()).to_canonical(&sc[32 * 40]);
    lam_m.to_canonical(&sc[32 * 41]);
    pts[42] = pts[43];  // phi of a repeated point
    P want = msm_naive<C, Aff, P>(pts.data(), sc.data(), n, false);
    for (int c : {0, 2, 5, 9, 16}) {
      P got = msm<C, Aff, P>(pts.data(), sc.data(), n, false, 2, c, true);
      P plain = msm<C, Aff, P>(pts.data(), sc.data(), n, false, 2, c, false);
      CHECK(got == want, "%s %s GLV MSM edge scalars window=%d", name, group, c);
      CHECK(plain == want, "%s %s plain MSM edge scalars window=%d", name, group, c);
      // entries also split into chunks over the threads (1 entry per chunk at most, and more)
      for (size_t chunks : {2, 3, 7, 200}) {
        P split = msm<C, Aff, P>(pts.data(), sc.data(), n, false, 3, c, true, chunks);
        CHECK(split == want, "%s %s GLV MSM window=%d in %zu chunks", name, group, c, chunks);
        split = msm<C, Aff, P>(pts.data(), sc.data(), n, false, 2, c, false, chunks);
        CHECK(split == want, "%s %s plain MSM window=%d in %zu chunks", name, group, c, chunks);
      }
    }
    // only the cancelling pair: the result is infinity
    std::vector<Aff> two = {pts[40], pts[41]};
    std::vector<uint8_t> s2(sc.begin() + 32 * 40, sc.begin() + 32 * 42);
    CHECK((msm<C, Aff, P>(two.data(), s2.data(), 2, false, 1, 0, true).is_infinity()),
          "%s %s GLV MSM lambda·P - phi(P) = O", name, group);
  };
  msm_cases(C::g1_gen(), typename C::G1{}, G::BETA_G1, "G1");
  msm_cases(C::g2_gen(), typename C::G2{}, G::BETA_G2, "G2");
}

// ---- NTT --------------------------------------------------------------------------------------

template <class Fr>
void test_ntt(const char* name, const std::vector<const char*>& ffjs_fft8) {
  // fixed vector from ffjavascript: Fr.fft of [i*i + 3 for i in 0..8)
  std::vector<Fr> v(8);
  for (size_t i = 0; i < 8; i++) v[i] = Fr::from_u64(i * i + 3);
  ntt(v.data(), 3, false, 2);
  for (size_t i = 0; i < 8; i++)
    CHECK(v[i].to_decimal() == ffjs_fft8[i], "%s fft vs ffjavascript [%zu] = %s", name, i,
          v[i].to_decimal().c_str());
  for (uint32_t lg = 0; lg <= 16; lg++) {
    size_t n = (size_t)1 << lg;
    std::vector<Fr> a(n), orig;
    for (auto& x : a) x = rand_field<Fr>();
    orig = a;
    int th = 1 + (int)(rng() % 3);
    if (lg <= 10) {
      // thread counts 1..8 give every block size 2^6..2^10 and radix pass of 1..4 stages here
      std::vector<Fr> want = dft_naive(a.data(), lg, false), want_inv = dft_naive(want.data(), lg, true);
      for (int t : {1, 2, 3, 5, 8}) {
        std::vector<Fr> f = orig;
        ntt(f.data(), lg, false, t);
        CHECK(f == want, "%s NTT vs naive DFT 2^%u (%d threads)", name, lg, t);
        ntt(f.data(), lg, true, t);
        CHECK(f == want_inv, "%s iNTT vs naive 2^%u (%d threads)", name, lg, t);
      }
      CHECK(want_inv == orig, "%s round trip (naive) 2^%u", name, lg);
    } else {
      ntt(a.data(), lg, false, th);
      CHECK(a != orig, "%s NTT changes data 2^%u", name, lg);
      // evaluation check at one point: a[k] = poly(w^k)
      size_t k = rng() % n;
      Fr wk = root_of_unity<Fr>((int)lg).pow_u64(k), x = Fr::one(), acc = Fr::zero();
      for (size_t j = 0; j < n; j++) {
        acc += orig[j] * x;
        x *= wk;
      }
      CHECK(a[k] == acc, "%s NTT 2^%u evaluation at w^%zu", name, lg, k);
      ntt(a.data(), lg, true, th);
      CHECK(a == orig, "%s NTT round trip 2^%u", name, lg);
    }
  }
  // the fused H step: evaluations on the domain -> evaluations on the coset g<w>, against the
  // unfused composition iNTT, coset_shift, NTT at every size 2^0..2^16 (every block size and
  // radix-pass split), and against naive DFTs up to 2^9; twiddles of a larger size reused.
  for (uint32_t lg = 0; lg <= 16; lg++) {
    size_t n = (size_t)1 << lg;
    std::vector<Fr> a(n);
    for (auto& x : a) x = rand_field<Fr>();
    Fr g = rand_field<Fr>();
    int th = 1 + (int)(rng() % 3);
    std::vector<Fr> want = a;
    ntt(want.data(), lg, true, th);
    coset_shift(want.data(), n, g, th);
    ntt(want.data(), lg, false, th);
    if (lg <= 9) {
      std::vector<Fr> coef = dft_naive(a.data(), lg, true);
      coset_shift(coef.data(), n, g, 1);
      CHECK(dft_naive(coef.data(), lg, false) == want, "%s iNTT/shift/NTT vs naive DFTs 2^%u", name, lg);
      for (int t : {1, 2, 5, 8}) {
        std::vector<Fr> f = a;
        coset_evaluations(f.data(), lg, g, t, NttTwiddles<Fr>(lg, 1));
        CHECK(f == want, "%s coset_evaluations vs naive 2^%u (%d threads)", name, lg, t);
      }
    }
    NttTwiddles<Fr> tw(std::min<uint32_t>(16, lg + (uint32_t)(rng() % 3)), th);
    coset_evaluations(a.data(), lg, g, th, tw);
    CHECK(a == want, "%s coset_evaluations 2^%u (%d threads, twiddles 2^%u)", name, lg, th, tw.log_n);
  }
  // coset shift
  std::vector<Fr> c(1000);
  for (auto& x : c) x = rand_field<Fr>();
  std::vector<Fr> d = c;
  Fr g = rand_field<Fr>();
  coset_shift(d.data(), d.size(), g, 3);
  Fr gi = Fr::one();
  bool ok = true;
  for (size_t i = 0; i < c.size(); i++) {
    ok &= d[i] == c[i] * gi;
    gi *= g;
  }
  CHECK(ok, "%s coset_shift", name);
}

// ---- C ABI ------------------------------------------------------------------------------------

static void test_abi() {
  pm_engine_info info;
  pm_status st = pm_engine_info_get(&info);
  CHECK(st.code == PM_OK && info.abi_version == PM_ABI_VERSION && info.cpu_threads > 0,
        "engine info");
  std::printf("engine: abi %d, %d threads, cuda compiled %d, devices %d, build '%s'\n",
              info.abi_version, info.cpu_threads, info.cuda_compiled, info.cuda_devices, info.build);
  CHECK(pm_engine_info_get(nullptr).code == PM_ERR_INVALID_ARGUMENT, "info NULL");

  using Fq = Bn254::Fq;
  using G1A = Bn254::G1Affine;
  // field batch
  Fq a[3] = {rand_field<Fq>(), rand_field<Fq>(), Fq::zero()};
  Fq b[3] = {rand_field<Fq>(), rand_field<Fq>(), rand_field<Fq>()};
  Fq o[3];
  st = pm_field_batch((uint8_t*)o, PM_CURVE_BN254, PM_FIELD_FQ, PM_FIELD_MUL, (uint8_t*)a,
                      (uint8_t*)b, 3);
  CHECK(st.code == PM_OK && o[0] == a[0] * b[0] && o[2].is_zero(), "field batch mul");
  st = pm_field_batch((uint8_t*)o, PM_CURVE_BN254, PM_FIELD_FQ, PM_FIELD_INV, (uint8_t*)a, nullptr,
                      3);
  CHECK(st.code == PM_OK && o[1] == a[1].inv() && o[2].is_zero(), "field batch inv");
  Fq bad = Fq::from_limbs(Bn254FqParams::MOD);
  st = pm_field_batch((uint8_t*)o, PM_CURVE_BN254, PM_FIELD_FQ, PM_FIELD_ADD, (uint8_t*)&bad,
                      (uint8_t*)b, 1);
  CHECK(st.code == PM_ERR_INVALID_ARGUMENT && std::strstr(st.message, "a[0]"),
        "field batch rejects p: %s", st.message);
  st = pm_field_batch((uint8_t*)o, (pm_curve)7, PM_FIELD_FQ, PM_FIELD_ADD, (uint8_t*)a,
                      (uint8_t*)b, 1);
  CHECK(st.code == PM_ERR_INVALID_ARGUMENT && std::strstr(st.message, "curve"), "unknown curve: %s",
        st.message);
  st = pm_field_batch((uint8_t*)o, PM_CURVE_BN254, PM_FIELD_FQ, PM_FIELD_ADD, (uint8_t*)a, nullptr,
                      1);
  CHECK(st.code == PM_ERR_INVALID_ARGUMENT, "field batch b NULL");

  // MSM through the ABI
  size_t n = 50;
  auto pts = make_points<Bn254, Bn254::G1, G1A>(Bn254::g1_gen(), n);
  std::vector<uint8_t> sc(32 * n);
  for (size_t i = 0; i < n; i++) rand_scalar<Bn254::Fr>(&sc[32 * i]);
  G1A out;
  pm_msm_config cfg = pm_default_msm_config();
  cfg.device = PM_DEVICE_CPU;
  st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, (uint8_t*)pts.data(), sc.data(), n, &cfg);
  G1A want = msm_naive<Bn254, G1A, Bn254::G1>(pts.data(), sc.data(), n, false).to_affine();
  CHECK(st.code == PM_OK && out == want, "pm_msm_g1: %s", st.message);
  st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, nullptr, nullptr, 0, nullptr);
  CHECK(st.code == PM_OK && out.is_infinity(), "pm_msm_g1 n=0");
  st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, nullptr, sc.data(), 3, nullptr);
  CHECK(st.code == PM_ERR_INVALID_ARGUMENT, "pm_msm_g1 points NULL");
  auto pts_bad = pts;
  pts_bad[7].y = pts_bad[7].y + Fq::one();
  st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, (uint8_t*)pts_bad.data(), sc.data(), n, &cfg);
  CHECK(st.code == PM_ERR_INVALID_ARGUMENT && std::strstr(st.message, "point 7"),
        "off-curve point: %s", st.message);
  pts_bad = pts;
  pts_bad[9].x = bad;
  st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, (uint8_t*)pts_bad.data(), sc.data(), n, &cfg);
  CHECK(st.code == PM_ERR_INVALID_ARGUMENT && std::strstr(st.message, "point 9"),
        "coordinate >= q: %s", st.message);
  auto sc_bad = sc;
  std::memset(&sc_bad[32 * 5], 0xff, 32);
  st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, (uint8_t*)pts.data(), sc_bad.data(), n, &cfg);
  CHECK(st.code == PM_ERR_INVALID_ARGUMENT && std::strstr(st.message, "scalar 5"),
        "scalar >= r: %s", st.message);
  cfg.device = PM_DEVICE_CUDA;
  st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, (uint8_t*)pts.data(), sc.data(), n, &cfg);
  if (info.cuda_devices == 0)
    CHECK(st.code == PM_ERR_UNSUPPORTED && std::strstr(st.message, "CUDA"), "CUDA without card: %s",
          st.message);
  // G2 through the ABI, BLS12-381
  {
    using C = Bls12_381;
    auto p2 = make_points<C, C::G2, C::G2Affine>(C::g2_gen(), 20);
    std::vector<uint8_t> s2(32 * 20);
    for (size_t i = 0; i < 20; i++) rand_scalar<C::Fr>(&s2[32 * i]);
    C::G2Affine o2;
    st = pm_msm_g2((uint8_t*)&o2, PM_CURVE_BLS12_381, (uint8_t*)p2.data(), s2.data(), 20, nullptr);
    auto w2 = msm_naive<C, C::G2Affine, C::G2>(p2.data(), s2.data(), 20, false).to_affine();
    CHECK(st.code == PM_OK && o2 == w2, "pm_msm_g2 bls12-381: %s", st.message);
  }
  // NTT through the ABI, canonical data
  {
    using Fr = Bls12_381::Fr;
    std::vector<Fr> v(16), m;
    for (auto& x : v) x = rand_field<Fr>();
    m = v;
    ntt(m.data(), 4, false, 1);
    std::vector<uint8_t> bytes(32 * 16);
    for (size_t i = 0; i < 16; i++) v[i].to_canonical(&bytes[32 * i]);
    pm_ntt_config nc = pm_default_ntt_config();
    nc.montgomery = 0;
    nc.device = PM_DEVICE_CPU;
    st = pm_ntt(bytes.data(), PM_CURVE_BLS12_381, 4, 0, &nc);
    bool same = st.code == PM_OK;
    for (size_t i = 0; i < 16 && same; i++) {
      Fr f;
      same = Fr::from_canonical(f, &bytes[32 * i]) && f == m[i];
    }
    CHECK(same, "pm_ntt canonical: %s", st.message);
    st = pm_ntt(bytes.data(), PM_CURVE_BN254, 29, 0, nullptr);
    CHECK(st.code == PM_ERR_INVALID_ARGUMENT, "pm_ntt too large: %s", st.message);
    st = pm_ntt(nullptr, PM_CURVE_BN254, 2, 0, nullptr);
    CHECK(st.code == PM_ERR_INVALID_ARGUMENT, "pm_ntt NULL");
  }
}

// ---- benchmarks -------------------------------------------------------------------------------

template <class C>
void bench_msm(const char* name, uint32_t lg, int reps) {
  using Aff = typename C::G1Affine;
  using P = typename C::G1;
  size_t n = (size_t)1 << lg;
  auto pts = make_points<C, P, Aff>(C::g1_gen(), n);
  std::vector<uint8_t> sc(32 * n);
  for (size_t i = 0; i < n; i++) rand_scalar<typename C::Fr>(&sc[32 * i]);
  double best = 1e9;
  for (int r = 0; r < reps; r++) {
    double t0 = now_s();
    P res = msm<C, Aff, P>(pts.data(), sc.data(), n, false, 0, 0);
    double t = now_s() - t0;
    if (t < best) best = t;
    (void)res;
  }
  std::printf("bench: %s G1 MSM 2^%u random scalars: %.3f s (best of %d, %d threads)\n", name, lg,
              best, reps, hw_threads());
  // a witness-like scalar set: 70%% zeros and ones
  for (size_t i = 0; i < n; i++) {
    uint64_t r = rng() % 10;
    if (r < 4) std::memset(&sc[32 * i], 0, 32);
    else if (r < 7) {
      std::memset(&sc[32 * i], 0, 32);
      sc[32 * i] = 1;
    }
  }
  double t0 = now_s();
  msm<C, Aff, P>(pts.data(), sc.data(), n, false, 0, 0);
  std::printf("bench: %s G1 MSM 2^%u witness-like (40%% 0, 30%% 1): %.3f s\n", name, lg,
              now_s() - t0);
}

// G1 MSM with IFMA off and on, interleaved (off, on, off, on, ...), median of reps; the load
// average is printed (a shared machine). pm_unit --msm-ifma-bench LOG[,LOG...] [REPS]
template <class C, class P, class Aff>
void bench_msm_ifma(const char* name, Aff gen, const std::vector<int>& logs, int reps) {
#ifdef PM_HAVE_IFMA
  int hi = 0;
  for (int lg : logs) hi = std::max(hi, lg);
  size_t nmax = (size_t)1 << hi;
  auto pts = make_points<C, P, Aff>(gen, nmax);
  std::vector<uint8_t> sc(32 * nmax);
  for (size_t i = 0; i < nmax; i++) rand_scalar<typename C::Fr>(&sc[32 * i]);
  for (int lg : logs) {
    size_t n = (size_t)1 << lg;
    std::vector<double> t_off, t_on;
    for (int r = 0; r < reps; r++) {
      for (int on = 0; on < 2; on++) {
        ifma::set_enabled(on);
        double t0 = now_s();
        P res = msm<C, Aff, P>(pts.data(), sc.data(), n, false, 0, 0);
        (on ? t_on : t_off).push_back(now_s() - t0);
        (void)res;
      }
    }
    ifma::set_enabled(true);
    std::sort(t_off.begin(), t_off.end());
    std::sort(t_on.begin(), t_on.end());
    double a = t_off[t_off.size() / 2], b = t_on[t_on.size() / 2];
    double load = 0;
    if (FILE* f = std::fopen("/proc/loadavg", "r")) {
      if (std::fscanf(f, "%lf", &load) != 1) load = -1;
      std::fclose(f);
    }
    std::printf("bench: %s MSM 2^%d uniform scalars, %d threads: scalar %.3f s, IFMA %.3f s, %.2fx "
                "(median of %d, interleaved; load average %.2f)\n",
                name, lg, hw_threads(), a, b, a / b, reps, load);
    std::fflush(stdout);
  }
#else
  (void)name, (void)gen, (void)logs, (void)reps;
#endif
}

template <class Fr>
void bench_ntt(const char* name, uint32_t lg) {
  size_t n = (size_t)1 << lg;
  std::vector<Fr> v(n);
  for (auto& x : v) x = rand_field<Fr>();
  double t0 = now_s();
  ntt(v.data(), lg, false, 0);
  double t1 = now_s();
  ntt(v.data(), lg, true, 0);
  double t2 = now_s();
  std::printf("bench: %s NTT 2^%u: forward %.3f s, inverse %.3f s\n", name, lg, t1 - t0, t2 - t1);
}

int ifma_tests(std::mt19937_64& rng, uint64_t seed);  // test_ifma.cpp
void ifma_bench(std::mt19937_64& rng);

int main(int argc, char** argv) {
  bool bench = true, ifma_only = false;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--no-bench")) bench = false;
    if (!std::strcmp(argv[i], "--ifma-bench")) ifma_only = true;
    if (!std::strcmp(argv[i], "--msm-ifma-bench") && i + 1 < argc) {
      std::vector<int> logs;
      for (const char* q = argv[i + 1]; *q;) {
        logs.push_back(std::atoi(q));
        while (*q && *q != ',') q++;
        if (*q == ',') q++;
      }
      int reps = i + 2 < argc ? std::max(1, std::atoi(argv[i + 2])) : 3;
      rng.seed(std::random_device{}());
      const char* curve = std::getenv("PM_BENCH_CURVE");
      const char* group = std::getenv("PM_BENCH_GROUP");  // g1 (default), g2 or both
      const bool g1 = !group || std::strcmp(group, "g2"), g2 = group && std::strcmp(group, "g1");
      if (!curve || !std::strcmp(curve, "bn254")) {
        if (g1) bench_msm_ifma<Bn254, Bn254::G1>("bn254 G1", Bn254::g1_gen(), logs, reps);
        if (g2) bench_msm_ifma<Bn254, Bn254::G2>("bn254 G2", Bn254::g2_gen(), logs, reps);
      }
      if (!curve || !std::strcmp(curve, "bls12-381")) {
        if (g1) bench_msm_ifma<Bls12_381, Bls12_381::G1>("bls12-381 G1", Bls12_381::g1_gen(), logs, reps);
        if (g2) bench_msm_ifma<Bls12_381, Bls12_381::G2>("bls12-381 G2", Bls12_381::g2_gen(), logs, reps);
      }
      return 0;
    }
  }
  uint64_t seed = std::random_device{}();
  seed = (seed << 32) ^ std::random_device{}();
  if (const char* e = std::getenv("PM_SEED")) seed = std::strtoull(e, nullptr, 10);
  std::printf("pm_unit seed %llu (replay with PM_SEED=%llu)\n", (unsigned long long)seed,
              (unsigned long long)seed);
  rng.seed(seed);
  if (ifma_only) {
    ifma_bench(rng);
    return 0;
  }
  {
    int f = ifma_tests(rng, seed);
    g_checks += 4;
    g_fail += f;
  }

  test_field<Bn254::Fq>("bn254 Fq",
                        "13928881827534084232338621837890993238261288918280433239893024114774234860007",
                        "8418554950707413547017848363560490418729350445114547562572706882555856234070",
                        "14847269640338529346558750750279410374849945330474747519446410320143964630997",
                        "5472060717959818805561601436314318772174077789324455915672259473661306552143");
  test_field<Bn254::Fr>("bn254 Fr",
                        "13928881827534084232338621837890993238167140982082930945989766300548241769938",
                        "8418554950707413547017848363560490418672447846313859362960847764067618652160",
                        "13163558650197046637155181077567312291015100268781671003902416503814821892469",
                        "21888242871839275222246405745257275088548364400416034343698204186575808495606");
  test_field<Bls12_381::Fq>(
      "bls12-381 Fq",
      "2546987898777424704902229889104666281445289067233914108847673359351656504857805913736255763991191786205932718901682",
      "1539388290469872074391457625283040060214185699976541494358483898509242942496476101708726011203467563091497797138379",
      "1203521754367354530887866870675831319803817910890750622862087411561771755042699497699549426940892822053352823217279",
      "1715318380809286025750481353886816067095806922831003379428024915481727850210359084761151841055292427444811831097050");
  test_field<Bls12_381::Fr>(
      "bls12-381 Fr",
      "33368284202353030305103107596118341896712169773063042250747782809051824390144",
      "20167644298125457876710669426225371476034827884818322239462945653822531224812",
      "25301226483102847154418839825628193306298238619135713354962604547522811900220",
      "44945035864393877553812349007016542146591902143309403847945993171375926729581");
  test_add_sub<Bn254::Fq>("bn254 Fq");
  test_add_sub<Bn254::Fr>("bn254 Fr");
  test_add_sub<Bls12_381::Fq>("bls12-381 Fq");
  test_add_sub<Bls12_381::Fr>("bls12-381 Fr");
  test_lazy<Bn254::Fq>("bn254 Fq");
  test_lazy<Bn254::Fr>("bn254 Fr");
  test_lazy<Bls12_381::Fq>("bls12-381 Fq");
  test_lazy<Bls12_381::Fr>("bls12-381 Fr");
  test_fp2<Bn254::Fq2>("bn254 Fq2");
  test_fp2<Bls12_381::Fq2>("bls12-381 Fq2");
  std::printf("fields: done (%d checks, %d failures)\n", g_checks, g_fail);

  test_group<Bn254, Bn254::G1, Bn254::G1Affine>("bn254 G1", Bn254::g1_gen());
  test_group<Bn254, Bn254::G2, Bn254::G2Affine>("bn254 G2", Bn254::g2_gen());
  test_group<Bls12_381, Bls12_381::G1, Bls12_381::G1Affine>("bls12-381 G1", Bls12_381::g1_gen());
  test_group<Bls12_381, Bls12_381::G2, Bls12_381::G2Affine>("bls12-381 G2", Bls12_381::g2_gen());
  std::printf("groups: done (%d checks, %d failures)\n", g_checks, g_fail);

  test_msm<Bn254, Bn254::G1, Bn254::G1Affine>("bn254 G1", Bn254::g1_gen(), {0, 1, 2, 3, 5, 40}, true);
  test_msm<Bn254, Bn254::G1, Bn254::G1Affine>("bn254 G1", Bn254::g1_gen(), {1000}, false);
  test_msm<Bn254, Bn254::G2, Bn254::G2Affine>("bn254 G2", Bn254::g2_gen(), {0, 1, 7, 40}, false);
  test_msm<Bls12_381, Bls12_381::G1, Bls12_381::G1Affine>("bls12-381 G1", Bls12_381::g1_gen(),
                                                         {1, 4, 40}, true);
  test_msm<Bls12_381, Bls12_381::G2, Bls12_381::G2Affine>("bls12-381 G2", Bls12_381::g2_gen(),
                                                         {1, 40}, false);
  test_bucket_sum<Bn254, Bn254::G1, Bn254::G1Affine>("bn254 G1", Bn254::g1_gen());
  test_bucket_sum<Bn254, Bn254::G2, Bn254::G2Affine>("bn254 G2", Bn254::g2_gen());
  test_bucket_sum<Bls12_381, Bls12_381::G1, Bls12_381::G1Affine>("bls12-381 G1", Bls12_381::g1_gen());
  test_recode_and_plan();
  test_glv<Bn254>("bn254");
  test_glv<Bls12_381>("bls12-381");
  test_msm_ifma<Bn254, Bn254::G1, Bn254::G1Affine>("bn254 G1", Bn254::g1_gen());
  test_msm_ifma<Bls12_381, Bls12_381::G1, Bls12_381::G1Affine>("bls12-381 G1", Bls12_381::g1_gen());
  test_msm_ifma<Bn254, Bn254::G2, Bn254::G2Affine>("bn254 G2", Bn254::g2_gen());
  test_msm_ifma<Bls12_381, Bls12_381::G2, Bls12_381::G2Affine>("bls12-381 G2", Bls12_381::g2_gen());
  std::printf("msm: done (%d checks, %d failures)\n", g_checks, g_fail);

  test_ntt<Bn254::Fr>(
      "bn254", {"164", "6900671564909170816093247038224470358714942725899726268341888590710859269518",
                "141053471049479802961322047100414252925987108269389401110856",
                "16090265472912994914844907299474029145145006821941145899369162622388545814835",
                "21888242871839275222246405745257275088548364400416034343698204186575808495589",
                "14987571306930104688260100805992410652477515875344813927330532134643751447827",
                "21888242871839275081192934695777472127226317300001781417711095917186407384713",
                "5797977398926280025294556346823640020759263377646382592354825025408460458990"});
  test_ntt<Bls12_381::Fr>(
      "bls12-381",
      {"164", "24194111749639297428112784608537863824855224083923660977597429493088307018367",
       "52435875175126190368563106073829091636849927518519868917955579699446998368233",
       "1845317433759059862891322024415875599474381673900597747449724699901409455930",
       "52435875175126190479447740508185965837690552500527637822603658699938581184485",
       "28241763425486892829565687030934353611154078452588439035710071205867108533602",
       "110884634434356874200840624982007768904648079000491582816232",
       "50590557741367130838325687352483838639897420790642577884450092001020337361063"});
  std::printf("ntt: done (%d checks, %d failures)\n", g_checks, g_fail);

  test_abi();
  std::printf("abi: done (%d checks, %d failures)\n", g_checks, g_fail);

  std::printf("%s: %d checks, %d failed (seed %llu)\n", g_fail ? "FAILED" : "PASSED", g_checks,
              g_fail, (unsigned long long)seed);
  if (bench && !g_fail) {
    bench_msm<Bn254>("bn254", 16, 2);
    bench_msm<Bn254>("bn254", 18, 2);
    bench_msm<Bls12_381>("bls12-381", 16, 1);
    bench_ntt<Bn254::Fr>("bn254", 16);
    bench_ntt<Bn254::Fr>("bn254", 20);
  }
  return g_fail ? 1 : 0;
}
