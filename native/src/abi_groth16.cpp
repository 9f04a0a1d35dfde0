// C ABI: zkey handles, the Groth16 prover, proof accessors and development keys.
// Every entry point runs inside pm::guard so no exception crosses the boundary.
#include <memory>
#include <string>

#include "groth16/devsetup.hpp"
#include "groth16/prover.hpp"
#include "io/zkey.hpp"
#include "proofmarket.h"
#include "util/status.hpp"

struct pm_zkey {
  std::unique_ptr<pm::io::Zkey> z;
};

struct pm_proof {
  pm::groth16::ProveResult r;
};

extern "C" {

pm_status pm_zkey_open(pm_zkey** out, const char* path) {
  return pm::guard([&] {
    if (!out) pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_zkey_open: out is NULL");
    *out = nullptr;
    if (!path || !*path) pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_zkey_open: no path given");
    auto h = std::make_unique<pm_zkey>();
    h->z = pm::io::open_zkey(path);
    pm::groth16::validate_points(*h->z, 0);  // once per key, so proofs need not re-check
    *out = h.release();
  });
}

pm_status pm_zkey_get_info(pm_zkey_info* out, const pm_zkey* zkey) {
  return pm::guard([&] {
    if (!out || !zkey) pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_zkey_get_info: NULL argument");
    const pm::io::Zkey& z = *zkey->z;
    out->curve = z.curve;
    out->n_vars = z.n_vars;
    out->n_public = z.n_public;
    out->domain_size = z.domain_size;
    out->domain_log2 = z.domain_log2;
    out->n_coefs = z.n_coefs;
  });
}

void pm_zkey_close(pm_zkey* zkey) { delete zkey; }

pm_prove_config pm_default_prove_config(void) {
  pm_prove_config c;
  c.device = PM_DEVICE_AUTO;
  c.threads = 0;
  c.progress = nullptr;
  c.progress_user = nullptr;
  return c;
}

pm_status pm_groth16_prove(pm_proof** out, const pm_zkey* zkey, const uint8_t* wtns, size_t wtns_len,
                           const pm_prove_config* cfg) {
  return pm::guard([&] {
    if (!out) pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_groth16_prove: out is NULL");
    *out = nullptr;
    if (!zkey) pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_groth16_prove: zkey is NULL");
    if (!wtns && wtns_len) pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_groth16_prove: wtns is NULL");
    pm_prove_config c = cfg ? *cfg : pm_default_prove_config();
    if (c.threads < 0) pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_groth16_prove: threads %d < 0", c.threads);
    auto p = std::make_unique<pm_proof>();
    p->r = pm::groth16::prove(*zkey->z, wtns, wtns_len, c);
    *out = p.release();
  });
}

const char* pm_proof_json(const pm_proof* proof) { return proof ? proof->r.proof_json.c_str() : ""; }
const char* pm_proof_public_json(const pm_proof* proof) { return proof ? proof->r.public_json.c_str() : ""; }
const uint8_t* pm_proof_filecoin(const pm_proof* proof, size_t* len) {
  if (!proof || proof->r.filecoin.empty()) {
    if (len) *len = 0;
    return nullptr;
  }
  if (len) *len = proof->r.filecoin.size();
  return reinterpret_cast<const uint8_t*>(proof->r.filecoin.data());
}
pm_device pm_proof_device(const pm_proof* proof) { return proof ? proof->r.device : PM_DEVICE_CPU; }
void pm_proof_destroy(pm_proof* proof) { delete proof; }

pm_status pm_dev_setup_r1cs(const char* zkey_out, const char* r1cs_path, uint64_t seed) {
  return pm::guard([&] {
    if (!zkey_out || !*zkey_out || !r1cs_path || !*r1cs_path)
      pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_dev_setup_r1cs: zkey_out and r1cs_path are required");
    pm::groth16::dev_setup_r1cs(zkey_out, r1cs_path, seed, 0);
  });
}

pm_status pm_dev_setup_synthetic(const char* dir, pm_curve curve, uint32_t log_constraints, uint64_t seed) {
  return pm::guard([&] {
    if (!dir || !*dir) pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_dev_setup_synthetic: dir is required");
    if (curve != PM_CURVE_BN254 && curve != PM_CURVE_BLS12_381)
      pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_dev_setup_synthetic: unknown curve %d", (int)curve);
    if (log_constraints < 2 || log_constraints > 26)
      pm::fail(PM_ERR_INVALID_ARGUMENT, "pm_dev_setup_synthetic: log_constraints %u outside 2..26", log_constraints);
    pm::groth16::dev_setup_synthetic(dir, curve, log_constraints, seed, 0);
  });
}

}  // extern "C"
