/*
 * proofmarket native engine — the whole C ABI.
 *
 * Conventions
 *  - Every entry point returns pm_status by value: {code, message}. code == PM_OK means success;
 *    otherwise message says what went wrong in words a person can act on. No C++ exception ever
 *    crosses this boundary; no entry point aborts the process on bad input.
 *  - Output arguments come first, inputs are const.
 *  - The caller owns memory: fixed-size outputs are caller buffers; variable-size results live in
 *    opaque handles with a destroy function.
 *  - Field elements and points are little-endian 64-bit limbs, exactly as snarkjs stores them in
 *    .zkey files ("LEM"): base-field coordinates in Montgomery form; G1 affine = x || y;
 *    G2 affine = x.c0 || x.c1 || y.c0 || y.c1. The point at infinity is all zero bytes.
 *    BN254: Fq and Fr are 32 bytes. BLS12-381: Fq is 48 bytes, Fr is 32 bytes.
 *  - Scalars are 32-byte little-endian Fr elements; pm_msm_config.scalars_montgomery says
 *    whether they are in Montgomery form (zkey coefficients) or canonical (.wtns witnesses).
 */
#ifndef PROOFMARKET_H
#define PROOFMARKET_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PM_ABI_VERSION 1

typedef enum pm_code {
  PM_OK = 0,
  PM_ERR_INVALID_ARGUMENT = 1, /* a null pointer, a bad size, an unknown enum value */
  PM_ERR_IO = 2,               /* a file could not be opened, read or written */
  PM_ERR_FORMAT = 3,           /* a .zkey/.wtns is truncated, corrupted, or of another kind */
  PM_ERR_MISMATCH = 4,         /* inputs that do not belong together (wtns of another circuit) */
  PM_ERR_UNSUPPORTED = 5,      /* a curve, protocol or device this build does not have */
  PM_ERR_DEVICE = 6,           /* a CUDA call failed: message holds "expr@file:line: reason" */
  PM_ERR_OUT_OF_MEMORY = 7,
  PM_ERR_CANCELLED = 8,        /* the progress callback asked to stop */
  PM_ERR_INTERNAL = 9          /* a bug: please report the message */
} pm_code;

typedef struct pm_status {
  pm_code code;
  char message[512];
} pm_status;

typedef enum pm_curve {
  PM_CURVE_BN254 = 1,
  PM_CURVE_BLS12_381 = 2
} pm_curve;

typedef enum pm_device {
  PM_DEVICE_AUTO = 0, /* CUDA when the build has it and a card is present, else CPU */
  PM_DEVICE_CPU = 1,
  PM_DEVICE_CUDA = 2  /* PM_ERR_UNSUPPORTED when there is no card or no CUDA in this build */
} pm_device;

/* ---- engine information ------------------------------------------------------------------ */

typedef struct pm_engine_info {
  int abi_version;      /* PM_ABI_VERSION */
  int cpu_threads;      /* threads the CPU path uses by default (hardware concurrency) */
  int cuda_compiled;    /* 1 when this build contains the CUDA kernels */
  int cuda_devices;     /* cards found at run time (0 when none or not compiled) */
  char build[128];      /* e.g. "x86_64 mulx/adx, cuda sm_80;sm_89;sm_90" */
} pm_engine_info;

pm_status pm_engine_info_get(pm_engine_info* out);

typedef struct pm_device_info {
  char name[128];
  uint64_t memory_bytes;
  int sm_count;
  int cc_major, cc_minor;
} pm_device_info;

/* index in [0, info.cuda_devices) */
pm_status pm_cuda_device_info(pm_device_info* out, int index);

/* ---- field arithmetic (for differential tests against other implementations) ------------ */

typedef enum pm_field { PM_FIELD_FQ = 0, PM_FIELD_FR = 1 } pm_field;
typedef enum pm_field_op {
  PM_FIELD_ADD = 0, PM_FIELD_SUB = 1, PM_FIELD_MUL = 2,
  PM_FIELD_SQR = 3, PM_FIELD_NEG = 4, PM_FIELD_INV = 5 /* inverse of 0 is 0 */
} pm_field_op;

/* out[i] = a[i] op b[i] for n elements in Montgomery LE form (b unused by unary ops).
 * Inputs not below the modulus are PM_ERR_INVALID_ARGUMENT. */
pm_status pm_field_batch(uint8_t* out, pm_curve curve, pm_field field, pm_field_op op,
                         const uint8_t* a, const uint8_t* b, size_t n);

/* ---- MSM --------------------------------------------------------------------------------- */

typedef struct pm_msm_config {
  pm_device device;       /* default PM_DEVICE_AUTO */
  int threads;            /* CPU threads; 0 (default) = all cores */
  int window_bits;        /* Pippenger window c; 0 (default) = chosen from n */
  int scalars_montgomery; /* 1 if scalars are in Montgomery form; default 0 (canonical) */
} pm_msm_config;

pm_msm_config pm_default_msm_config(void);

/* out = sum scalars[i] * points[i], as an affine point (Montgomery, same layout as the inputs).
 * n may be 0 (result: infinity). Points may repeat and may be infinity; scalars may be zero. */
