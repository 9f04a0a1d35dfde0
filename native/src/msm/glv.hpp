// GLV (Gallant–Lambert–Vanstone) scalar decomposition for the MSM: k = k1 + k2·lambda (mod r)
// with |k1|, |k2| < 2^Glv::BITS (~128 bits), and the endomorphism phi(x, y) = (beta·x, y) that is
// multiplication by lambda on G1 and on G2. An MSM over n points with 254-bit scalars becomes one
// over 2n points (P_i and phi(P_i)) with ~128-bit scalars: the same number of bucket additions,
// but half the windows, so half the bucket reductions and final doublings.
// Constants: curves/glv_generated.hpp (generated and checked by curves/gen_glv.py).
#pragma once
#include <cstdint>
#include <type_traits>

namespace pm {
namespace glv_detail {

using u128 = unsigned __int128;

// (k * g) >> 256 for a 4-limb k and 3-limb g: the top limbs of the 7-limb product.
inline void mul_shift256(const uint64_t k[4], const uint64_t g[3], uint64_t out[3]) {
  uint64_t t[7] = {0, 0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < 3; j++) {
      u128 s = (u128)k[i] * g[j] + t[i + j] + carry;
      t[i + j] = (uint64_t)s;
      carry = (uint64_t)(s >> 64);
    }
    t[i + 3] = carry;
  }
  out[0] = t[4];
  out[1] = t[5];
  out[2] = t[6];
}

// acc -= c * a (sign +1) or acc += c * a (neg), all mod 2^256; c has 3 limbs, a 2.
inline void mac(uint64_t acc[4], const uint64_t c[3], const uint64_t a[2], bool add) {
  uint64_t p[4] = {0, 0, 0, 0};
  for (int i = 0; i < 3; i++) {
    uint64_t carry = 0;
    for (int j = 0; j < 2 && i + j < 4; j++) {
      u128 s = (u128)c[i] * a[j] + p[i + j] + carry;
      p[i + j] = (uint64_t)s;
      carry = (uint64_t)(s >> 64);
    }
    if (i + 2 < 4) p[i + 2] += carry;
  }
  unsigned char cf = 0;
  for (int i = 0; i < 4; i++) {
    if (add) {
      u128 s = (u128)acc[i] + p[i] + cf;
      acc[i] = (uint64_t)s;
      cf = (unsigned char)(s >> 64);
    } else {
      u128 s = (u128)acc[i] - p[i] - cf;
      acc[i] = (uint64_t)s;
      cf = (unsigned char)((s >> 64) != 0);
    }
  }
}

// Two's-complement sign and magnitude of a 4-limb value.
inline bool take_abs(uint64_t v[4]) {
  bool neg = (v[3] >> 63) != 0;
  if (neg) {
    unsigned char cf = 1;
    for (int i = 0; i < 4; i++) {
      u128 s = (u128)(~v[i]) + cf;
      v[i] = (uint64_t)s;
      cf = (unsigned char)(s >> 64);
    }
  }
  return neg;
}

}  // namespace glv_detail

// k (canonical, < r, 4 limbs) -> k1, k2 as magnitudes (4 limbs, < 2^G::BITS) with signs:
// k = (neg1 ? -k1 : k1) + (neg2 ? -k2 : k2) * lambda (mod r).
template <class G>
inline void glv_decompose(const uint64_t k[4], uint64_t k1[4], bool& neg1, uint64_t k2[4], bool& neg2) {
  using namespace glv_detail;
  uint64_t c1[3], c2[3];
  mul_shift256(k, G::G1, c1);  // c1 = round(b2 k / r)
  mul_shift256(k, G::G2, c2);  // c2 = round(-b1 k / r)
  // k1 = k - c1 a1 - c2 a2
  for (int i = 0; i < 4; i++) k1[i] = k[i];
  mac(k1, c1, G::A1, G::A1_NEG != 0);
  mac(k1, c2, G::A2, G::A2_NEG != 0);
  // k2 = -c1 b1 - c2 b2
  for (int i = 0; i < 4; i++) k2[i] = 0;
  mac(k2, c1, G::B1, G::B1_NEG != 0);
  mac(k2, c2, G::B2, G::B2_NEG != 0);
  neg1 = take_abs(k1);
  neg2 = take_abs(k2);
}

// phi(P) = (beta x, y) on an affine point (infinity stays infinity: x = 0).
template <class Aff, class Fq>
inline Aff glv_phi(const Aff& p, const Fq& beta) {
  Aff r = p;
  if constexpr (std::is_same_v<typename Aff::Field, Fq>)
    r.x = p.x * beta;
  else
    r.x = p.x.mul_base(beta);
  return r;
}

}  // namespace pm
