#include "io/wtns.hpp"

#include <cstring>

namespace pm::io {

Wtns parse_wtns(const uint8_t* data, size_t size, const std::string& name) {
  BinFile f = parse_binfile(data, size, "wtns", 2, name);
  const char* nm = f.name.c_str();
  Wtns w;
  const Section& s1 = f.unique(1, "header");
  std::string what = f.name + ": section 1 (witness header)";
  Reader r(f.at(s1), s1.size, what.c_str());
  w.n8 = r.u32();
  if (w.n8 == 0 || w.n8 > 64 || w.n8 % 8 != 0)
    fail(PM_ERR_FORMAT, "%s: field element size n8 = %u is not a multiple of 8 in 8..64", nm, w.n8);
  w.prime = r.bytes(w.n8);
  w.n_witness = r.u32();
  const Section& s2 = f.unique(2, "witness values");
  uint64_t expect = (uint64_t)w.n_witness * w.n8;
  if (s2.size != expect)
    fail(PM_ERR_FORMAT, "%s: section 2 (witness values) has %llu bytes, but the header says %u values of %u bytes",
         nm, (unsigned long long)s2.size, w.n_witness, w.n8);
  w.values = f.at(s2);
  return w;
}

void check_wtns_matches(const Wtns& w, const Zkey& z, const std::string& name) {
  const char* nm = name.c_str();
  if (w.n8 != z.n8r || std::memcmp(w.prime, z.r, z.n8r) != 0) {
    Prime pw = identify_prime(w.prime, w.n8);
    Prime pz = identify_prime(z.r, z.n8r);
    fail(PM_ERR_MISMATCH, "%s: witness field does not match the zkey: witness prime %s (%s), zkey scalar prime %s (%s)",
         nm, le_to_decimal(w.prime, w.n8).c_str(), prime_name(pw), le_to_decimal(z.r, z.n8r).c_str(),
         prime_name(pz));
  }
  if (w.n_witness != z.n_vars)
    fail(PM_ERR_MISMATCH, "%s: witness has %u values but the circuit of %s has %u signals (a witness of another circuit?)",
         nm, w.n_witness, z.path.c_str(), z.n_vars);
  for (uint32_t i = 0; i < w.n_witness; i++) {
    const uint8_t* v = w.values + (size_t)i * w.n8;
    // value < r ?
    bool lt = false;
    for (size_t k = w.n8; k-- > 0;) {
      if (v[k] != z.r[k]) {
        lt = v[k] < z.r[k];
        break;
      }
    }
    if (!lt) fail(PM_ERR_FORMAT, "%s: witness value %u is not below the scalar field modulus", nm, i);
  }
}

std::string write_wtns(const uint8_t* prime_le, const uint8_t* values, uint32_t n_witness) {
  BinWriter w("wtns", 2, 2);
  w.begin_section(1);
  w.u32(32);
  w.put(prime_le, 32);
  w.u32(n_witness);
  w.end_section();
  w.begin_section(2);
  w.put(values, (size_t)n_witness * 32);
  w.end_section();
  return w.bytes();
}

}  // namespace pm::io
