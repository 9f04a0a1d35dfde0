// Radix-2 NTT over Fr as per-thread __host__ __device__ bodies (kernels in pm_cuda.cu, host
// emulation in msm_emulate.hpp). Natural order in and out: bit-reversal permutation, then log_n
// decimation-in-time stages. Same transform as ffjavascript's Fr.fft / Fr.ifft and the CPU
// engine: out[k] = sum_j in[j] * w^(jk), w = ROOT^(2^(S - log_n)); the inverse uses w^-1 and
// scales by 1/n. The transform is linear, so it is right for Montgomery and canonical data alike.
#pragma once
#include "gpu_field.cuh"

namespace pmg {

PM_HD uint32_t bitrev32(uint32_t x) {
#if defined(__CUDA_ARCH__)
  return __brev(x);
#else
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  x = ((x >> 8) & 0x00ff00ffu) | ((x & 0x00ff00ffu) << 8);
  return (x >> 16) | (x << 16);
#endif
}

// primitive 2^log_n-th root of unity (Montgomery); inverse = its inverse
template <class FrP>
inline Fp<FrP> root_of_unity(uint32_t log_n, bool inverse) {
  Fp<FrP> w;
  for (int i = 0; i < FrP::N; i++) w.v[i] = FrP::ROOT(i);
  for (int k = FrP::S; k > (int)log_n; k--) w = w.sqr();
  return inverse ? w.inv() : w;
}

// tw[i] = w^i for i < 2^(tw_log-1), where w = root_of_unity(tw_log)
template <class FrP>
PM_HD void twiddle_fill(uint64_t i, Fp<FrP> w, Fp<FrP>* tw) {
  Fp<FrP> r = Fp<FrP>::one(), b = w;
  for (uint64_t e = i; e; e >>= 1) {
    if (e & 1) r = r * b;
    b = b.sqr();
  }
  tw[i] = r;
}

template <class FrP>
PM_HD void ntt_bitrev(uint64_t i, Fp<FrP>* a, uint32_t log_n) {
  if (log_n == 0) return;
  uint32_t j = bitrev32((uint32_t)i) >> (32 - log_n);
  if (i < j) { Fp<FrP> t = a[i]; a[i] = a[j]; a[j] = t; }
}

// butterfly k of stage s (half-size h = 2^s), k < n/2; tw is the table for 2^tw_log >= n
template <class FrP>
PM_HD void ntt_butterfly(uint64_t k, Fp<FrP>* a, uint32_t s, const Fp<FrP>* tw,
                         uint32_t tw_log) {
  uint64_t h = 1ull << s;
  uint64_t pos = k & (h - 1);
  uint64_t i = ((k >> s) << (s + 1)) + pos, j = i + h;
  Fp<FrP> w = tw[pos << (tw_log - s - 1)];
  Fp<FrP> u = a[i], v = a[j] * w;
  a[i] = u + v;
  a[j] = u - v;
}

template <class FrP>
PM_HD void ntt_scale(uint64_t i, Fp<FrP>* a, Fp<FrP> f) { a[i] = a[i] * f; }

}  // namespace pmg

// ---- fused passes: up to 10 stages per pass through shared memory ------------------------------
// A pass does stages [s0, s0 + k) on blocks of 2^(k+t) elements: 2^t groups with consecutive low
// bits (lo_base + g, g < 2^t, so memory accesses come in runs of 2^t elements) times 2^k positions
// j along bits [s0, s0 + k). Local index l = (j << t) | g. t <= s0 (t = 0 on the first pass).
// A thread b < 2^(k+t-1) does one butterfly per stage; stage q < k pairs j's differing in bit q.
namespace pmg {
struct NttPass {
  uint32_t s0, k, t;
};
// plan for 2^log_n: first pass k = min(log_n, 10), t = 0; later passes t = min(3, s0),
// k = min(10 - t, log_n - s0)
inline int ntt_plan(uint32_t log_n, NttPass* out) {
  int np = 0;
  uint32_t s0 = 0;
  while (s0 < log_n) {
    uint32_t t = s0 == 0 ? 0 : (s0 < 3 ? s0 : 3);
    uint32_t k = log_n - s0 < 10 - t ? log_n - s0 : 10 - t;
    out[np++] = {s0, k, t};
    s0 += k;
  }
  return np;
}
// global index of local element l of block bid
PM_HD uint64_t ntt_pass_gidx(uint64_t bid, uint32_t l, NttPass p) {
  uint64_t lo_blocks = (1ull << p.s0) >> p.t;
  uint64_t lo_base = (bid % lo_blocks) << p.t;
  uint64_t hi = (bid / lo_blocks) << (p.s0 + p.k);
  uint64_t j = l >> p.t, g = l & ((1u << p.t) - 1);
  return hi | (j << p.s0) | (lo_base + g);
}
// butterfly b of stage q in the block: local indices l0 < l1 and the twiddle table index
PM_HD void ntt_pass_bfly(uint64_t bid, uint32_t b, uint32_t q, NttPass p, uint32_t tw_log, uint32_t& l0,
                         uint32_t& l1, uint64_t& twi) {
  uint32_t g = b & ((1u << p.t) - 1), bj = b >> p.t;
  uint32_t jlo = bj & ((1u << q) - 1), jhi = bj >> q;
  uint32_t j0 = (jhi << (q + 1)) | jlo;
  l0 = (j0 << p.t) | g;
  l1 = ((j0 | (1u << q)) << p.t) | g;
  uint64_t lo_blocks = (1ull << p.s0) >> p.t;
  uint64_t lo_base = (bid % lo_blocks) << p.t;
  uint32_t s = p.s0 + q;
  uint64_t pos = ((uint64_t)jlo << p.s0) | (lo_base + g);  // index bits below stage s
  twi = pos << (tw_log - s - 1);
}
}  // namespace pmg
