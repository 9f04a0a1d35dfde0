// BN254 (alt_bn128, snarkjs "bn128"): q, r, b = 3, G2 b' = 3/(9+u), Fq2 = Fq[u]/(u^2+1).
#pragma once
#include "curves/curve.hpp"

namespace pm {
struct Bn254 : CurveTraits<Bn254FqParams, Bn254FrParams, Bn254Consts, PM_CURVE_BN254> {
  static constexpr const char* name = "bn254";
  using Glv = Bn254Glv;
};
}  // namespace pm
