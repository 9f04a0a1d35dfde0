// The GPU MSM algorithm (Pippenger with signed digits), written as per-thread __host__ __device__
// bodies. The kernels in pm_cuda.cu are one-line wrappers that call these with their thread
// index; the host emulation (msm_emulate.hpp) calls the very same functions in loops, with
// std::stable_sort in place of CUB's (stable) radix sort, so the whole plan is tested on the host
// against the CPU engine.
//
// Plan for n points, window c, W windows, B = 2^(c-1) buckets per window, KB = W*B keys:
//  1. digits_count / digits_emit: each scalar -> signed digits d_w in [-B, B]; every non-zero
//     digit emits (key = w*B + |d|-1, val = i | sign<<31). Zero digits (and so zero scalars)
//     emit nothing. An exclusive scan of the counts gives each scalar its output slot.
//  2. sort pairs by key (CUB radix sort, begin_bit 0, end_bit = bits(KB)).
//  3. bucket_ranges: [start, end) of each key in the sorted array.
//  4. task_count + scan + task_make: every bucket is cut into tasks of at most L entries, so a
//     bucket holding half the points (Groth16 witnesses are mostly 0 and 1) is summed by many
//     threads, without atomics. accumulate_affine sums one task (mixed additions of the signed
//     affine points) into an XYZZ partial; the partials stay sorted by key, so steps 3-4 repeat
//     on them (accumulate_xyzz) until no bucket holds more than one partial.
//  5. scatter: the partials land in a dense array sums[KB] (infinity where no entry).
//  6. window reduction sum_{b} (b+1) * S_b, in two parallel levels plus a per-window tail:
//     reduce1 (K1 segments of M1 buckets: running sums), reduce2 (K2 groups of M2 segments),
//     reduce_tail (one thread per window). See the identities at each function.
//  7. combine_windows (host): Horner over windows, c doublings each.
#pragma once
#include "gpu_curve.cuh"

