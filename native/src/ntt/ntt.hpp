// Number-theoretic transform over Fr, the same transform as ffjavascript's Fr.fft / Fr.ifft:
//   forward:  out[k] = sum_j in[j] * w^(j k),   w = Fr.w[log_n] (C::root_of_unity(log_n))
//   inverse:  out[j] = (1/n) sum_k in[k] * w^(-j k)
//
// Building blocks (n = 2^log_n, a stage of span h = 2^s pairs elements i and i + h):
//  - forward decimation in time (DIT): bit-reversed in, natural out, stages s = 0, 1, ...;
//  - inverse decimation in frequency (DIF): natural in, bit-reversed out, stages s = log_n-1 ... 0.
// One twiddle table serves both: st[h + j] = w_2h^j for every span h < n and j < h (stage-major,
// so every stage reads its twiddles contiguously); the inverse twiddle is w_2h^-j = -st[2h - j].
// The table of a size is a prefix of the table of any larger size.
// The small stages (span < block, 2^14 elements = 512 KiB) run block by block, each block one
// parallel task that stays in L2; the large stages run k at a time (radix 2^k passes): each
// pass loads 2^k elements at stride 2^s0, does its k stages on them in registers and stores them
// back, so a 2^20 transform makes 2 passes over memory for its 6 large stages instead of 6.
//
// ntt() (natural order both ways) permutes by bit reversal. coset_evaluations(), the Groth16
// H step, needs no permutation at all: DIF inverse, then per block the coefficient scaling by
// g^i / n fused between the last inverse and the first forward stages, then DIT forward.
#pragma once
#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "util/parallel.hpp"
#include "util/status.hpp"

namespace pm {

// ffjavascript's Fr.w[k]: a primitive 2^k-th root of unity of the field Fr.
template <class Fr>
Fr root_of_unity(int k) {
  Fr w = Fr::from_limbs(Fr::Params::ROOT_OF_UNITY);
  for (int i = Fr::Params::TWO_ADICITY; i > k; i--) w = w.sqr();
  return w;
}

namespace ntt_detail {

inline uint32_t bit_reverse(uint32_t x, uint32_t log_n) {
  x = ((x & 0x55555555u) << 1) | ((x >> 1) & 0x55555555u);
  x = ((x & 0x33333333u) << 2) | ((x >> 2) & 0x33333333u);
  x = ((x & 0x0f0f0f0fu) << 4) | ((x >> 4) & 0x0f0f0f0fu);
  x = ((x & 0x00ff00ffu) << 8) | ((x >> 8) & 0x00ff00ffu);
  x = (x << 16) | (x >> 16);
  return log_n == 0 ? 0 : x >> (32 - log_n);
}

// Largest number of stages one pass over memory does (2^kMaxRadixLog elements in registers).
constexpr uint32_t kMaxRadixLog = 4;

inline void check_size(uint32_t log_n, int two_adicity, const char* field) {
  if ((int)log_n > two_adicity)
    fail(PM_ERR_INVALID_ARGUMENT, "NTT size 2^%u exceeds the 2-adicity 2^%d of %s", log_n, two_adicity, field);
  if (log_n > 30) fail(PM_ERR_INVALID_ARGUMENT, "NTT size 2^%u is too large", log_n);
}

// log2 of the block the small stages run in: 2^14 elements (512 KiB: on a 2-core EPYC with 1 MiB
// of L2 per core, a 2^20 H step took 2% / 5% less CPU than with 2^13 / 2^12), smaller when that
// would leave fewer than 4 blocks per thread (small transforms still use every thread).
inline uint32_t block_log(uint32_t log_n, int threads) {
  uint32_t b = std::min<uint32_t>(log_n, 14);
  while (b > 6 && ((size_t)1 << (log_n - b)) < 4 * (size_t)threads) b--;
  return b;
}

}  // namespace ntt_detail

// The twiddle table of one transform size (see the top of this file): st[h + j] = w_2h^j for
// h = 1, 2, 4, ... < n and j < h; st[0] is unused. n elements; built with n/2 products.
template <class Fr>
struct NttTwiddles {
  uint32_t log_n = 0;
  std::vector<Fr> st;

