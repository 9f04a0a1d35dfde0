// Short-Weierstrass points (y^2 = x^3 + b, a = 0) for G1 and G2 of BN254 and BLS12-381, as
// __host__ __device__ templates over the coordinate field F (Fp or Fp2).
//
// Affine {x, y}: the byte layout of zkey sections and of the C ABI; (0, 0) is infinity.
// XYZZ {X, Y, ZZ, ZZZ} with x = X/ZZ, y = Y/ZZZ (ZZ^3 = ZZZ^2); ZZ = 0 is infinity.
// Formulas from the Explicit-Formulas Database, "XYZZ coordinates for short Weierstrass curves"
// (https://hyperelliptic.org/EFD/g1p/auto-shortw-xyzz.html):
//   add-2008-s   (XYZZ + XYZZ)      madd-2008-s  (XYZZ + affine)
//   dbl-2008-s-1 (2 * XYZZ)         mdbl-2008-s-1 (2 * affine)
// with the exceptional cases (infinity inputs, P == Q, P == -Q) handled explicitly.
#pragma once
#include "gpu_field.cuh"

namespace pmg {

template <class F>
struct Affine {
  F x, y;
  PM_HD static Affine infinity() { return {F::zero(), F::zero()}; }
  PM_HD bool is_infinity() const { return x.is_zero() && y.is_zero(); }
  PM_HD Affine neg() const { return {x, y.neg()}; }
  PM_HD bool operator==(const Affine& o) const { return x == o.x && y == o.y; }
};

template <class F>
struct Xyzz {
  F X, Y, ZZ, ZZZ;
  using Aff = Affine<F>;

  PM_HD static Xyzz infinity() { return {F::zero(), F::zero(), F::zero(), F::zero()}; }
  PM_HD bool is_infinity() const { return ZZ.is_zero(); }
  PM_HD static Xyzz from_affine(const Aff& a) {
    if (a.is_infinity()) return infinity();
    return {a.x, a.y, F::one(), F::one()};
  }
  PM_HD Xyzz neg() const { return {X, Y.neg(), ZZ, ZZZ}; }