namespace pmg {

struct MsmShape {
  int c = 0;          // window bits
  int W = 0;          // windows
  uint32_t B = 0;     // buckets per window (2^(c-1))
  uint32_t KB = 0;    // W * B
  int key_bits = 0;   // bits to sort
  uint32_t M1 = 0, K1 = 0;  // reduce1: K1 segments of M1 buckets (K1*M1 = B)
  uint32_t M2 = 0, K2 = 0;  // reduce2: K2 groups of M2 segments (K2*M2 = K1)
};

inline int ilog2_ceil(uint64_t x) { int b = 0; while ((1ull << b) < x) b++; return b; }

// Window size. Measured on an H100 80GB HBM3 (bench/results/h100-2026-11-26, `pmtool bench
// --c-sweep`), BN254 G1, kernel time, uniform / witness-like scalars:
//   2^20: c=12 19.1/9.2 ms, c=15 17.3/10.8, c=16 19.2/12.9, c=18 33.8/20.6
//   2^22: c=14 40.8/11.1 ms, c=15 37.7/11.9, c=16 38.7/13.4, c=18 47.6/23.4
//   2^24: c=15 144.5/26.7 ms, c=16 155.0/28.9, c=18 156.6/43.7, c=20 187.5/88.8
// (2^20 and 2^24 from the PM_CUDA_INLINE_MUL build, 2^22 from the default one.) Bigger windows
// stop paying at 15: the bucket reduction grows as 2^c while the sort and accumulation shrink only
// as 1/c, and witness scalars (mostly 0/1) fill few buckets, so they favour smaller c still.
// The earlier rule (lg - 4, capped at 18) was up to 1.6x slower on witness scalars at 2^24.
inline int msm_default_c(uint64_t n, bool g2) {
  int lg = ilog2_ceil(n < 2 ? 2 : n);
  int c = lg - 5;
  if (g2) c -= 1;
  if (c < 4) c = 4;
  if (c > 15) c = 15;
  return c;
}

inline MsmShape msm_shape(int scalar_bits, int c) {
  MsmShape s;
  s.c = c;
  s.W = (scalar_bits + 1 + c - 1) / c;  // signed digits need one extra bit of room
  s.B = 1u << (c - 1);
  s.KB = (uint32_t)s.W * s.B;
  s.key_bits = ilog2_ceil(s.KB);
  s.M1 = s.B < 128 ? s.B : 128;
  s.K1 = s.B / s.M1;
  s.M2 = s.K1 < 16 ? s.K1 : 16;
  s.K2 = s.K1 / s.M2;
  return s;
}

// ---- 1. scalars -> signed digits ----------------------------------------------------------
// Loads scalar i as 8 canonical words in [0, r): Montgomery inputs are converted, canonical
// inputs >= r are reduced (the points have order r, so the result is unchanged).
template <class FrP>
PM_HD void load_scalar(const uint32_t* scalars, uint64_t i, bool mont, uint32_t out[8]) {
  Fp<FrP> s;
  PM_UNROLL for (int k = 0; k < 8; k++) s.v[k] = scalars[i * 8 + k];
  if (mont) {
    s = s.from_mont();
  } else {
    for (int rep = 0; rep < 6 && !s.is_reduced(); rep++) {
      uint32_t br = 0;
      PM_UNROLL for (int k = 0; k < 8; k++) s.v[k] = subb(s.v[k], FrP::P(k), br);
    }
  }
  PM_UNROLL for (int k = 0; k < 8; k++) out[k] = s.v[k];
}

// Input validation, as the CPU engine does it (same messages in pm_cuda.cu): scalars must be below
// r (canonical or Montgomery alike); points must have reduced coordinates and lie on the curve.
template <class FrP>
PM_HD bool scalar_valid(const uint32_t* scalars, uint64_t i) {
  Fp<FrP> s;
  PM_UNROLL for (int k = 0; k < 8; k++) s.v[k] = scalars[i * 8 + k];
  return s.is_reduced();
}
template <class P>
PM_HD bool coords_reduced(const Fp<P>& x) { return x.is_reduced(); }
template <class B>
PM_HD bool coords_reduced(const Fp2<B>& x) { return x.c0.is_reduced() && x.c1.is_reduced(); }
// 0 valid, 1 a coordinate not reduced, 2 not on the curve y^2 = x^3 + b
template <class F>
PM_HD int point_check(const Affine<F>* pts, uint64_t i, F b) {
  Affine<F> p = pts[i];
  if (!coords_reduced(p.x) || !coords_reduced(p.y)) return 1;
  if (p.is_infinity()) return 0;
  return p.y.sqr() == p.x.sqr() * p.x + b ? 0 : 2;
}

PM_HD uint32_t scalar_bits_at(const uint32_t s[8], int lo, int c) {
  if (lo >= 256) return 0;
  int idx = lo >> 5, sh = lo & 31;
  uint64_t v = (uint64_t)s[idx] >> sh;
  if (idx + 1 < 8) v |= (uint64_t)s[idx + 1] << (32 - sh);
  return (uint32_t)(v & ((1ull << c) - 1));
}

// Calls emit(w, digit) for every non-zero signed digit, digit in [-B, B].
template <class Emit>
PM_HD void for_each_digit(const uint32_t s[8], const MsmShape& sh, Emit&& emit) {
  uint32_t carry = 0;
  for (int w = 0; w < sh.W; w++) {
    uint32_t raw = scalar_bits_at(s, w * sh.c, sh.c) + carry;
    int32_t d;
    if (raw > sh.B) { d = (int32_t)raw - (int32_t)(1u << sh.c); carry = 1; }
    else { d = (int32_t)raw; carry = 0; }
    if (d != 0) emit(w, d);
  }
}

template <class FrP>
PM_HD void digits_count(uint64_t i, const uint32_t* scalars, bool mont, MsmShape sh,
                        uint32_t* cnt) {
  uint32_t s[8];
  load_scalar<FrP>(scalars, i, mont, s);
  uint32_t k = 0;
  for_each_digit(s, sh, [&](int, int32_t) { k++; });
  cnt[i] = k;
}

template <class FrP>
PM_HD void digits_emit(uint64_t i, const uint32_t* scalars, bool mont, MsmShape sh,
                       const uint32_t* off, uint32_t* keys, uint32_t* vals) {
  uint32_t s[8];
  load_scalar<FrP>(scalars, i, mont, s);
  uint32_t o = off[i];
  for_each_digit(s, sh, [&](int w, int32_t d) {
    uint32_t mag = d < 0 ? (uint32_t)(-d) : (uint32_t)d;
    keys[o] = (uint32_t)w * sh.B + (mag - 1);
    vals[o] = (uint32_t)i | (d < 0 ? 0x80000000u : 0u);
    o++;
  });
}

// ---- 3. bucket ranges over sorted keys (start/end zeroed beforehand) -------------------------
PM_HD void bucket_ranges(uint64_t i, const uint32_t* keys, uint64_t m, uint32_t* start,
                         uint32_t* end) {
  uint32_t k = keys[i];
  if (i == 0 || keys[i - 1] != k) start[k] = (uint32_t)i;
  if (i + 1 == m || keys[i + 1] != k) end[k] = (uint32_t)(i + 1);
}

// ---- 4. tasks of at most L entries --------------------------------------------------------
// ntasks has KB + 1 entries; the last is 0 so an exclusive scan yields the total at [KB].
PM_HD void task_count(uint64_t k, const uint32_t* start, const uint32_t* end, uint32_t L,
                      uint32_t* ntasks) {
  uint32_t len = end[k] - start[k];
  ntasks[k] = (len + L - 1) / L;
}

// task t belongs to the bucket k with off[k] <= t < off[k+1] (empty buckets have off[k] ==
// off[k+1]): the last k with off[k] <= t.
PM_HD void task_make(uint64_t t, const uint32_t* task_off, uint32_t KB, const uint32_t* start,
                     const uint32_t* end, uint32_t L, uint32_t* tkey, uint32_t* tbeg,
                     uint32_t* tend) {
  uint32_t lo = 0, hi = KB;  // invariant: off[lo] <= t < off[hi]
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (task_off[mid] <= t) lo = mid; else hi = mid;
  }
  uint32_t j = (uint32_t)t - task_off[lo];
  uint32_t b = start[lo] + j * L;
  uint32_t e = b + L < end[lo] ? b + L : end[lo];
  tkey[t] = lo;
  tbeg[t] = b;
  tend[t] = e;
}