  NttTwiddles(uint32_t log_n_, int threads) : log_n(log_n_) {
    ntt_detail::check_size(log_n, Fr::Params::TWO_ADICITY, Fr::Params::NAME);
    threads = resolve_threads(threads);
    const size_t n = (size_t)1 << log_n;
    st.resize(std::max<size_t>(n, 2));
    if (n < 2) return;
    const size_t half = n / 2;
    const Fr w = root_of_unity<Fr>((int)log_n);
    parallel_for(0, half, half >= 4096 ? threads : 1, [&](size_t lo, size_t hi) {
      Fr x = w.pow_u64(lo);
      for (size_t j = lo; j < hi; j++) {
        st[half + j] = x;
        x *= w;
      }
    });
    for (size_t h = half / 2; h >= 1; h >>= 1)  // w_2h^j = w_4h^(2j)
      parallel_for(0, h, h >= 4096 ? threads : 1, [&](size_t lo, size_t hi) {
        for (size_t j = lo; j < hi; j++) st[h + j] = st[2 * h + 2 * j];
      });
  }
};

namespace ntt_detail {

// Forward DIT butterfly of span h at offset j (j < h): (x, y) -> (x + w y, x - w y).
template <class Fr>
PM_INLINE void dit(Fr& x, Fr& y, const Fr& w) {
  Fr t = y * w;
  y = x - t;
  x = x + t;
}
// Inverse DIF butterfly of span h at offset j: (x, y) -> (x + y, (x - y) w_2h^-j), where
// w_2h^-j = -st[2h - j] for j > 0 and 1 for j = 0.
template <class Fr>
PM_INLINE void dif_inv(Fr& x, Fr& y, const Fr* st, size_t h, size_t j) {
  Fr s = x + y;
  y = j == 0 ? x - y : (y - x) * st[2 * h - j];
  x = s;
}

// Forward DIT stages s = s_lo .. s_hi-1 inside block [lo, lo + 2^s_hi) of a.
template <class Fr>
void dit_block(Fr* a, size_t lo, uint32_t s_lo, uint32_t s_hi, const Fr* st) {
  const size_t block = (size_t)1 << s_hi;
  uint32_t s = s_lo;
  if (s == 0 && s_hi > 0) {  // span 1: every twiddle is 1
    for (size_t i = lo; i < lo + block; i += 2) {
      Fr t = a[i + 1];
      a[i + 1] = a[i] - t;
      a[i] = a[i] + t;
    }
    s = 1;
  }
  for (; s < s_hi; s++) {
    const size_t h = (size_t)1 << s;
    const Fr* w = st + h;
    for (size_t b = lo; b < lo + block; b += 2 * h) {
      Fr* x = a + b;
      Fr* y = x + h;
      for (size_t j = 0; j < h; j++) dit(x[j], y[j], w[j]);
    }
  }
}

// Inverse DIF stages s = s_hi-1 down to s_lo inside block [lo, lo + 2^s_hi) of a.
template <class Fr>
void dif_inv_block(Fr* a, size_t lo, uint32_t s_lo, uint32_t s_hi, const Fr* st) {
  const size_t block = (size_t)1 << s_hi;
  for (uint32_t s = s_hi; s-- > std::max<uint32_t>(s_lo, 1);) {
    const size_t h = (size_t)1 << s;
    const Fr* w = st + 2 * h;  // w_2h^-j = -w[-j]
    for (size_t b = lo; b < lo + block; b += 2 * h) {
      Fr* x = a + b;
      Fr* y = x + h;
      {
        Fr t = x[0];
        x[0] = t + y[0];
        y[0] = t - y[0];
      }
      for (size_t j = 1; j < h; j++) {
        Fr t = x[j];
        x[j] = t + y[j];
        y[j] = (y[j] - t) * *(w - j);
      }
    }
  }
  if (s_lo == 0 && s_hi > 0)
    for (size_t i = lo; i < lo + block; i += 2) {
      Fr t = a[i];
      a[i] = t + a[i + 1];
      a[i + 1] = t - a[i + 1];
    }
}

// Stages s0 .. s0+K-1 over all of a (2^log_n elements) in one pass: every group
// a[hi * 2^(s0+K) + m * 2^s0 + lo], m < 2^K, is loaded, transformed and stored back (K is a
// template argument so the group stays in registers and the loops unroll). Forward DIT runs the
// stages upwards, inverse DIF downwards. The next groups' lines are prefetched: the 2^K strided
// streams are more than the hardware prefetcher follows.
template <class Fr, bool Inverse, uint32_t K>
void radix_pass(Fr* a, uint32_t log_n, uint32_t s0, const Fr* st, int threads) {
  constexpr size_t M = (size_t)1 << K;
  const size_t groups = (size_t)1 << (log_n - K), lo_mask = ((size_t)1 << s0) - 1;
  const size_t stride = (size_t)1 << s0;
  parallel_for(0, groups, threads, [&](size_t g_lo, size_t g_hi) {
    Fr x[M];
    for (size_t g = g_lo; g < g_hi; g++) {
      const size_t lo = g & lo_mask;
      Fr* base = a + ((g >> s0) << (s0 + K)) + lo;
      if ((lo & 1) == 0 && lo + 8 < stride)
        for (size_t m = 0; m < M; m++) __builtin_prefetch(base + m * stride + 8, 1);
      for (size_t m = 0; m < M; m++) x[m] = base[m * stride];
      for (uint32_t i = 0; i < K; i++) {
        const uint32_t t = Inverse ? K - 1 - i : i;  // in-group span 2^t, stage s0 + t
        const size_t span = (size_t)1 << t, h = (size_t)1 << (s0 + t);
        for (size_t m = 0; m < M; m++) {
          if (m & span) continue;
          const size_t j = ((m & (span - 1)) << s0) + lo;
          if (Inverse)
            dif_inv(x[m], x[m + span], st, h, j);
          else
            dit(x[m], x[m + span], st[h + j]);
        }
      }
      for (size_t m = 0; m < M; m++) base[m * stride] = x[m];
    }
  });
}

template <class Fr, bool Inverse>
void radix_pass(Fr* a, uint32_t log_n, uint32_t s0, uint32_t k, const Fr* st, int threads) {
  static_assert(kMaxRadixLog == 4, "one case per pass size");
  switch (k) {
    case 1: return radix_pass<Fr, Inverse, 1>(a, log_n, s0, st, threads);
    case 2: return radix_pass<Fr, Inverse, 2>(a, log_n, s0, st, threads);
    case 3: return radix_pass<Fr, Inverse, 3>(a, log_n, s0, st, threads);
    default: return radix_pass<Fr, Inverse, 4>(a, log_n, s0, st, threads);
  }
}

// The stages s_lo .. log_n-1 in passes of at most kMaxRadixLog stages, as even as possible.
template <class Fr, bool Inverse>
void large_stages(Fr* a, uint32_t log_n, uint32_t s_lo, const Fr* st, int threads) {
  if (s_lo >= log_n) return;
  const uint32_t count = log_n - s_lo;
  const uint32_t passes = (count + kMaxRadixLog - 1) / kMaxRadixLog;
  std::vector<std::pair<uint32_t, uint32_t>> plan;  // (s0, k), upwards
  uint32_t s = s_lo;
  for (uint32_t p = 0; p < passes; p++) {
    uint32_t k = (count - (s - s_lo) + (passes - p) - 1) / (passes - p);
    plan.push_back({s, k});
    s += k;
  }
  if (Inverse) std::reverse(plan.begin(), plan.end());
  for (auto& pk : plan) radix_pass<Fr, Inverse>(a, log_n, pk.first, pk.second, st, threads);
}

template <class Fr>
void bit_reverse_permute(Fr* data, uint32_t log_n, int threads) {
  const size_t n = (size_t)1 << log_n;
  parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; i++) {
      size_t j = bit_reverse((uint32_t)i, log_n);
      if (i < j) std::swap(data[i], data[j]);
    }
  });
}

}  // namespace ntt_detail

