// BLS12-381: b = 4, G2 b' = 4(1+u), Fq2 = Fq[u]/(u^2+1); Fq 48 bytes, Fr 32 bytes.
#pragma once
#include "curves/curve.hpp"

namespace pm {
struct Bls12_381 : CurveTraits<Bls12_381FqParams, Bls12_381FrParams, Bls12_381Consts,
                               PM_CURVE_BLS12_381> {
  static constexpr const char* name = "bls12-381";
  using Glv = Bls12_381Glv;
};
}  // namespace pm
