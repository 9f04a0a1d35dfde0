#include "io/r1cs.hpp"

namespace pm::io {

R1cs parse_r1cs(const uint8_t* data, size_t size, const std::string& name) {
  BinFile f = parse_binfile(data, size, "r1cs", 1, name);
  const char* nm = f.name.c_str();
  R1cs r;
  const Section& s1 = f.unique(1, "header");
  std::string what1 = f.name + ": section 1 (r1cs header)";
  Reader h(f.at(s1), s1.size, what1.c_str());
  r.n8 = h.u32();
  if (r.n8 != 32) fail(PM_ERR_FORMAT, "%s: field element size %u (expected 32)", nm, r.n8);
  const uint8_t* prime = h.bytes(r.n8);
  Prime p = identify_prime(prime, r.n8);
  if (p == Prime::BN254_R)
    r.curve = PM_CURVE_BN254;
  else if (p == Prime::BLS12_381_R)
    r.curve = PM_CURVE_BLS12_381;
  else
    fail(PM_ERR_UNSUPPORTED, "%s: circuit prime %s is %s; this engine knows the BN254 and BLS12-381 scalar fields",
         nm, le_to_decimal(prime, r.n8).c_str(), prime_name(p));
  r.n_vars = h.u32();
  r.n_outputs = h.u32();
  r.n_pub_inputs = h.u32();
  r.n_prv_inputs = h.u32();
  r.n_labels = h.u64();
  r.n_constraints = h.u32();
  if (r.n_vars == 0) fail(PM_ERR_FORMAT, "%s: nVars is 0", nm);
  if ((uint64_t)r.n_outputs + r.n_pub_inputs + 1 > r.n_vars)
    fail(PM_ERR_FORMAT, "%s: %u outputs + %u public inputs + 1 exceed nVars %u", nm, r.n_outputs, r.n_pub_inputs,
         r.n_vars);

  const Section& s2 = f.unique(2, "constraints");
  std::string what2 = f.name + ": section 2 (constraints)";
  Reader c(f.at(s2), s2.size, what2.c_str());
  // every term takes at least 4 + n8 bytes, every LC 4: reject absurd counts before reserving
  if ((uint64_t)r.n_constraints * 12 > s2.size)
    fail(PM_ERR_FORMAT, "%s: %u constraints cannot fit in a %llu-byte constraint section", nm, r.n_constraints,
         (unsigned long long)s2.size);
  r.lc_start.reserve((size_t)r.n_constraints * 3 + 1);
  r.terms.reserve(s2.size / (4 + r.n8));
  const uint8_t* mod = prime;
  for (uint32_t k = 0; k < r.n_constraints; k++) {
    for (int m = 0; m < 3; m++) {
      r.lc_start.push_back(r.terms.size());
      uint32_t nt = c.u32();
      if ((uint64_t)nt * (4 + r.n8) > c.left())
        fail(PM_ERR_FORMAT, "%s: constraint %u claims %u terms, past the end of the section", nm, k, nt);
      for (uint32_t t = 0; t < nt; t++) {
        uint32_t sig = c.u32();
        const uint8_t* v = c.bytes(r.n8);
        if (sig >= r.n_vars)
          fail(PM_ERR_FORMAT, "%s: constraint %u uses signal %u but the circuit has %u", nm, k, sig, r.n_vars);
        bool lt = false;
        for (size_t i = r.n8; i-- > 0;)
          if (v[i] != mod[i]) {
            lt = v[i] < mod[i];
            break;
          }
        if (!lt) fail(PM_ERR_FORMAT, "%s: constraint %u has a coefficient not below the field modulus", nm, k);
        r.terms.push_back({sig, v});
      }
    }
  }
  r.lc_start.push_back(r.terms.size());
  if (c.left() != 0)
    fail(PM_ERR_FORMAT, "%s: %zu unexpected bytes after the last constraint", nm, c.left());
  return r;
}

}  // namespace pm::io
