// The Groth16 prover: exactly snarkjs's algorithm (snarkjs src/groth16_prove.js), reading the
// zkey's sections in place from the memory mapping.
#pragma once
#include <cstdint>
#include <string>

#include "io/zkey.hpp"
#include "proofmarket.h"

namespace pm::groth16 {

struct ProveResult {
  std::string proof_json;   // exactly as `snarkjs groth16 prove` writes proof.json
  std::string public_json;  // ... and public.json
  pm_device device = PM_DEVICE_CPU;
  // BLS12-381 only (empty for BN254): Filecoin's 192-byte encoding, A (48) || B (96) || C (48),
  // each point compressed in the zcash serialization (big-endian, flags 0x80 compressed,
  // 0x40 infinity, 0x20 larger y; G2's x written c1 then c0).
  std::string filecoin;
};

// Checks every point of the key (header points and the IC, A, B1, B2, C, H sections): on the
// curve, coordinates below p. Throws PM_ERR_FORMAT naming the file, section and index. pm_zkey_open
// runs it once, so proofs can use the points without re-checking them.
void validate_points(const io::Zkey& zkey, int threads);

// zkey: its points must have passed validate_points (garbage points give a garbage proof, never
// a crash). wtns: the bytes of a .wtns file (checked against the zkey). cfg: device, threads, progress.
ProveResult prove(const io::Zkey& zkey, const uint8_t* wtns, size_t wtns_len, const pm_prove_config& cfg);

// Formatting shared with tests: JSON.stringify(x, null, 1) of snarkjs's objects.
std::string format_public_json(const std::string* values, size_t n);

}  // namespace pm::groth16
