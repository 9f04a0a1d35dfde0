// Number-theoretic transform over Fr, the same transform as ffjavascript's Fr.fft / Fr.ifft:
//   forward:  out[k] = sum_j in[j] * w^(j k),   w = Fr.w[log_n] (C::root_of_unity(log_n))
//   inverse:  out[j] = (1/n) sum_k in[k] * w^(-j k)
// Natural order in and out. Iterative radix-2 decimation in time after a bit-reversal
// permutation, with a precomputed twiddle table. The first stages run block by block (each block
// fits in cache and is one parallel task), the later stages split the butterflies of each stage
// over the threads.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "util/parallel.hpp"
#include "util/status.hpp"

namespace pm {

namespace ntt_detail {

inline uint32_t bit_reverse(uint32_t x, uint32_t log_n) {
  x = ((x & 0x55555555u) << 1) | ((x >> 1) & 0x55555555u);
  x = ((x & 0x33333333u) << 2) | ((x >> 2) & 0x33333333u);
  x = ((x & 0x0f0f0f0fu) << 4) | ((x >> 4) & 0x0f0f0f0fu);
  x = ((x & 0x00ff00ffu) << 8) | ((x >> 8) & 0x00ff00ffu);
  x = (x << 16) | (x >> 16);
  return log_n == 0 ? 0 : x >> (32 - log_n);
}

// tw[i] = w^i for i in [0, half)
template <class Fr>
void powers(std::vector<Fr>& tw, const Fr& w, size_t half, int threads) {
  tw.resize(half);
  parallel_for(0, half, threads, [&](size_t lo, size_t hi) {
    Fr x = w.pow_u64(lo);
    for (size_t i = lo; i < hi; i++) {
      tw[i] = x;
      x *= w;
    }
  });
}

// Stages with butterflies of span 'half' = 1, 2, 4, ... < stop_half, applied inside block
// [lo, lo + block).
// st[half + j] = tw[j * n / (2 half)] for every stage span half (a power of two) and j < half:
// each stage reads its twiddles contiguously instead of with a cache-hostile stride.
template <class Fr>
void stage_twiddles(std::vector<Fr>& st, const std::vector<Fr>& tw, size_t n, int threads) {
  st.resize(n);
  for (size_t half = 1; half < n; half <<= 1) {
    size_t step = n / (2 * half);
    parallel_for(0, half, half >= 4096 ? threads : 1, [&](size_t lo, size_t hi) {
      for (size_t j = lo; j < hi; j++) st[half + j] = tw[j * step];
    });
  }
}

// st: stage-major twiddles (see stage_twiddles).
template <class Fr>
void stages_in_block(Fr* a, size_t lo, size_t block, const Fr* st, size_t stop_half) {
  if (stop_half > 1)  // first stage: every twiddle is 1
    for (size_t s = lo; s + 1 < lo + block; s += 2) {
      Fr t = a[s + 1];
      a[s + 1] = a[s] - t;
      a[s] = a[s] + t;
    }
  for (size_t half = 2; half < stop_half; half <<= 1) {
    size_t len = half << 1;
    const Fr* w = st + half;
    for (size_t s = lo; s < lo + block; s += len) {
      Fr* x = a + s;
      Fr* y = a + s + half;
      for (size_t j = 0; j < half; j++) {
        Fr t = y[j] * w[j];
        y[j] = x[j] - t;
        x[j] = x[j] + t;
      }
    }
  }
}

}  // namespace ntt_detail

// ffjavascript's Fr.w[k]: a primitive 2^k-th root of unity of the field Fr.
template <class Fr>
Fr root_of_unity(int k) {
  Fr w = Fr::from_limbs(Fr::Params::ROOT_OF_UNITY);
  for (int i = Fr::Params::TWO_ADICITY; i > k; i--) w = w.sqr();
  return w;
}

// In place on 2^log_n elements; log_n <= Fr's 2-adicity.
template <class Fr>
void ntt(Fr* data, uint32_t log_n, bool inverse, int threads) {
  if ((int)log_n > Fr::Params::TWO_ADICITY)
    fail(PM_ERR_INVALID_ARGUMENT, "NTT size 2^%u exceeds the 2-adicity 2^%d of %s", log_n,
         Fr::Params::TWO_ADICITY, Fr::Params::NAME);
  if (log_n > 30) fail(PM_ERR_INVALID_ARGUMENT, "NTT size 2^%u is too large", log_n);
  threads = resolve_threads(threads);
  const size_t n = (size_t)1 << log_n;
  if (n == 1) return;

  Fr w = root_of_unity<Fr>((int)log_n);
  if (inverse) w = w.inv();
  std::vector<Fr> tw, st;
  ntt_detail::powers(tw, w, n / 2, threads);
  ntt_detail::stage_twiddles(st, tw, n, threads);
  std::vector<Fr>().swap(tw);

  // bit-reversal permutation
  parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; i++) {
      size_t j = ntt_detail::bit_reverse((uint32_t)i, log_n);
      if (i < j) std::swap(data[i], data[j]);
    }
  });

  // stages inside cache-sized blocks (2^12 elements = 128 KiB)
  const size_t block = std::min<size_t>(n, (size_t)1 << 12);
  parallel_for(0, n / block, threads, [&](size_t lo, size_t hi) {
    for (size_t b = lo; b < hi; b++)
      ntt_detail::stages_in_block(data, b * block, block, st.data(), block);
  });
  // remaining stages, butterflies split over threads
  for (size_t half = block; half < n; half <<= 1) {
    size_t len = half << 1;
    const Fr* tws = st.data() + half;
    parallel_for(0, n / 2, threads, [&](size_t lo, size_t hi) {
      size_t blk = lo / half, j = lo % half;  // one division per chunk, not per butterfly
      for (size_t bf = lo; bf < hi; bf++) {
        Fr* x = data + blk * len + j;
        Fr* y = x + half;
        Fr t = *y * tws[j];
        *y = *x - t;
        *x = *x + t;
        if (++j == half) j = 0, blk++;
      }
    });
  }

  if (inverse) {
    Fr ninv = Fr::from_u64(n).inv();
    parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; i++) data[i] *= ninv;
    });
  }
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
