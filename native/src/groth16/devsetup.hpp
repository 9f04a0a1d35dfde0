// Development Groth16 keys: a snarkjs-compatible .zkey from a random (seeded) tau, alpha, beta,
// gamma, delta that are thrown away. NOT a trusted setup — for tests and benchmarks only.
//
// The key is what `snarkjs groth16 setup` followed by one contribution produces (snarkjs
// src/zkey_new.js): domain = 2^(floor(log2(nConstraints + nPublic)) + 1); one extra A row per
// public signal (and the constant one); A_s = u_s(tau), B_s = v_s(tau) in G1 and G2,
// IC_s = (beta u_s + alpha v_s + w_s)(tau) / gamma, C_s = (...)(tau) / delta,
// H_i = L'_{2i+1}(tau) / delta with L' the Lagrange basis of the 2n domain (the odd points the
// prover evaluates on), coefficients stored as c * R^2 mod r.
#pragma once
#include <cstdint>
#include <string>

#include "io/r1cs.hpp"
#include "proofmarket.h"

namespace pm::groth16 {

// Writes zkey_out for the circom circuit in r1cs_path. threads 0 = all cores.
void dev_setup_r1cs(const std::string& zkey_out, const std::string& r1cs_path, uint64_t seed, int threads);

// Writes dir/circuit.r1cs, dir/circuit.zkey and dir/witness.wtns for a multiplication chain
// x_{i+1} = x_i^2 + (i+1) with 2^log_constraints - 3 constraints (so that with its one public
// output the domain is exactly 2^log_constraints, like the benchmark's chain circuits), one
// private input and one public output.
void dev_setup_synthetic(const std::string& dir, pm_curve curve, uint32_t log_constraints, uint64_t seed,
                         int threads);

// The in-memory form of the same chain circuit and its witness (tests use it).
io::R1cs synthetic_chain(pm_curve curve, uint32_t n_constraints);
std::string synthetic_witness(pm_curve curve, uint32_t n_constraints, uint64_t seed);
// Serialises an r1cs (header + constraints sections) as circom writes it.
std::string write_r1cs(const io::R1cs& r);
// Builds the zkey bytes for a parsed circuit.
std::string build_zkey(const io::R1cs& r, uint64_t seed, int threads);

}  // namespace pm::groth16
