#include "io/zkey.hpp"

#include <cstring>

namespace pm::io {

static const char* protocol_name(uint32_t id) {
  switch (id) {
    case 1: return "Groth16";
    case 2: return "PLONK";
    case 10: return "FFLONK";
    default: return nullptr;
  }
}

static void check_size(const Zkey& z, const BinFile& f, const Section& s, uint64_t expect, const char* label,
                       const char* formula) {
  if (s.size != expect)
    fail(PM_ERR_FORMAT, "%s: section %u (%s) has %llu bytes, expected %llu (%s)", f.name.c_str(), s.type, label,
         (unsigned long long)s.size, (unsigned long long)expect, formula);
  (void)z;
}

// Is the 32-byte little-endian value below the 4-limb modulus?
static bool below(const uint8_t* le, const uint8_t* mod, size_t n8) {
  for (size_t i = n8; i-- > 0;) {
    if (le[i] != mod[i]) return le[i] < mod[i];
  }
  return false;
}

std::unique_ptr<Zkey> parse_zkey(const uint8_t* data, size_t size, const std::string& name) {
  BinFile f = parse_binfile(data, size, "zkey", 2, name);
  auto z = std::make_unique<Zkey>();
  z->path = name;
  const char* nm = f.name.c_str();

  // 1: protocol
  const Section& s1 = f.unique(1, "header");
  {
    Reader r(f.at(s1), s1.size, nm);
    uint32_t proto = r.u32();
    if (proto != 1) {
      const char* pn = protocol_name(proto);
      if (pn) fail(PM_ERR_FORMAT, "%s: zkey is a %s key, not Groth16", nm, pn);
      fail(PM_ERR_FORMAT, "%s: unknown zkey protocol id %u (1 = Groth16)", nm, proto);
    }
  }

  // 2: Groth16 header
  const Section& s2 = f.unique(2, "Groth16 header");
  {
    std::string what = f.name + ": section 2 (Groth16 header)";
    Reader r(f.at(s2), s2.size, what.c_str());
    z->n8q = r.u32();
    if (z->n8q != 32 && z->n8q != 48)
      fail(PM_ERR_FORMAT, "%s: base field size n8q = %u bytes (expected 32 for BN254 or 48 for BLS12-381)", nm,
           z->n8q);
    z->q = r.bytes(z->n8q);
    z->n8r = r.u32();
    if (z->n8r != 32) fail(PM_ERR_FORMAT, "%s: scalar field size n8r = %u bytes (expected 32)", nm, z->n8r);
    z->r = r.bytes(z->n8r);
    Prime pq = identify_prime(z->q, z->n8q), pr = identify_prime(z->r, z->n8r);
    if (pq == Prime::BN254_Q && pr == Prime::BN254_R)
      z->curve = PM_CURVE_BN254;
    else if (pq == Prime::BLS12_381_Q && pr == Prime::BLS12_381_R)
      z->curve = PM_CURVE_BLS12_381;
    else
      fail(PM_ERR_UNSUPPORTED, "%s: curve not supported: base prime q = %s (%s), scalar prime r = %s (%s); "
           "this engine knows BN254 and BLS12-381", nm, le_to_decimal(z->q, z->n8q).c_str(), prime_name(pq),
           le_to_decimal(z->r, z->n8r).c_str(), prime_name(pr));
    z->g1_bytes = 2 * (size_t)z->n8q;
    z->g2_bytes = 4 * (size_t)z->n8q;
    z->n_vars = r.u32();
    z->n_public = r.u32();
    z->domain_size = r.u32();
    if (z->n_vars == 0) fail(PM_ERR_FORMAT, "%s: nVars is 0", nm);
    if ((uint64_t)z->n_public + 1 > z->n_vars)
      fail(PM_ERR_FORMAT, "%s: nPublic %u + 1 exceeds nVars %u", nm, z->n_public, z->n_vars);
    uint32_t d = z->domain_size;
    if (d == 0 || (d & (d - 1)) != 0) fail(PM_ERR_FORMAT, "%s: domain size %u is not a power of two", nm, d);
    uint32_t lg = 0;
    while ((1u << lg) < d) lg++;
    z->domain_log2 = lg;
    uint32_t max_log = z->curve == PM_CURVE_BN254 ? 28 : 32;
    if (lg > max_log)
      fail(PM_ERR_FORMAT, "%s: domain 2^%u is larger than the curve's 2-adicity allows (2^%u)", nm, lg, max_log);
    z->alpha1 = r.bytes(z->g1_bytes);
    z->beta1 = r.bytes(z->g1_bytes);
    z->beta2 = r.bytes(z->g2_bytes);
    z->gamma2 = r.bytes(z->g2_bytes);
    z->delta1 = r.bytes(z->g1_bytes);
    z->delta2 = r.bytes(z->g2_bytes);
    if (r.left() != 0)
      fail(PM_ERR_FORMAT, "%s: section 2 (Groth16 header) has %zu unexpected trailing bytes", nm, r.left());
  }

  const uint64_t g1 = z->g1_bytes, g2 = z->g2_bytes, nv = z->n_vars, np = z->n_public;
  const Section& s3 = f.unique(3, "IC");
  check_size(*z, f, s3, (np + 1) * g1, "IC", "(nPublic+1) G1 points");
  z->ic = f.at(s3);

  const Section& s4 = f.unique(4, "coefficients");
  {
    std::string what = f.name + ": section 4 (coefficients)";
    Reader r(f.at(s4), s4.size, what.c_str());
    z->n_coefs = r.u32();
    check_size(*z, f, s4, 4 + z->n_coefs * (12 + (uint64_t)z->n8r), "coefficients", "4 + n * (12 + n8r)");
    z->coefs = f.at(s4) + 4;
    // range-check every record once so the prover can index without checks
    const uint8_t* base = f.at(s4) + 4;
    uint32_t prev_c = 0;
    for (uint64_t i = 0; i < z->n_coefs; i++) {
      const uint8_t* rec = base + i * 44;
      uint32_t m, c, s;
      std::memcpy(&m, rec, 4);
      std::memcpy(&c, rec + 4, 4);
      std::memcpy(&s, rec + 8, 4);
      if (m > 1)
        fail(PM_ERR_FORMAT, "%s: coefficient %llu names matrix %u (only A = 0 and B = 1 are stored)", nm,
             (unsigned long long)i, m);
      if (c >= z->domain_size)
        fail(PM_ERR_FORMAT, "%s: coefficient %llu names constraint %u, beyond the domain of %u", nm,
             (unsigned long long)i, c, z->domain_size);
      if (s >= z->n_vars)
        fail(PM_ERR_FORMAT, "%s: coefficient %llu names signal %u, but the circuit has %u", nm,
             (unsigned long long)i, s, z->n_vars);
      if (c < prev_c) z->coefs_sorted = false;
      prev_c = c;
      if (!below(rec + 12, z->r, 32))
        fail(PM_ERR_FORMAT, "%s: coefficient %llu value is not below the scalar field modulus", nm,
             (unsigned long long)i);
    }
  }

  const Section& s5 = f.unique(5, "A points");
  check_size(*z, f, s5, nv * g1, "A points", "nVars G1 points");
  z->a = f.at(s5);
  const Section& s6 = f.unique(6, "B1 points");
  check_size(*z, f, s6, nv * g1, "B1 points", "nVars G1 points");
  z->b1 = f.at(s6);
  const Section& s7 = f.unique(7, "B2 points");
  check_size(*z, f, s7, nv * g2, "B2 points", "nVars G2 points");
  z->b2 = f.at(s7);
  const Section& s8 = f.unique(8, "C points");
  check_size(*z, f, s8, (nv - np - 1) * g1, "C points", "(nVars-nPublic-1) G1 points");
  z->c = f.at(s8);
  const Section& s9 = f.unique(9, "H points");
  check_size(*z, f, s9, (uint64_t)z->domain_size * g1, "H points", "domainSize G1 points");
  z->h = f.at(s9);
  return z;
}

std::unique_ptr<Zkey> open_zkey(const std::string& path) {
  auto file = std::make_unique<MappedFile>(path);
  auto z = parse_zkey(file->data(), file->size(), path);
  z->file = std::move(file);
  return z;
}

}  // namespace pm::io