pm_status pm_msm_g1(uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars,
                    size_t n, const pm_msm_config* cfg);
pm_status pm_msm_g2(uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars,
                    size_t n, const pm_msm_config* cfg);

/* ---- NTT over Fr ------------------------------------------------------------------------- */

typedef struct pm_ntt_config {
  pm_device device;  /* default PM_DEVICE_AUTO */
  int threads;       /* 0 (default) = all cores */
  int montgomery;    /* 1 if data is in Montgomery form (default 1: as the engine keeps it) */
} pm_ntt_config;

pm_ntt_config pm_default_ntt_config(void);

/* In place, natural order in and out, on 2^log_n Fr elements (32 bytes each).
 * inverse = 0: evaluations a(w^i); inverse = 1: coefficients, scaled by 1/n.
 * The same transform as ffjavascript's Fr.fft / Fr.ifft. */
pm_status pm_ntt(uint8_t* data, pm_curve curve, uint32_t log_n, int inverse,
                 const pm_ntt_config* cfg);

/* ---- Groth16 ----------------------------------------------------------------------------- */

typedef struct pm_zkey pm_zkey; /* an opened (memory-mapped) snarkjs Groth16 .zkey */

typedef struct pm_zkey_info {
  pm_curve curve;
  uint32_t n_vars;        /* witness length */
  uint32_t n_public;      /* public signals (outputs + public inputs) */
  uint32_t domain_size;   /* FFT domain, power of two */
  uint32_t domain_log2;
  uint64_t n_coefs;       /* non-zero A/B coefficients */
} pm_zkey_info;

/* Opens, maps and validates a zkey: section sizes, every coefficient, and every point (on the
 * curve, coordinates below p; PM_ERR_FORMAT naming the section and index otherwise). The point
 * check runs once here, on all cores, so a handle kept open across proofs (the prover daemon's
 * resident keys) pays it once; pm_groth16_prove does not re-check the points. */
pm_status pm_zkey_open(pm_zkey** out, const char* path);
pm_status pm_zkey_get_info(pm_zkey_info* out, const pm_zkey* zkey);
void pm_zkey_close(pm_zkey* zkey); /* NULL is fine */

/* Progress callback: stage is a short word ("witness", "H", "msm-A", ...), fraction 0..1.
 * Return non-zero to cancel (the call then returns PM_ERR_CANCELLED). Called on the worker
 * thread that runs the proof. */
typedef int (*pm_progress_fn)(void* user, const char* stage, double fraction);

typedef struct pm_prove_config {
  pm_device device;        /* default PM_DEVICE_AUTO */
  int threads;             /* 0 (default) = all cores */
  pm_progress_fn progress; /* default NULL */
  void* progress_user;
} pm_prove_config;

pm_prove_config pm_default_prove_config(void);

typedef struct pm_proof pm_proof; /* a finished proof: proof.json and public.json text */

/* Proves with a witness given as the bytes of a snarkjs .wtns file. */
pm_status pm_groth16_prove(pm_proof** out, const pm_zkey* zkey, const uint8_t* wtns,
                           size_t wtns_len, const pm_prove_config* cfg);
/* NUL-terminated JSON, exactly as snarkjs writes proof.json / public.json; owned by the proof. */
const char* pm_proof_json(const pm_proof* proof);
const char* pm_proof_public_json(const pm_proof* proof);
/* BLS12-381 proofs: Filecoin's 192-byte encoding (A 48 || B 96 || C 48 bytes, zcash compressed
 * points), owned by the proof; *len is set to 192. BN254 proofs: NULL and *len = 0. */
const uint8_t* pm_proof_filecoin(const pm_proof* proof, size_t* len);
/* Which device produced it, and milliseconds spent per stage (for benchmarks). */
pm_device pm_proof_device(const pm_proof* proof);
void pm_proof_destroy(pm_proof* proof); /* NULL is fine */


/* ---- development keys (benchmarks and tests only: the toxic waste is known) -------------- */

/* Writes a snarkjs-compatible Groth16 .zkey for the circom circuit in r1cs_path, from a random
 * (seeded) tau/alpha/beta/gamma/delta that is thrown away. NOT a trusted setup: for benchmarks
 * and tests, so large circuits need no slow ceremony. snarkjs proves with it and verifies against
 * the vkey that `snarkjs zkey export verificationkey` derives from it. */
pm_status pm_dev_setup_r1cs(const char* zkey_out, const char* r1cs_path, uint64_t seed);

/* A synthetic multiplication-chain circuit with 2^log_constraints - 3 constraints (so its domain is
 * exactly 2^log_constraints, like the benchmark's chain circuits) and one public output, written
 * to dir/circuit.zkey, dir/circuit.r1cs and a matching, satisfying dir/witness.wtns (snarkjs
 * formats), so whole proofs can be benchmarked where there is no Node or circom (GPU boxes). */
pm_status pm_dev_setup_synthetic(const char* dir, pm_curve curve, uint32_t log_constraints,
                                 uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif /* PROOFMARKET_H */