template <class F>
PM_HD void accumulate_affine(uint64_t t, const uint32_t* tbeg, const uint32_t* tend,
                             const uint32_t* vals, const Affine<F>* points, Xyzz<F>* out) {
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (uint32_t k = tbeg[t]; k < tend[t]; k++) {
    uint32_t v = vals[k];
    Affine<F> p = points[v & 0x7fffffffu];
    if (v >> 31) p = p.neg();
    acc = acc.add_affine(p);
  }
  out[t] = acc;
}

template <class F>
PM_HD void accumulate_xyzz(uint64_t t, const uint32_t* tbeg, const uint32_t* tend,
                           const Xyzz<F>* in, Xyzz<F>* out) {
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (uint32_t k = tbeg[t]; k < tend[t]; k++) acc = acc.add(in[k]);
  out[t] = acc;
}

// ---- 5. dense bucket sums (sums zeroed = all infinity beforehand) -----------------------------
template <class F>
PM_HD void scatter(uint64_t i, const uint32_t* keys, const Xyzz<F>* partial, Xyzz<F>* sums) {
  sums[keys[i]] = partial[i];
}

// ---- 6. window reduction ------------------------------------------------------------------
// Window w's buckets X_b = sums[w*B + b], b in [0, B), stand for digit b+1:
//   window = sum_b (b+1) X_b.
// reduce1, thread (w, j), j < K1, b = j*M1 + t:
//   sum1_j = sum_t X_b,  acc1_j = sum_t (t+1) X_b   (running sum from t = M1-1 down to 0)
//   => window = sum_j acc1_j + M1 * sum_j j*sum1_j
template <class F>
PM_HD void reduce1(uint64_t idx, const Xyzz<F>* sums, MsmShape sh, Xyzz<F>* acc1,
                   Xyzz<F>* sum1) {
  uint64_t w = idx / sh.K1, j = idx % sh.K1;
  const Xyzz<F>* X = sums + w * sh.B + j * sh.M1;
  Xyzz<F> run = Xyzz<F>::infinity(), acc = Xyzz<F>::infinity();
  for (int64_t t = (int64_t)sh.M1 - 1; t >= 0; t--) {
    run = run.add(X[t]);
    acc = acc.add(run);
  }
  acc1[idx] = acc;
  sum1[idx] = run;
}
// reduce2, thread (w, g), g < K2, j = g*M2 + u:
//   A_g = sum_u acc1_j, S_g = sum_u sum1_j, T_g = sum_u u*sum1_j
//   => sum_j j*sum1_j = sum_g T_g + M2 * sum_g g*S_g
template <class F>
PM_HD void reduce2(uint64_t idx, const Xyzz<F>* acc1, const Xyzz<F>* sum1, MsmShape sh,
                   Xyzz<F>* A, Xyzz<F>* S, Xyzz<F>* T) {
  uint64_t w = idx / sh.K2, g = idx % sh.K2;
  uint64_t base = w * sh.K1 + g * sh.M2;
  Xyzz<F> a = Xyzz<F>::infinity(), run = Xyzz<F>::infinity(), tacc = Xyzz<F>::infinity();
  for (int64_t u = (int64_t)sh.M2 - 1; u >= 1; u--) {
    run = run.add(sum1[base + u]);
    tacc = tacc.add(run);
  }
  run = run.add(sum1[base]);
  for (uint32_t u = 0; u < sh.M2; u++) a = a.add(acc1[base + u]);
  A[idx] = a;
  S[idx] = run;
  T[idx] = tacc;
}
template <class F>
PM_HD Xyzz<F> times_pow2(Xyzz<F> p, uint32_t m) {  // m a power of two
  while (m > 1) { p = p.dbl(); m >>= 1; }
  return p;
}
// reduce_tail, thread w: window = sum_g A_g + M1 * (sum_g T_g + M2 * sum_g g*S_g)
template <class F>
PM_HD void reduce_tail(uint64_t w, const Xyzz<F>* A, const Xyzz<F>* S, const Xyzz<F>* T,
                       MsmShape sh, Xyzz<F>* win) {
  uint64_t base = w * sh.K2;
  Xyzz<F> a = Xyzz<F>::infinity(), t = Xyzz<F>::infinity();
  Xyzz<F> run = Xyzz<F>::infinity(), gacc = Xyzz<F>::infinity();
  for (int64_t g = (int64_t)sh.K2 - 1; g >= 1; g--) {
    run = run.add(S[base + g]);
    gacc = gacc.add(run);
  }
  for (uint32_t g = 0; g < sh.K2; g++) {
    a = a.add(A[base + g]);
    t = t.add(T[base + g]);
  }
  Xyzz<F> inner = t.add(times_pow2(gacc, sh.M2));
  win[w] = a.add(times_pow2(inner, sh.M1));
}

// ---- 7. windows -> result (host) --------------------------------------------------------------
template <class F>
inline Xyzz<F> combine_windows(const Xyzz<F>* win, MsmShape sh) {
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (int w = sh.W - 1; w >= 0; w--) {
    if (w != sh.W - 1)
      for (int k = 0; k < sh.c; k++) acc = acc.dbl();
    acc = acc.add(win[w]);
  }
  return acc;
}

}  // namespace pmg
