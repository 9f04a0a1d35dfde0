// The batch-affine bucket additions of msm/msm.hpp (BatchAdder::flush) for points over a prime
// field, 8 at a time with AVX-512 IFMA (ff/ifma.hpp). Used only where ifma::available().
//
// For m queued additions bucket[pb[k]] += pp[k] with slope denominators den[k] (all nonzero):
//  - the entries are dealt to 8 lanes, entry k = 8 g + l to lane l, so lane l runs its own
//    Montgomery batch inversion over entries l, l + 8, ... (8 independent product chains in one
//    vector chain); the 8 chain totals are inverted together by the scalar code (one inversion);
//  - the backward pass gives each group of 8 its inverses, then lambda = (y2 - y1) / (x2 - x1),
//    x3 = lambda^2 - x1 - x2, y3 = lambda (x1 - x3) - y1, all in vectors; results are reduced to
//    canonical form and written back as 64-bit limbs (the buckets never change representation:
//    the 52-bit form lives only in this batch's scratch, 8 N words per entry);
//  - doublings (kind 1: den = 2y, lambda = 3x^2 / 2y) are rare: their lanes get the inverse
//    written back to den[k] and are applied by the caller's scalar code (kind[k] stays 1).
// The results are byte-identical to the scalar path: both compute the same canonical values.
#pragma once
#include <cstdint>
#include <vector>

#include "ff/fp.hpp"
#include "ff/fp2.hpp"
#include "ff/ifma.hpp"