// In place on 2^log_n elements, natural order in and out, with a prepared twiddle table of the
// same or a larger size.
template <class Fr>
void ntt(Fr* data, uint32_t log_n, bool inverse, int threads, const NttTwiddles<Fr>& tw) {
  using namespace ntt_detail;
  check_size(log_n, Fr::Params::TWO_ADICITY, Fr::Params::NAME);
  if (tw.log_n < log_n) fail(PM_ERR_INTERNAL, "NTT twiddles of 2^%u for a 2^%u transform", tw.log_n, log_n);
  threads = resolve_threads(threads);
  const size_t n = (size_t)1 << log_n;
  if (n == 1) return;
  const Fr* st = tw.st.data();
  const uint32_t bl = block_log(log_n, threads);
  const size_t block = (size_t)1 << bl;
  if (!inverse) {
    bit_reverse_permute(data, log_n, threads);
    parallel_for(0, n / block, threads, [&](size_t lo, size_t hi) {
      for (size_t b = lo; b < hi; b++) dit_block(data, b * block, 0, bl, st);
    });
    large_stages<Fr, false>(data, log_n, bl, st, threads);
    return;
  }
  large_stages<Fr, true>(data, log_n, bl, st, threads);
  const Fr ninv = Fr::from_u64(n).inv();
  parallel_for(0, n / block, threads, [&](size_t lo, size_t hi) {
    for (size_t b = lo; b < hi; b++) {
      dif_inv_block(data, b * block, 0, bl, st);
      for (size_t i = b * block; i < (b + 1) * block; i++) data[i] *= ninv;
    }
  });
  bit_reverse_permute(data, log_n, threads);
}

