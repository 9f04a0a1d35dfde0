// IFMA (AVX-512 52-bit multiply-add) field arithmetic, ff/ifma.hpp: differential tests against
// the scalar Montgomery product, and a throughput microbenchmark (products/s, scalar mulx vs 4-
// and 8-lane IFMA, with and without the 64 <-> 52-bit radix conversion). Called from pm_unit's
// main (test_math.cpp); `pm_unit --ifma-bench` runs only the benchmark.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "curves/bls12_381.hpp"
#include "curves/bn254.hpp"
#include "ff/ifma.hpp"

using namespace pm;

namespace {

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

template <class F>
F rand_fp(std::mt19937_64& rng) {
  uint8_t b[64];
  for (auto& x : b) x = (uint8_t)rng();
  return F::from_canonical_reduce(b, sizeof b);
}

#ifdef PM_HAVE_IFMA
// (the vector tests run only where ifma::available(); compiled for it like ff/ifma.hpp)
#pragma GCC push_options
#pragma GCC target("avx512f,avx512ifma,avx512vl,avx512dq,avx512bw")

// Products of L lanes: r = a * b with a, b canonical Montgomery (R form); a loaded S-shifted.
// Results reduced to canonical and converted back: the full round trip the MSM does.
template <class V, class F>
PM_IFMA_NOINLINE void vec_mul_roundtrip(const ifma::Field52<V, typename F::Params>& f, F* r, const F* a, const F* b,
                                        size_t n) {
  using T = typename V::T;
  constexpr int M = F::N, N = ifma::Radix52<typename F::Params>::N;
  alignas(64) uint64_t buf[M][V::L];
  for (size_t k = 0; k < n; k += V::L) {
    T wa[M], wb[M], xa[N], xb[N], xr[N];
    for (int q = 0; q < M; q++) {
      for (int l = 0; l < V::L; l++) buf[q][l] = a[k + l].l[q];
      wa[q] = V::load(buf[q]);
      for (int l = 0; l < V::L; l++) buf[q][l] = b[k + l].l[q];
      wb[q] = V::load(buf[q]);
    }
    f.template from64<ifma::Radix52<typename F::Params>::S>(xa, wa);
    f.template from64<0>(xb, wb);
    f.mul(xr, xa, xb);
    f.reduce4(xr);
    f.to64(wa, xr);
    for (int q = 0; q < M; q++) {
      V::store(buf[q], wa[q]);
      for (int l = 0; l < V::L; l++) r[k + l].l[q] = buf[q][l];
    }
  }
}

template <class V, class F>
bool diff_test(const char* name, std::mt19937_64& rng, uint64_t seed) {
  using P = typename F::Params;
  ifma::Field52<V, P> f;
  f.init();
  std::vector<F> edge;
  edge.push_back(F::zero());
  edge.push_back(F::one());
  edge.push_back(F::from_limbs(P::ONE).neg());  // -1
  {
    F pm1 = F::from_limbs(P::MOD);  // p - 1 as raw limbs (canonical, not p)
    pm1.l[0] -= 1;
    edge.push_back(pm1);
    F t = F::zero();
    t.l[0] = 1;  // raw 1 (Montgomery R^-1)
    edge.push_back(t);
    F hi = F::zero();  // the largest raw value with only the top limb set below p
    hi.l[F::N - 1] = P::MOD[F::N - 1];
    edge.push_back(hi);
  }
  std::vector<F> a, b;
  for (auto& x : edge)
    for (auto& y : edge) a.push_back(x), b.push_back(y);
  while (a.size() % V::L || a.size() < 4096) a.push_back(rand_fp<F>(rng)), b.push_back(rand_fp<F>(rng));
  // some random values paired with edges
  for (size_t i = 0; i < edge.size() && i * 16 < a.size(); i++) a[a.size() - 1 - i * 16] = edge[i];
  std::vector<F> r(a.size());
  vec_mul_roundtrip<V, F>(f, r.data(), a.data(), b.data(), a.size());
  size_t bad = 0;
  for (size_t i = 0; i < a.size(); i++)
    if (!(r[i] == a[i] * b[i])) {
      if (bad++ < 3) std::printf("FAIL ifma %s product %zu differs from the scalar one (seed %llu)\n", name, i,
                                 (unsigned long long)seed);
    }
  std::printf("%s ifma %s: %zu vector products vs scalar (edges 0, 1, -1, p-1, raw 1, top limb)\n",
              bad ? "FAIL" : "ok  ", name, a.size());
  return bad == 0;
}

// ---- microbenchmark ----

template <class F>
__attribute__((noinline)) void scalar_mul_indep(F* r, const F* a, const F* b, size_t n) {
  for (size_t k = 0; k < n; k++) r[k] = a[k] * b[k];
}
template <class F>
__attribute__((noinline)) F scalar_mul_chain2(const F* a, size_t n) {  // batch_inverse's prefix pattern
  F x = F::one(), y = F::one();
  for (size_t k = 0; k + 1 < n; k += 2) x *= a[k], y *= a[k + 1];
  return x * y;
}
// SoA 64-bit in/out (the layout the MSM uses), conversion included
template <class V, class F>
PM_IFMA_NOINLINE void vec_mul_soa(const ifma::Field52<V, typename F::Params>& f, uint64_t* r, const uint64_t* a,
                                  const uint64_t* b, size_t n) {
  using T = typename V::T;
  constexpr int M = F::N, N = ifma::Radix52<typename F::Params>::N;
  for (size_t k = 0; k < n; k += V::L) {
    T wa[M], wb[M], xa[N], xb[N], xr[N];
    for (int q = 0; q < M; q++) wa[q] = V::load(a + q * n + k), wb[q] = V::load(b + q * n + k);
    f.template from64<ifma::Radix52<typename F::Params>::S>(xa, wa);
    f.template from64<0>(xb, wb);
    f.mul(xr, xa, xb);
    f.reduce4(xr);
    f.to64(wa, xr);
    for (int q = 0; q < M; q++) V::store(r + q * n + k, wa[q]);
  }
}
// 52-bit in/out, product only
template <class V, class F>
PM_IFMA_NOINLINE void vec_mul_52(const ifma::Field52<V, typename F::Params>& f, uint64_t* r, const uint64_t* a,
                                 const uint64_t* b, size_t n) {
  using T = typename V::T;
  constexpr int N = ifma::Radix52<typename F::Params>::N;
  for (size_t k = 0; k < n; k += V::L) {
    T xa[N], xb[N], xr[N];
    for (int q = 0; q < N; q++) xa[q] = V::load(a + q * n + k), xb[q] = V::load(b + q * n + k);
    f.mul(xr, xa, xb);
    for (int q = 0; q < N; q++) V::store(r + q * n + k, xr[q]);
  }
}
// one dependent chain per lane (the prefix products of a batch inversion)
template <class V, class F>
PM_IFMA_NOINLINE void vec_chain_52(const ifma::Field52<V, typename F::Params>& f, uint64_t* r, const uint64_t* a,
                                   size_t n) {
  using T = typename V::T;
  constexpr int N = ifma::Radix52<typename F::Params>::N;
  T acc[N];
  for (int q = 0; q < N; q++) acc[q] = V::load(a + q * n);
  for (size_t k = V::L; k < n; k += V::L) {
    T xa[N];
    for (int q = 0; q < N; q++) xa[q] = V::load(a + q * n + k);
    f.mul(acc, acc, xa);
  }
  for (int q = 0; q < N; q++) V::store(r + q * n, acc[q]);
}

template <class Fn>
double rate(size_t products_per_call, Fn fn) {  // products per second, best of 5
  double best = 1e30;
  for (int rep = 0; rep < 5; rep++) {
    double t0 = now_s();
    int iters = 0;
    do {
      fn();
      iters++;
    } while (now_s() - t0 < 0.05);
    best = std::min(best, (now_s() - t0) / iters);
  }
  return (double)products_per_call / best;
}

template <class F>
void bench_curve(const char* name, std::mt19937_64& rng) {
  using P = typename F::Params;
  constexpr int M = F::N, N = ifma::Radix52<P>::N;
  const size_t n = 2048;
  std::vector<F> a(n), b(n), r(n);
  for (size_t i = 0; i < n; i++) a[i] = rand_fp<F>(rng), b[i] = rand_fp<F>(rng);
  std::vector<uint64_t> sa(M * n), sb(M * n), sr(M * n), xa(N * n), xb(N * n), xr(N * n);
  for (size_t i = 0; i < n; i++)
    for (int q = 0; q < M; q++) sa[q * n + i] = a[i].l[q], sb[q * n + i] = b[i].l[q];
  for (size_t i = 0; i < n; i++)
    for (int q = 0; q < N; q++)
      xa[q * n + i] = ifma::Radix52<P>::cut(a[i].l, 52 * q), xb[q * n + i] = ifma::Radix52<P>::cut(b[i].l, 52 * q);
  ifma::Field52<ifma::V8, P> f8;
  ifma::Field52<ifma::V4, P> f4;
  f8.init();
  f4.init();
  volatile uint64_t sink = 0;
  double s_ind = rate(n, [&] { scalar_mul_indep(r.data(), a.data(), b.data(), n); });
  double s_ch = rate(n, [&] { sink = sink + scalar_mul_chain2(a.data(), n).l[0]; });
  double v8_rt = rate(n, [&] { vec_mul_soa<ifma::V8, F>(f8, sr.data(), sa.data(), sb.data(), n); });
  double v4_rt = rate(n, [&] { vec_mul_soa<ifma::V4, F>(f4, sr.data(), sa.data(), sb.data(), n); });
  double v8 = rate(n, [&] { vec_mul_52<ifma::V8, F>(f8, xr.data(), xa.data(), xb.data(), n); });
  double v4 = rate(n, [&] { vec_mul_52<ifma::V4, F>(f4, xr.data(), xa.data(), xb.data(), n); });
  double v8c = rate(n, [&] { vec_chain_52<ifma::V8, F>(f8, xr.data(), xa.data(), n); });
  double v4c = rate(n, [&] { vec_chain_52<ifma::V4, F>(f4, xr.data(), xa.data(), n); });
  auto M_ = [](double x) { return x / 1e6; };
  std::printf("ifma bench %s Fq (M products/s, one thread): scalar mulx independent %.1f, 2 chains %.1f | "
              "IFMA 512-bit: product %.1f (%.2fx), with radix conversion + reduce %.1f (%.2fx), 8 chains %.1f "
              "(%.2fx) | IFMA 256-bit: product %.1f (%.2fx), with conversion %.1f (%.2fx), 4 chains %.1f (%.2fx)\n",
              name, M_(s_ind), M_(s_ch), M_(v8), v8 / s_ind, M_(v8_rt), v8_rt / s_ind, M_(v8c), v8c / s_ch, M_(v4),
              v4 / s_ind, M_(v4_rt), v4_rt / s_ind, M_(v4c), v4c / s_ch);
  (void)sink;
}
#pragma GCC pop_options
#endif

}  // namespace

