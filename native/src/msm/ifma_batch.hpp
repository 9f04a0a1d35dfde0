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
#include "ff/ifma.hpp"

#ifdef PM_HAVE_IFMA
namespace pm {
namespace ifma {

template <class P, class Aff>
PM_IFMA_NOINLINE void batch_add(Aff* buckets, const uint32_t* pb, const Aff* pp, Fp<P>* den, const uint8_t* kind,
                                size_t m, std::vector<uint64_t>& work) {
  using V = V8;
  using T = V::T;
  using F = Fp<P>;
  constexpr int L = V::L, M = P::N, N = Radix52<P>::N, S = Radix52<P>::S;
  static_assert(sizeof(Aff) == 2 * sizeof(F), "affine point = x, y");
  Field52<V, P> f;
  f.init();
  const size_t groups = (m + L - 1) / L;
  // scratch: the prefix products (52-bit, N vectors per group)
  work.resize(groups * N * L);
  uint64_t* prefix = work.data();

  alignas(64) uint64_t tmp[6][M][L];  // AoS -> SoA staging: den, x1, y1, x2, y2; results
  // loads group g's den (S-shifted) into d
  auto load_den = [&](size_t g, T* d) {
    T w[M];
    for (int l = 0; l < L; l++) {
      const size_t k = g * L + (size_t)l;
      const uint64_t* src = k < m ? den[k].l : P::ONE;
      for (int q = 0; q < M; q++) tmp[0][q][l] = src[q];
    }
    for (int q = 0; q < M; q++) w[q] = V::load(tmp[0][q]);
    f.template from64<S>(d, w);
  };

  // forward: prefix[g] = product of den over the lane's earlier groups
  T acc[N];
  {
    T w[M];
    for (int q = 0; q < M; q++) w[q] = V::set1(P::ONE[q]);
    f.template from64<0>(acc, w);
  }
  for (size_t g = 0; g < groups; g++) {
    T d[N];
    for (int j = 0; j < N; j++) V::store(prefix + (g * N + j) * L, acc[j]);
    load_den(g, d);
    f.mul(acc, d, acc);
  }
  // the 8 lane totals, inverted together in scalar code
  F tot[L], tot_scratch[L];
  {
    T w[M];
    f.cond_sub(acc, f.p);  // < 2p -> canonical
    f.to64(w, acc);
    for (int q = 0; q < M; q++) V::store(tmp[0][q], w[q]);
    for (int l = 0; l < L; l++)
      for (int q = 0; q < M; q++) tot[l].l[q] = tmp[0][q][l];
    F::batch_inverse(tot, L, tot_scratch);
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
    T inv[N], d[N], pre[N];
    for (int j = 0; j < N; j++) pre[j] = V::load(prefix + (g * N + j) * L);
    f.mul(inv, acc, pre);  // 1 / den, R form, < 2p
    load_den(g, d);
    f.mul(acc, acc, d);
    const size_t k0 = g * L;
    const int lanes = (int)std::min<size_t>(L, m - k0);
    bool any_dbl = false;
    for (int l = 0; l < lanes; l++) any_dbl |= kind[k0 + l] != 0;
    if (any_dbl) {  // hand the doublings their inverse (canonical), the scalar code applies them
      T w[M], c[N];
      for (int j = 0; j < N; j++) c[j] = inv[j];
      f.cond_sub(c, f.p);
      f.to64(w, c);
      for (int q = 0; q < M; q++) V::store(tmp[5][q], w[q]);
      for (int l = 0; l < lanes; l++)
        if (kind[k0 + l])
          for (int q = 0; q < M; q++) den[k0 + l].l[q] = tmp[5][q][l];
    }
    // gather x1, y1 (bucket) and x2, y2 (point)
    for (int l = 0; l < L; l++) {
      const size_t k = k0 + (size_t)l;
      const Aff& a = l < lanes ? buckets[pb[k]] : pp[k0];
      const Aff& p = l < lanes ? pp[k] : pp[k0];
      for (int q = 0; q < M; q++) {
        tmp[1][q][l] = a.x.l[q];
        tmp[2][q][l] = a.y.l[q];
        tmp[3][q][l] = p.x.l[q];
        tmp[4][q][l] = p.y.l[q];
      }
    }
    T x1[N], y1[N], x2[N], y2s[N], y1s[N], w[M];
    for (int q = 0; q < M; q++) w[q] = V::load(tmp[1][q]);
    f.template from64<0>(x1, w);
    for (int q = 0; q < M; q++) w[q] = V::load(tmp[2][q]);
    f.template from64<0>(y1, w);
    f.template from64<S>(y1s, w);
    for (int q = 0; q < M; q++) w[q] = V::load(tmp[3][q]);
    f.template from64<0>(x2, w);
    for (int q = 0; q < M; q++) w[q] = V::load(tmp[4][q]);
    f.template from64<S>(y2s, w);
    T num[N], lam[N], lamS[N], x3[N], t[N];
    f.sub_plus(num, y2s, y1s, pS);  // 2^S (y2 - y1 + p) < 2^S 2p
    f.mul(lam, num, inv);            // lambda < 2p
    f.shift_s(lamS, lam);
    f.mul(t, lamS, lam);  // lambda^2 < 2p
    for (int j = 0; j < N; j++) x3[j] = V::add(V::sub(V::sub(t[j], x1[j]), x2[j]), f.p2[j]);
    f.normalize(x3);  // < 4p
    f.reduce4(x3);
    f.sub_plus(t, x1, x3, f.p);  // x1 - x3 + p < 2p
    T y3[N];
    f.mul(y3, lamS, t);
    f.sub_plus(y3, y3, y1, f.p);  // < 3p
    f.reduce4(y3);
    f.to64(w, x3);
    for (int q = 0; q < M; q++) V::store(tmp[1][q], w[q]);
    f.to64(w, y3);
    for (int q = 0; q < M; q++) V::store(tmp[2][q], w[q]);
    for (int l = 0; l < lanes; l++) {
      const size_t k = k0 + (size_t)l;
      if (kind[k]) continue;
      Aff& a = buckets[pb[k]];
      for (int q = 0; q < M; q++) a.x.l[q] = tmp[1][q][l], a.y.l[q] = tmp[2][q][l];
    }
  }
}

}  // namespace ifma
}  // namespace pm
#endif
