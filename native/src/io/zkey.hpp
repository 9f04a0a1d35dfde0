// A snarkjs Groth16 .zkey, memory-mapped. Layout (snarkjs src/zkey_utils.js):
//   1 header: protocol u32 (1 = Groth16, 2 = PLONK, 10 = FFLONK)
//   2 Groth16 header: n8q u32, q, n8r u32, r, nVars u32, nPublic u32, domainSize u32,
//     alpha1 G1, beta1 G1, beta2 G2, gamma2 G2, delta1 G1, delta2 G2   (points LEM: Montgomery)
//   3 IC: nPublic+1 G1            4 coefficients: n u32, n x {matrix u32, constraint u32,
//   5 A: nVars G1                       signal u32, value Fr (c * R^2 mod r, see prover)}
//   6 B1: nVars G1                7 B2: nVars G2
//   8 C: nVars-nPublic-1 G1       9 H: domainSize G1          10 contributions (ignored)
// Point sections are used in place from the mapping (they may be only 4-byte aligned when the
// coefficient count is odd; x86-64 loads them fine, as rapidsnark relies on too).
// Every section size is checked against these counts when the key is opened, and every
// coefficient's matrix/constraint/signal index is range-checked, so the prover can index freely.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "io/binfile.hpp"
#include "io/mapped_file.hpp"
#include "proofmarket.h"

namespace pm::io {

// One coefficient record is 44 bytes: matrix u32, constraint u32, signal u32, value[32].
// Records may sit at any alignment in the file, so they are read with memcpy.
constexpr size_t kCoefBytes = 44;

struct Zkey {
  std::string path;
  pm_curve curve = PM_CURVE_BN254;
  uint32_t n8q = 0, n8r = 0;
  uint32_t n_vars = 0, n_public = 0, domain_size = 0, domain_log2 = 0;
  uint64_t n_coefs = 0;
  bool coefs_sorted = true;  // by constraint index (snarkjs writes them so): lets the prover split work
  size_t g1_bytes = 0, g2_bytes = 0;
  // header points (pointers into the mapping)
  const uint8_t *alpha1 = nullptr, *beta1 = nullptr, *beta2 = nullptr, *gamma2 = nullptr,
                *delta1 = nullptr, *delta2 = nullptr;
  const uint8_t* q = nullptr;  // prime bytes
  const uint8_t* r = nullptr;
  // sections
  const uint8_t *ic = nullptr, *a = nullptr, *b1 = nullptr, *b2 = nullptr, *c = nullptr, *h = nullptr;
  const uint8_t* coefs = nullptr;  // n_coefs records of kCoefBytes

  std::unique_ptr<MappedFile> file;  // null when parsed from a caller's buffer
};

// Opens and validates a zkey file (memory-mapped). Throws pm::Error naming the file.
std::unique_ptr<Zkey> open_zkey(const std::string& path);
// Validates a zkey held in memory (the caller keeps the bytes alive). name is for messages.
std::unique_ptr<Zkey> parse_zkey(const uint8_t* data, size_t size, const std::string& name);

}  // namespace pm::io
