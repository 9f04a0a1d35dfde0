// Host emulation of the GPU MSM and NTT: the same per-thread functions the kernels run, called in
// loops, with std::stable_sort in place of cub::DeviceRadixSort::SortPairs (also stable) and a
// plain exclusive scan in place of cub::DeviceScan. Used by native/cuda/test to check the whole
// GPU plan against the CPU engine without a card. Mirrors pm_cuda.cu step for step: keep the two
// in sync.
#pragma once
#include <algorithm>
#include <numeric>
#include <vector>
#include "gpu_msm.cuh"
#include "gpu_ntt.cuh"

namespace pmg {

struct EmuStats { uint64_t pairs = 0; int levels = 0; uint64_t tasks0 = 0; };

inline void exclusive_scan_u32(const std::vector<uint32_t>& in, std::vector<uint32_t>& out) {
  out.resize(in.size());
  uint32_t acc = 0;
  for (size_t i = 0; i < in.size(); i++) { out[i] = acc; acc += in[i]; }
}

// Steps 3-4 of the plan on a sorted key array: returns the tasks.
inline void emu_tasks(const std::vector<uint32_t>& keys, uint32_t KB, uint32_t L,
                      std::vector<uint32_t>& tkey, std::vector<uint32_t>& tbeg,
                      std::vector<uint32_t>& tend) {
  std::vector<uint32_t> start(KB, 0), end(KB, 0), ntasks(KB + 1, 0), off;
  for (uint64_t i = 0; i < keys.size(); i++) bucket_ranges(i, keys.data(), keys.size(), start.data(), end.data());
  for (uint64_t k = 0; k < KB; k++) task_count(k, start.data(), end.data(), L, ntasks.data());
  exclusive_scan_u32(ntasks, off);
  uint32_t T = off[KB];
  tkey.assign(T, 0); tbeg.assign(T, 0); tend.assign(T, 0);
  for (uint64_t t = 0; t < T; t++)
    task_make(t, off.data(), KB, start.data(), end.data(), L, tkey.data(), tbeg.data(), tend.data());
}

template <class F, class FrP>
Xyzz<F> msm_emulate(const Affine<F>* points, const uint32_t* scalars, uint64_t n, bool mont,
                    int c, uint32_t L0, uint32_t L1, EmuStats* stats = nullptr) {
  MsmShape sh = msm_shape(FrP::BITS, c);
  std::vector<uint32_t> cnt(n), off;
  for (uint64_t i = 0; i < n; i++) digits_count<FrP>(i, scalars, mont, sh, cnt.data());
  exclusive_scan_u32(cnt, off);
  uint64_t M = n ? (uint64_t)off[n - 1] + cnt[n - 1] : 0;
  std::vector<uint32_t> keys(M), vals(M);
  for (uint64_t i = 0; i < n; i++) digits_emit<FrP>(i, scalars, mont, sh, off.data(), keys.data(), vals.data());
  // sort pairs by key, stable (as CUB's radix sort)
  std::vector<uint32_t> perm(M);
  std::iota(perm.begin(), perm.end(), 0u);
  std::stable_sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) { return keys[a] < keys[b]; });
  std::vector<uint32_t> sk(M), sv(M);
  for (uint64_t i = 0; i < M; i++) { sk[i] = keys[perm[i]]; sv[i] = vals[perm[i]]; }

  std::vector<uint32_t> tkey, tbeg, tend;
  emu_tasks(sk, sh.KB, L0, tkey, tbeg, tend);
  std::vector<Xyzz<F>> part(tkey.size());
  for (uint64_t t = 0; t < tkey.size(); t++) accumulate_affine<F>(t, tbeg.data(), tend.data(), sv.data(), points, part.data());
  if (stats) { stats->pairs = M; stats->tasks0 = tkey.size(); stats->levels = 1; }
  std::vector<uint32_t> pkeys = tkey;
  for (;;) {
    emu_tasks(pkeys, sh.KB, L1, tkey, tbeg, tend);
    if (tkey.size() == pkeys.size()) break;
    std::vector<Xyzz<F>> next(tkey.size());
    for (uint64_t t = 0; t < tkey.size(); t++) accumulate_xyzz<F>(t, tbeg.data(), tend.data(), part.data(), next.data());
    part.swap(next);
    pkeys = tkey;
    if (stats) stats->levels++;
  }
  std::vector<Xyzz<F>> sums(sh.KB, Xyzz<F>::infinity());
  for (uint64_t i = 0; i < pkeys.size(); i++) scatter<F>(i, pkeys.data(), part.data(), sums.data());
  std::vector<Xyzz<F>> acc1((size_t)sh.W * sh.K1), sum1(acc1.size());
  for (uint64_t i = 0; i < acc1.size(); i++) reduce1<F>(i, sums.data(), sh, acc1.data(), sum1.data());
  std::vector<Xyzz<F>> A((size_t)sh.W * sh.K2), S(A.size()), T(A.size()), win(sh.W);
  for (uint64_t i = 0; i < A.size(); i++) reduce2<F>(i, acc1.data(), sum1.data(), sh, A.data(), S.data(), T.data());
  for (int w = 0; w < sh.W; w++) reduce_tail<F>(w, A.data(), S.data(), T.data(), sh, win.data());
  return combine_windows<F>(win.data(), sh);
}

