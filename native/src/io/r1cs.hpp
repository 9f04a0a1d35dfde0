// circom .r1cs (iden3 r1csfile): magic "r1cs", version 1,
//   section 1 header: n8 u32, prime, nVars u32, nOutputs u32, nPubInputs u32, nPrvInputs u32,
//                     nLabels u64, nConstraints u32
//   section 2 constraints: per constraint, for A, B, C: nTerms u32, nTerms x {signal u32, coef n8}
//   (coefficients canonical little-endian); other sections (labels, custom gates) are ignored.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/binfile.hpp"
#include "proofmarket.h"

namespace pm::io {

struct R1csTerm {
  uint32_t signal;
  const uint8_t* coef;  // n8 bytes, canonical LE (points into the file buffer)
};

struct R1cs {
  pm_curve curve = PM_CURVE_BN254;
  uint32_t n8 = 0;
  uint32_t n_vars = 0, n_outputs = 0, n_pub_inputs = 0, n_prv_inputs = 0, n_constraints = 0;
  uint64_t n_labels = 0;
  // Flattened constraints: for constraint c and matrix m (0 A, 1 B, 2 C) the terms are
  // terms[lc_start[3c+m] .. lc_start[3c+m+1]).
  std::vector<uint64_t> lc_start;
  std::vector<R1csTerm> terms;
  std::vector<uint8_t> owned;  // coefficient bytes of an in-memory (synthetic) circuit
  uint32_t n_public() const { return n_outputs + n_pub_inputs; }
};

// Parses a whole r1cs held in memory (the caller keeps data alive). Every signal index is
// checked against nVars and every coefficient against the field modulus.
R1cs parse_r1cs(const uint8_t* data, size_t size, const std::string& name);

}  // namespace pm::io
