// One template for the curve traits of every pairing curve here: fields, point types,
// generators and the Fr constants the NTT needs. bn254.hpp / bls12_381.hpp instantiate it.
#pragma once
#include "curves/glv_generated.hpp"
#include "curves/params_generated.hpp"
#include "ec/point.hpp"
#include "ff/fp.hpp"
#include "ff/fp2.hpp"
#include "proofmarket.h"

namespace pm {

template <class FqP, class FrP, class Consts, pm_curve ID>
struct CurveTraits {
  using Fq = Fp<FqP>;
  using Fr = Fp<FrP>;
  using Fq2 = Fp2<Fq, NrMinusOne>;
  struct G1Coeff {
    static Fq b() { return Fq::from_limbs(Consts::G1_B); }
  };
  struct G2Coeff {
    static Fq2 b() { return Fq2::make(Fq::from_limbs(Consts::G2_B0), Fq::from_limbs(Consts::G2_B1)); }
  };
  using G1Affine = Affine<Fq, G1Coeff>;
  using G1 = Jacobian<Fq, G1Coeff>;
  using G2Affine = Affine<Fq2, G2Coeff>;
  using G2 = Jacobian<Fq2, G2Coeff>;
  static constexpr pm_curve id = ID;
  static constexpr int FR_TWO_ADICITY = FrP::TWO_ADICITY;

  static G1Affine g1_gen() {
    return G1Affine::make(Fq::from_limbs(Consts::G1_X), Fq::from_limbs(Consts::G1_Y));
  }
  static G2Affine g2_gen() {
    return G2Affine::make(Fq2::make(Fq::from_limbs(Consts::G2_X0), Fq::from_limbs(Consts::G2_X1)),
                          Fq2::make(Fq::from_limbs(Consts::G2_Y0), Fq::from_limbs(Consts::G2_Y1)));
  }
  // A primitive 2^FR_TWO_ADICITY-th root of unity: ffjavascript's Fr.w[s].
  static Fr root_of_unity() { return Fr::from_limbs(FrP::ROOT_OF_UNITY); }
  // ffjavascript's Fr.w[k]: a primitive 2^k-th root of unity (k <= FR_TWO_ADICITY).
  static Fr root_of_unity(int k) {
    Fr w = root_of_unity();
    for (int i = FR_TWO_ADICITY; i > k; i--) w = w.sqr();
    return w;
  }
};

}  // namespace pm
