// Host-only helpers shared by the host tests, selftest and bench: scalar multiplication and fast
// generation of many distinct random curve points (G1 or G2) as affine Montgomery bytes.
//
// random_points: each of `threads` chunks starts at k_t * G (random k_t) and walks by a fixed
// random step R = k_R * G: P_j = k_t G + j R. One mixed addition per point, then a batched
// conversion to affine (Montgomery's trick: one inversion per 4096 points), so 2^24 points take
// seconds on 16 cores. The points are distinct and in the prime-order subgroup.
#pragma once
#include <algorithm>
#include <random>
#include <thread>
#include <vector>
#include "gpu_curve.cuh"

namespace pmg {

// s given as 8 little-endian words (any 256-bit value), double-and-add
template <class F>
inline Xyzz<F> scalar_mul(const Affine<F>& p, const uint32_t* s) {
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (int bit = 255; bit >= 0; bit--) {
    acc = acc.dbl();
    if ((s[bit / 32] >> (bit % 32)) & 1) acc = acc.add_affine(p);
  }
  return acc;
}

// in-place batch conversion of XYZZ points to affine
template <class F>
inline void batch_to_affine(const Xyzz<F>* in, Affine<F>* out, size_t n) {
  std::vector<F> pre(2 * n);
  F acc = F::one();
  for (size_t i = 0; i < n; i++) {
    F zz = in[i].is_infinity() ? F::one() : in[i].ZZ;
    F zzz = in[i].is_infinity() ? F::one() : in[i].ZZZ;
    pre[2 * i] = acc; acc = acc * zz;
    pre[2 * i + 1] = acc; acc = acc * zzz;
  }
  F inv = acc.inv();
  for (size_t i = n; i-- > 0;) {
    F zzz = in[i].is_infinity() ? F::one() : in[i].ZZZ;
    F zz = in[i].is_infinity() ? F::one() : in[i].ZZ;
    F izzz = inv * pre[2 * i + 1]; inv = inv * zzz;
    F izz = inv * pre[2 * i]; inv = inv * zz;
    out[i] = in[i].is_infinity() ? Affine<F>::infinity() : Affine<F>{in[i].X * izz, in[i].Y * izzz};
  }
}

template <class C>
inline std::vector<Affine<typename C::F>> random_points(size_t n, uint64_t seed, int threads) {
  using F = typename C::F;
  std::vector<Affine<F>> out(n);
  if (n == 0) return out;
  if (threads < 1) threads = 1;
  if ((size_t)threads > n) threads = (int)n;
  std::mt19937_64 rng(seed);
  auto rand_scalar = [&](uint32_t* s) {
    for (int k = 0; k < 8; k++) s[k] = (uint32_t)rng();
    s[7] &= 0x0fffffffu;
  };
  Affine<F> G = C::gen();
  uint32_t ks[8];
  rand_scalar(ks);
  Affine<F> R = scalar_mul<F>(G, ks).to_affine();
  std::vector<std::vector<uint32_t>> starts(threads, std::vector<uint32_t>(8));
  for (auto& s : starts) rand_scalar(s.data());
  std::vector<std::thread> pool;
  size_t per = (n + threads - 1) / threads;
  for (int t = 0; t < threads; t++) {
    pool.emplace_back([&, t] {
      size_t lo = t * per, hi = std::min(n, lo + per);
      if (lo >= hi) return;
      Xyzz<F> cur = scalar_mul<F>(G, starts[t].data());
      const size_t BATCH = 4096;
      std::vector<Xyzz<F>> buf(BATCH);
      for (size_t b = lo; b < hi; b += BATCH) {
        size_t m = std::min(BATCH, hi - b);
        for (size_t j = 0; j < m; j++) { buf[j] = cur; cur = cur.add_affine(R); }
        batch_to_affine<F>(buf.data(), out.data() + b, m);
      }
    });
  }
  for (auto& th : pool) th.join();
  return out;
}

}  // namespace pmg
