// snarkjs .wtns (snarkjs src/wtns_utils.js): magic "wtns", version 1 or 2,
//   section 1: n8 u32, prime (n8 bytes LE), nWitness u32
//   section 2: nWitness values, n8 bytes each, canonical little-endian (not Montgomery).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "io/binfile.hpp"
#include "io/zkey.hpp"

namespace pm::io {

struct Wtns {
  uint32_t n8 = 0;
  const uint8_t* prime = nullptr;
  uint32_t n_witness = 0;
  const uint8_t* values = nullptr;  // n_witness * n8 bytes inside the caller's buffer
};

// Parses and validates a witness against the zkey it will be proved with: same scalar field
// (else PM_ERR_MISMATCH naming both primes), same length (PM_ERR_MISMATCH with both numbers),
// every value below the modulus (PM_ERR_FORMAT naming the index).
Wtns parse_wtns(const uint8_t* data, size_t size, const std::string& name);
void check_wtns_matches(const Wtns& w, const Zkey& z, const std::string& name);

// Serialises a witness (values canonical LE, n8 = 32) as a version-2 .wtns.
std::string write_wtns(const uint8_t* prime_le, const uint8_t* values, uint32_t n_witness);

}  // namespace pm::io