  // mdbl-2008-s-1
  PM_HDBIG static Xyzz dbl_affine(const Aff& a) {
    if (a.is_infinity()) return infinity();
    F U = a.y.dbl(), V = U.sqr(), W = U * V, S = a.x * V;
    F xx = a.x.sqr();
    F M = xx.dbl() + xx;
    F X3 = M.sqr() - S.dbl();
    F Y3 = M * (S - X3) - W * a.y;
    return {X3, Y3, V, W};
  }
  // dbl-2008-s-1 (a = 0)
  PM_HDBIG Xyzz dbl() const {
    if (is_infinity()) return *this;
    F U = Y.dbl(), V = U.sqr(), W = U * V, S = X * V;
    F xx = X.sqr();
    F M = xx.dbl() + xx;
    F X3 = M.sqr() - S.dbl();
    F Y3 = M * (S - X3) - W * Y;
    return {X3, Y3, V * ZZ, W * ZZZ};
  }
  // madd-2008-s: this + affine q
  PM_HDBIG Xyzz add_affine(const Aff& q) const {
    if (q.is_infinity()) return *this;
    if (is_infinity()) return from_affine(q);
    F U2 = q.x * ZZ, S2 = q.y * ZZZ;
    F P = U2 - X, R = S2 - Y;
    if (P.is_zero()) {
      if (R.is_zero()) return dbl_affine(q);
      return infinity();
    }
    F PP = P.sqr(), PPP = P * PP, Q = X * PP;
    F X3 = R.sqr() - PPP - Q.dbl();
    F Y3 = R * (Q - X3) - Y * PPP;
    return {X3, Y3, ZZ * PP, ZZZ * PPP};
  }
  // add-2008-s: this + q
  PM_HDBIG Xyzz add(const Xyzz& q) const {
    if (q.is_infinity()) return *this;
    if (is_infinity()) return q;
    F U1 = X * q.ZZ, U2 = q.X * ZZ, S1 = Y * q.ZZZ, S2 = q.Y * ZZZ;
    F P = U2 - U1, R = S2 - S1;
    if (P.is_zero()) {
      if (R.is_zero()) return dbl();
      return infinity();
    }
    F PP = P.sqr(), PPP = P * PP, Q = U1 * PP;
    F X3 = R.sqr() - PPP - Q.dbl();
    F Y3 = R * (Q - X3) - S1 * PPP;
    return {X3, Y3, ZZ * q.ZZ * PP, ZZZ * q.ZZZ * PPP};
  }
  // host-side (uses an inversion per call): the final result
  PM_HDI Aff to_affine() const {
    if (is_infinity()) return Aff::infinity();
    return {X * ZZ.inv(), Y * ZZZ.inv()};
  }
  // equality as points (cross-multiplied), for tests
  PM_HDI bool same_point(const Xyzz& q) const {
    if (is_infinity() || q.is_infinity()) return is_infinity() && q.is_infinity();
    return X * q.ZZ == q.X * ZZ && Y * q.ZZZ == q.Y * ZZZ;
  }
};

// ---- curve/group descriptions ----------------------------------------------------------------
// Each: F (coordinate field), FrP (scalar field params), B() the curve constant and gen() the
// standard generator (Montgomery form). B()/gen() are host-only: tests, benches, point sets.
// Generator coordinates were checked on-curve by the script that printed them, and are checked
// again by the host tests.
namespace gens {
  static const uint32_t bn_g2_0[8] = {0xd992f6edu, 0x46debd5cu, 0xf75edaddu, 0x674322d4u, 0x5e5c4479u, 0x426a0066u, 0x121f1e76u, 0x1800deefu};
  static const uint32_t bn_g2_1[8] = {0xaef312c2u, 0x97e485b7u, 0x35a9e712u, 0xf1aa4933u, 0x31fb5d25u, 0x7260bfb7u, 0x920d483au, 0x198e9393u};
  static const uint32_t bn_g2_2[8] = {0x66fa7daau, 0x4ce6cc01u, 0x0c43d37bu, 0xe3d1e769u, 0x8dcb408fu, 0x4aab7180u, 0xdb8c6debu, 0x12c85ea5u};
  static const uint32_t bn_g2_3[8] = {0xd122975bu, 0x55acdadcu, 0x70b38ef3u, 0xbc4b3133u, 0x690c3395u, 0xec9e99adu, 0x585ff075u, 0x090689d0u};
  static const uint32_t bls_g1_0[12] = {0xdb22c6bbu, 0xfb3af00au, 0xf97a1aefu, 0x6c55e83fu, 0x171bac58u, 0xa14e3a3fu, 0x9774b905u, 0xc3688c4fu, 0x4fa9ac0fu, 0x2695638cu, 0x3197d794u, 0x17f1d3a7u};
  static const uint32_t bls_g1_1[12] = {0x46c5e7e1u, 0x0caa2329u, 0xa2888ae4u, 0xd03cc744u, 0x2c04b3edu, 0x00db18cbu, 0xd5d00af6u, 0xfcf5e095u, 0x741d8ae4u, 0xa09e30edu, 0xe3aaa0f1u, 0x08b3f481u};
  static const uint32_t bls_g2_0[12] = {0xc121bdb8u, 0xd48056c8u, 0xa805bbefu, 0x0bac0326u, 0x7ae3d177u, 0xb4510b64u, 0xfa403b02u, 0xc6e47ad4u, 0x2dc51051u, 0x26080527u, 0xf08f0a91u, 0x024aa2b2u};
  static const uint32_t bls_g2_1[12] = {0x5d042b7eu, 0xe5ac7d05u, 0x13945d57u, 0x334cf112u, 0xdc7f5049u, 0xb5da61bbu, 0x9920b61au, 0x596bd0d0u, 0x88274f65u, 0x7dacd3a0u, 0x52719f60u, 0x13e02b60u};
  static const uint32_t bls_g2_2[12] = {0x08b82801u, 0xe1935486u, 0x3baca289u, 0x923ac9ccu, 0x5160d12cu, 0x6d429a69u, 0x8cbdd3a7u, 0xadfd9baau, 0xda2e351au, 0x8cc9cdc6u, 0x727d6e11u, 0x0ce5d527u};
  static const uint32_t bls_g2_3[12] = {0xf05f79beu, 0xaaa9075fu, 0x5cec1da1u, 0x3f370d27u, 0x572e99abu, 0x267492abu, 0x85a763afu, 0xcb3e287eu, 0x2bc28b99u, 0x32acd2b0u, 0x2ea734ccu, 0x0606c4a0u};
}  // namespace gens

template <class F>
inline F fp_from_canonical_words(const uint32_t* w) {
  F r; for (int i = 0; i < F::N; i++) r.v[i] = w[i];
  return r.to_mont();
}
template <class F>
inline F fp_small(uint32_t k) { F r = F::zero(); r.v[0] = k; return r.to_mont(); }

struct Bn254G1 {
  using F = Bn254Fq;
  using FrP = Bn254FrParams;
  static constexpr int CURVE = 1;
  static constexpr bool IS_G2 = false;
  static F B() { return fp_small<F>(3); }
  static Affine<F> gen() { return {fp_small<F>(1), fp_small<F>(2)}; }
};
struct Bn254G2 {
  using F = Bn254Fq2;
  using FrP = Bn254FrParams;
  static constexpr int CURVE = 1;
  static constexpr bool IS_G2 = true;
  static F B() {  // 3 / (9 + u)
    F xi = {fp_small<Bn254Fq>(9), Bn254Fq::one()};
    F t = {fp_small<Bn254Fq>(3), Bn254Fq::zero()};
    return t * xi.inv();
  }
  static Affine<F> gen() {
    using B = Bn254Fq;
    return {{fp_from_canonical_words<B>(gens::bn_g2_0), fp_from_canonical_words<B>(gens::bn_g2_1)},
            {fp_from_canonical_words<B>(gens::bn_g2_2), fp_from_canonical_words<B>(gens::bn_g2_3)}};
  }
};
struct Bls381G1 {
  using F = Bls381Fq;
  using FrP = Bls381FrParams;
  static constexpr int CURVE = 2;
  static constexpr bool IS_G2 = false;
  static F B() { return fp_small<F>(4); }
  static Affine<F> gen() {
    return {fp_from_canonical_words<F>(gens::bls_g1_0), fp_from_canonical_words<F>(gens::bls_g1_1)};
  }
};
struct Bls381G2 {
  using F = Bls381Fq2;
  using FrP = Bls381FrParams;
  static constexpr int CURVE = 2;
  static constexpr bool IS_G2 = true;
  static F B() { return {fp_small<Bls381Fq>(4), fp_small<Bls381Fq>(4)}; }  // 4 (1 + u)
  static Affine<F> gen() {
    using B = Bls381Fq;
    return {{fp_from_canonical_words<B>(gens::bls_g2_0), fp_from_canonical_words<B>(gens::bls_g2_1)},
            {fp_from_canonical_words<B>(gens::bls_g2_2), fp_from_canonical_words<B>(gens::bls_g2_3)}};
  }
};

template <class C>
inline bool on_curve(const Affine<typename C::F>& a) {
  if (a.is_infinity()) return true;
  return a.y.sqr() == a.x.sqr() * a.x + C::B();
}

}  // namespace pmg