// In place on 2^log_n elements; log_n <= Fr's 2-adicity.
template <class Fr>
void ntt(Fr* data, uint32_t log_n, bool inverse, int threads) {
  ntt_detail::check_size(log_n, Fr::Params::TWO_ADICITY, Fr::Params::NAME);
  if (log_n == 0) return;
  NttTwiddles<Fr> tw(log_n, threads);
  ntt(data, log_n, inverse, threads, tw);
}

// The Groth16 H step for one polynomial: data holds its evaluations on the domain <w> of
// 2^log_n points (natural order); afterwards it holds its evaluations on the coset g<w>
// (natural order), i.e. NTT(coset_shift(iNTT(data), g)) -- with no bit-reversal permutation
// and no separate passes for the 1/n scaling and the shift (see the top of this file).
template <class Fr>
void coset_evaluations(Fr* data, uint32_t log_n, const Fr& g, int threads, const NttTwiddles<Fr>& tw) {
  using namespace ntt_detail;
  check_size(log_n, Fr::Params::TWO_ADICITY, Fr::Params::NAME);
  if (tw.log_n < log_n) fail(PM_ERR_INTERNAL, "NTT twiddles of 2^%u for a 2^%u transform", tw.log_n, log_n);
  threads = resolve_threads(threads);
  const size_t n = (size_t)1 << log_n;
  const Fr* st = tw.st.data();
  const uint32_t bl = block_log(log_n, threads);
  const size_t block = (size_t)1 << bl;
  large_stages<Fr, true>(data, log_n, bl, st, threads);
  // After the inverse DIF, position b*block + t holds n * coefficient bitrev(b*block + t), and
  // bitrev_L(b*block + t) = bitrev_bl(t) * 2^(L-bl) + bitrev_(L-bl)(b): the factor g^i / n is
  // (g^bitrev(b) / n) * (g^(2^(L-bl)))^bitrev_bl(t), a per-block constant times a table of
  // one block.
  std::vector<Fr> inner(block);
  {
    Fr gb = g;
    for (uint32_t i = bl; i < log_n; i++) gb = gb.sqr();
    Fr x = Fr::one();
    for (size_t t = 0; t < block; t++) {
      inner[bit_reverse((uint32_t)t, bl)] = x;
      x *= gb;
    }
  }
  const Fr ninv = Fr::from_u64(n).inv();
  parallel_for(0, n / block, threads, [&](size_t lo, size_t hi) {
    for (size_t b = lo; b < hi; b++) {
      const size_t off = b * block;
      dif_inv_block(data, off, 0, bl, st);
      const Fr outer = g.pow_u64(bit_reverse((uint32_t)b, log_n - bl)) * ninv;
      for (size_t t = 0; t < block; t++) data[off + t] *= outer * inner[t];
      dit_block(data, off, 0, bl, st);
    }
  });
  large_stages<Fr, false>(data, log_n, bl, st, threads);
}

// data[i] *= g^i for i in [0, n)
template <class Fr>
void coset_shift(Fr* data, size_t n, const Fr& g, int threads) {
  parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
    Fr x = g.pow_u64(lo);
    for (size_t i = lo; i < hi; i++) {
      data[i] *= x;
      x *= g;
    }
  });
}

// Reference O(n^2) DFT, for tests.
template <class Fr>
std::vector<Fr> dft_naive(const Fr* in, uint32_t log_n, bool inverse) {
  size_t n = (size_t)1 << log_n;
  Fr w = root_of_unity<Fr>((int)log_n);
  if (inverse) w = w.inv();
  std::vector<Fr> out(n, Fr::zero());
  Fr wk = Fr::one();
  for (size_t k = 0; k < n; k++) {
    Fr x = Fr::one(), acc = Fr::zero();
    for (size_t j = 0; j < n; j++) {
      acc += in[j] * x;
      x *= wk;
    }
    out[k] = acc;
    wk *= w;
  }
  if (inverse) {
    Fr ninv = Fr::from_u64(n).inv();
    for (auto& v : out) v *= ninv;
  }
  return out;
}

}  // namespace pm