// Returns the number of failed checks (0 when the CPU has no IFMA: nothing to test).
int ifma_tests(std::mt19937_64& rng, uint64_t seed) {
#ifdef PM_HAVE_IFMA
  if (!ifma::available()) {
    std::printf("skip ifma: the CPU has no AVX-512 IFMA (or PM_NO_IFMA is set)\n");
    return 0;
  }
  int fail = 0;
  fail += !diff_test<ifma::V8, Fp<Bn254FqParams>>("bn254 Fq 8-lane", rng, seed);
  fail += !diff_test<ifma::V4, Fp<Bn254FqParams>>("bn254 Fq 4-lane", rng, seed);
  fail += !diff_test<ifma::V8, Fp<Bls12_381FqParams>>("bls12-381 Fq 8-lane", rng, seed);
  fail += !diff_test<ifma::V4, Fp<Bls12_381FqParams>>("bls12-381 Fq 4-lane", rng, seed);
  return fail;
#else
  (void)rng;
  (void)seed;
  std::printf("skip ifma: not an x86-64 GCC/Clang build\n");
  return 0;
#endif
}

void ifma_bench(std::mt19937_64& rng) {
#ifdef PM_HAVE_IFMA
  if (!ifma::available()) {
    std::printf("ifma bench: the CPU has no AVX-512 IFMA (or PM_NO_IFMA is set)\n");
    return;
  }
  bench_curve<Fp<Bn254FqParams>>("bn254", rng);
  bench_curve<Fp<Bls12_381FqParams>>("bls12-381", rng);
#else
  (void)rng;
#endif
}