#ifdef PM_HAVE_IFMA
namespace pm {
namespace ifma {

// Which bucket fields have an IFMA path: Fp<P> (G1, one component) and Fp2 over Fp<P> with
// u^2 = -1 (G2 of both curves, two components).
template <class F>
struct Width {
  static constexpr int W = 0;
};
template <class P>
struct Width<Fp<P>> {
  static constexpr int W = 1;
  using Params = P;
};
template <class P>
struct Width<Fp2<Fp<P>, NrMinusOne>> {
  static constexpr int W = 2;
  using Params = P;
};

#pragma GCC push_options
#pragma GCC target("avx512f,avx512ifma,avx512vl,avx512dq,avx512bw")

// W = 1: den itself (S-shifted from memory) is the chain value. W = 2: the chains run over the
// norms n = d0^2 + d1^2 in F_p (1/d = (d0 - d1 u) / n), kept in scratch between the passes.
template <class P, int W, class Aff>
PM_IFMA_NOINLINE void batch_add(Aff* buckets, const uint32_t* pb, const Aff* pp, typename Aff::Field* den,
                                const uint8_t* kind, size_t m, std::vector<uint64_t>& work) {
  using V = V8;
  using T = V::T;
  using Fq = Fp<P>;
  using F = typename Aff::Field;
  constexpr int L = V::L, M = P::N, N = Radix52<P>::N, S = Radix52<P>::S, WM = W * M;
  static_assert(sizeof(F) == WM * sizeof(uint64_t) && sizeof(Aff) == 2 * sizeof(F), "limbs only");
  Field52<V, P> f;
  f.init();
  const size_t groups = (m + L - 1) / L;
  // scratch: the prefix products, and (W = 2) the norms; 52-bit, N vectors per group each
  work.resize(groups * N * L * (W == 2 ? 2 : 1));
  uint64_t* prefix = work.data();
  uint64_t* norms = prefix + groups * N * L;

  uint64_t pad[WM] = {};  // den of the lanes past m: one
  for (int q = 0; q < M; q++) pad[q] = P::ONE[q];
  alignas(64) uint64_t tmp[5][WM][L];  // AoS -> SoA staging: den, x1, y1, x2, y2; results
  auto limbs = [](const F& e) { return reinterpret_cast<const uint64_t*>(&e); };
  // component c of staging slot s as 52-bit limbs, S-shifted or not
  auto conv = [&](int s, int c, T* out, bool shifted) {
    T w[M];
    for (int q = 0; q < M; q++) w[q] = V::load(tmp[s][c * M + q]);
    if (shifted)
      f.template from64<S>(out, w);
    else
      f.template from64<0>(out, w);
  };
  auto stage_den = [&](size_t g) {
    for (int l = 0; l < L; l++) {
      const size_t k = g * L + (size_t)l;
      const uint64_t* src = k < m ? limbs(den[k]) : pad;
      for (int q = 0; q < WM; q++) tmp[0][q][l] = src[q];
    }
  };
  // the chain value of group g, S-shifted (W = 2: computes and stores the norm when fresh)
  auto chain_value = [&](size_t g, T* out, bool fresh) {
    if constexpr (W == 1) {
      stage_den(g);
      conv(0, 0, out, true);
      (void)fresh;
    } else {
      T nm[N];
      if (fresh) {
        stage_den(g);
        T d[N], dS[N], t[N];
        conv(0, 0, d, false);
        conv(0, 0, dS, true);
        f.mul(nm, dS, d);
        conv(0, 1, d, false);
        conv(0, 1, dS, true);
        f.mul(t, dS, d);
        for (int j = 0; j < N; j++) nm[j] = V::add(nm[j], t[j]);
        f.normalize(nm);  // < 4p
        f.cond_sub(nm, f.p2);
        for (int j = 0; j < N; j++) V::store(norms + (g * N + j) * L, nm[j]);
      } else {
        for (int j = 0; j < N; j++) nm[j] = V::load(norms + (g * N + j) * L);
      }
      f.shift_s(out, nm);
    }
  };
  // r = a b: W = 1 < 2p, W = 2 canonical (a S-shifted)
  auto mulw = [&](T (*r)[N], T (*a)[N], T (*b)[N]) {
    if constexpr (W == 1)
      f.mul(r[0], a[0], b[0]);
    else
      f.mul2(r, a, b);
  };

  // forward: prefix[g] = product of the chain values over the lane's earlier groups
  T acc[N];
  {
    T w[M];
    for (int q = 0; q < M; q++) w[q] = V::set1(P::ONE[q]);
    f.template from64<0>(acc, w);
  }
  for (size_t g = 0; g < groups; g++) {
    T d[N];
    for (int j = 0; j < N; j++) V::store(prefix + (g * N + j) * L, acc[j]);
    chain_value(g, d, true);
    f.mul(acc, d, acc);
  }
  // the 8 lane totals, inverted together in scalar code
  {
    Fq tot[L], tot_scratch[L];
    T w[M];
    f.cond_sub(acc, f.p);  // < 2p -> canonical
    f.to64(w, acc);
    for (int q = 0; q < M; q++) V::store(tmp[0][q], w[q]);
    for (int l = 0; l < L; l++)
      for (int q = 0; q < M; q++) tot[l].l[q] = tmp[0][q][l];
    Fq::batch_inverse(tot, L, tot_scratch);
    for (int l = 0; l < L; l++)
      for (int q = 0; q < M; q++) tmp[0][q][l] = tot[l].l[q];
    for (int q = 0; q < M; q++) w[q] = V::load(tmp[0][q]);
    f.template from64<S>(acc, w);  // acc = 1 / (lane total), S-shifted
  }
  T pS[N];  // 2^S p, for y2 - y1 on S-shifted values
  {
    uint64_t t[N];
    kp_limbs<P>(t, 1ULL << S);
    for (int j = 0; j < N; j++) pS[j] = V::set1(t[j]);
  }

  for (size_t g = groups; g-- > 0;) {
    T ninv[N], d[N], pre[N], inv[W][N];
    for (int j = 0; j < N; j++) pre[j] = V::load(prefix + (g * N + j) * L);
    f.mul(ninv, acc, pre);  // 1 / chain value, R form, < 2p
    chain_value(g, d, false);
    f.mul(acc, acc, d);
    if constexpr (W == 1) {
      for (int j = 0; j < N; j++) inv[0][j] = ninv[j];
    } else {  // 1/d = (d0 - d1 u) / norm
      T dS[N], t[N];
      stage_den(g);
      conv(0, 0, dS, true);
      f.mul(inv[0], dS, ninv);
      conv(0, 1, dS, true);
      f.mul(t, dS, ninv);
      for (int j = 0; j < N; j++) inv[1][j] = V::sub(f.p2[j], t[j]);
      f.normalize(inv[1]);  // (0, 2p]
    }
    const size_t k0 = g * L;
    const int lanes = (int)std::min<size_t>(L, m - k0);
    bool any_dbl = false;
    for (int l = 0; l < lanes; l++) any_dbl |= kind[k0 + l] != 0;
    if (any_dbl) {  // hand the doublings their inverse (canonical), the scalar code applies them
      for (int c = 0; c < W; c++) {
        T w[M], cc[N];
        for (int j = 0; j < N; j++) cc[j] = inv[c][j];
        f.reduce4(cc);
        f.to64(w, cc);
        for (int q = 0; q < M; q++) V::store(tmp[0][c * M + q], w[q]);
      }
      for (int l = 0; l < lanes; l++)
        if (kind[k0 + l]) {
          uint64_t* dst = reinterpret_cast<uint64_t*>(&den[k0 + l]);
          for (int q = 0; q < WM; q++) dst[q] = tmp[0][q][l];
        }
    }
    // gather x1, y1 (bucket) and x2, y2 (point)
    for (int l = 0; l < L; l++) {
      const size_t k = k0 + (size_t)l;
      const Aff& a = l < lanes ? buckets[pb[k]] : pp[k0];
      const Aff& p = l < lanes ? pp[k] : pp[k0];
      const uint64_t *ax = limbs(a.x), *ay = limbs(a.y), *px = limbs(p.x), *py = limbs(p.y);
      for (int q = 0; q < WM; q++) {
        tmp[1][q][l] = ax[q];
        tmp[2][q][l] = ay[q];
        tmp[3][q][l] = px[q];
        tmp[4][q][l] = py[q];
      }
    }
    T x1[W][N], y1[W][N], x2[W][N], num[W][N], lam[W][N], lamS[W][N], t[W][N], x3[W][N], y3[W][N];
    for (int c = 0; c < W; c++) {
      T y1s[N], y2s[N];
      conv(1, c, x1[c], false);
      conv(2, c, y1[c], false);
      conv(2, c, y1s, true);
      conv(3, c, x2[c], false);
      conv(4, c, y2s, true);
      f.sub_plus(num[c], y2s, y1s, pS);  // 2^S (y2 - y1 + p) < 2^S 2p
    }
    mulw(lam, num, inv);  // lambda
    for (int c = 0; c < W; c++) f.shift_s(lamS[c], lam[c]);
    mulw(t, lamS, lam);  // lambda^2 < 2p
    for (int c = 0; c < W; c++) {
      for (int j = 0; j < N; j++) x3[c][j] = V::add(V::sub(V::sub(t[c][j], x1[c][j]), x2[c][j]), f.p2[j]);
      f.normalize(x3[c]);  // < 4p
      f.reduce4(x3[c]);
      f.sub_plus(t[c], x1[c], x3[c], f.p);  // x1 - x3 + p < 2p
    }
    mulw(y3, lamS, t);
    for (int c = 0; c < W; c++) {
      f.sub_plus(y3[c], y3[c], y1[c], f.p);  // < 3p
      f.reduce4(y3[c]);
      T w[M];
      f.to64(w, x3[c]);
      for (int q = 0; q < M; q++) V::store(tmp[1][c * M + q], w[q]);
      f.to64(w, y3[c]);
      for (int q = 0; q < M; q++) V::store(tmp[2][c * M + q], w[q]);
    }
    for (int l = 0; l < lanes; l++) {
      const size_t k = k0 + (size_t)l;
      if (kind[k]) continue;
      Aff& a = buckets[pb[k]];
      uint64_t* ax = reinterpret_cast<uint64_t*>(&a.x);
      uint64_t* ay = reinterpret_cast<uint64_t*>(&a.y);
      for (int q = 0; q < WM; q++) ax[q] = tmp[1][q][l], ay[q] = tmp[2][q][l];
    }
  }
}

// The GLV endomorphism's x-coordinates, 8 base-field products at a time: out value v = beta *
// (base-field value v of the list), where entry i of xs points at W consecutive base-field values
// (an Fp or Fp2 x-coordinate) and out receives count * W values, canonical (Montgomery form).
template <class P, int W>
PM_IFMA_NOINLINE void mul_by_base(uint64_t* out, const uint64_t* const* xs, size_t count, const uint64_t* beta) {
  using V = V8;
  using T = V::T;
  constexpr int L = V::L, M = P::N, N = Radix52<P>::N, S = Radix52<P>::S;
  Field52<V, P> f;
  f.init();
  T b[N], w[M];
  for (int q = 0; q < M; q++) w[q] = V::set1(beta[q]);
  f.template from64<0>(b, w);
  alignas(64) uint64_t tmp[M][L];
  const size_t nv = count * W;
  for (size_t v0 = 0; v0 < nv; v0 += L) {
    const int lanes = (int)std::min<size_t>(L, nv - v0);
    for (int l = 0; l < L; l++) {
      const size_t v = v0 + (size_t)(l < lanes ? l : 0);
      const uint64_t* src = xs[v / W] + (v % W) * M;
      for (int q = 0; q < M; q++) tmp[q][l] = src[q];
    }
    T x[N];
    for (int q = 0; q < M; q++) w[q] = V::load(tmp[q]);
    f.template from64<S>(x, w);
    f.mul(x, x, b);
    f.cond_sub(x, f.p);
    f.to64(w, x);
    for (int q = 0; q < M; q++) V::store(tmp[q], w[q]);
    for (int l = 0; l < lanes; l++)
      for (int q = 0; q < M; q++) out[(v0 + l) * M + q] = tmp[q][l];
  }
}

#pragma GCC pop_options

}  // namespace ifma
}  // namespace pm
#endif