// fused-pass version (what pm_cuda.cu runs unless PM_CUDA_NTT_SIMPLE=1)
template <class FrP>
void ntt_emulate_fused(Fp<FrP>* a, uint32_t log_n, bool inverse) {
  uint64_t n = 1ull << log_n;
  if (log_n == 0) return;
  std::vector<Fp<FrP>> tw(n / 2);
  Fp<FrP> w = root_of_unity<FrP>(log_n, inverse);
  for (uint64_t i = 0; i < n / 2; i++) twiddle_fill<FrP>(i, w, tw.data());
  for (uint64_t i = 0; i < n; i++) ntt_bitrev<FrP>(i, a, log_n);
  NttPass plan[32];
  int np = ntt_plan(log_n, plan);
  for (int pi = 0; pi < np; pi++) {
    NttPass p = plan[pi];
    uint32_t L = 1u << (p.k + p.t);
    uint64_t nblocks = n / L;
    std::vector<Fp<FrP>> sh(L);
    for (uint64_t bid = 0; bid < nblocks; bid++) {
      for (uint32_t l = 0; l < L; l++) sh[l] = a[ntt_pass_gidx(bid, l, p)];
      for (uint32_t q = 0; q < p.k; q++)
        for (uint32_t b = 0; b < L / 2; b++) {
          uint32_t l0, l1;
          uint64_t twi;
          ntt_pass_bfly(bid, b, q, p, log_n, l0, l1, twi);
          Fp<FrP> u = sh[l0], v = sh[l1] * tw[twi];
          sh[l0] = u + v;
          sh[l1] = u - v;
        }
      for (uint32_t l = 0; l < L; l++) a[ntt_pass_gidx(bid, l, p)] = sh[l];
    }
  }
  if (inverse) {
    Fp<FrP> ninv = Fp<FrP>::zero();
    ninv.v[0] = (uint32_t)n;
    ninv = ninv.to_mont().inv();
    for (uint64_t i = 0; i < n; i++) ntt_scale<FrP>(i, a, ninv);
  }
}

template <class FrP>
void ntt_emulate(Fp<FrP>* a, uint32_t log_n, bool inverse) {
  uint64_t n = 1ull << log_n;
  if (log_n == 0) return;
  std::vector<Fp<FrP>> tw(n / 2);
  Fp<FrP> w = root_of_unity<FrP>(log_n, inverse);
  for (uint64_t i = 0; i < n / 2; i++) twiddle_fill<FrP>(i, w, tw.data());
  for (uint64_t i = 0; i < n; i++) ntt_bitrev<FrP>(i, a, log_n);
  for (uint32_t s = 0; s < log_n; s++)
    for (uint64_t k = 0; k < n / 2; k++) ntt_butterfly<FrP>(k, a, s, tw.data(), log_n);
  if (inverse) {
    Fp<FrP> ninv = Fp<FrP>::zero();
    ninv.v[0] = (uint32_t)n;  // n < 2^32
    if (log_n == 32) { ninv.v[0] = 0; ninv.v[1] = 1; }
    ninv = ninv.to_mont().inv();
    for (uint64_t i = 0; i < n; i++) ntt_scale<FrP>(i, a, ninv);
  }
}

}  // namespace pmg
