#include "io/binfile.hpp"

#include <algorithm>

#include "curves/params_generated.hpp"

namespace pm::io {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the engine assumes a little-endian host");

BinFile parse_binfile(const uint8_t* data, size_t size, const char* magic, uint32_t max_version,
                      const std::string& name) {
  BinFile f;
  f.data = data;
  f.size = size;
  f.name = name;
  if (!data && size) fail(PM_ERR_INVALID_ARGUMENT, "%s: null buffer", name.c_str());
  if (size < 12)
    fail(PM_ERR_FORMAT, "%s: not a .%s file (only %zu bytes, the header alone is 12)", name.c_str(), magic,
         size);
  if (std::memcmp(data, magic, 4) != 0) {
    char got[5] = {0};
    for (int i = 0; i < 4; i++) got[i] = (data[i] >= 32 && data[i] < 127) ? (char)data[i] : '?';
    fail(PM_ERR_FORMAT, "%s: not a .%s file (magic is \"%s\", expected \"%s\")", name.c_str(), magic, got,
         magic);
  }
  Reader r(data, size, name.c_str());
  r.pos = 4;
  f.version = r.u32();
  if (f.version == 0 || f.version > max_version)
    fail(PM_ERR_FORMAT, "%s: unsupported .%s version %u (this engine reads 1..%u)", name.c_str(), magic,
         f.version, max_version);
  uint32_t n = r.u32();
  if (n > 4096) fail(PM_ERR_FORMAT, "%s: implausible section count %u", name.c_str(), n);
  f.sections.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    if (r.left() < 12)
      fail(PM_ERR_FORMAT, "%s: truncated: section table entry %u of %u is past the end of the file (%zu bytes)",
           name.c_str(), i + 1, n, size);
    Section s;
    s.type = r.u32();
    s.size = r.u64();
    s.offset = r.pos;
    if (s.size > r.left())
      fail(PM_ERR_FORMAT,
           "%s: truncated or corrupted: section %u (type %u) claims %llu bytes at offset %llu but the file "
           "has only %zu bytes",
           name.c_str(), i + 1, s.type, (unsigned long long)s.size, (unsigned long long)s.offset, size);
    r.pos += (size_t)s.size;
    f.sections.push_back(s);
  }
  return f;
}

const Section* BinFile::find(uint32_t type) const {
  for (auto& s : sections)
    if (s.type == type) return &s;
  return nullptr;
}

const Section& BinFile::unique(uint32_t type, const char* label) const {
  const Section* found = nullptr;
  for (auto& s : sections) {
    if (s.type != type) continue;
    if (found) fail(PM_ERR_FORMAT, "%s: section %u (%s) appears twice", name.c_str(), type, label);
    found = &s;
  }
  if (!found) fail(PM_ERR_FORMAT, "%s: missing section %u (%s)", name.c_str(), type, label);
  return *found;
}

BinWriter::BinWriter(const char* magic, uint32_t version, uint32_t n_sections) {
  put(magic, 4);
  u32(version);
  u32(n_sections);
}

void BinWriter::begin_section(uint32_t type) {
  if (in_section_) fail(PM_ERR_INTERNAL, "BinWriter: nested section");
  u32(type);
  section_size_pos_ = buf_.size();
  u64(0);
  in_section_ = true;
}

void BinWriter::end_section() {
  if (!in_section_) fail(PM_ERR_INTERNAL, "BinWriter: end without begin");
  uint64_t sz = buf_.size() - section_size_pos_ - 8;
  std::memcpy(&buf_[section_size_pos_], &sz, 8);
  in_section_ = false;
}

template <size_t N>
static bool eq_limbs(const uint8_t* le, size_t n8, const uint64_t (&mod)[N]) {
  return n8 == N * 8 && std::memcmp(le, mod, N * 8) == 0;
}

Prime identify_prime(const uint8_t* le, size_t n8) {
  if (eq_limbs(le, n8, Bn254FqParams::MOD)) return Prime::BN254_Q;
  if (eq_limbs(le, n8, Bn254FrParams::MOD)) return Prime::BN254_R;
  if (eq_limbs(le, n8, Bls12_381FqParams::MOD)) return Prime::BLS12_381_Q;
  if (eq_limbs(le, n8, Bls12_381FrParams::MOD)) return Prime::BLS12_381_R;
  return Prime::UNKNOWN;
}

const char* prime_name(Prime p) {
  switch (p) {
    case Prime::BN254_Q: return "the BN254 base field";
    case Prime::BN254_R: return "the BN254 scalar field";
    case Prime::BLS12_381_Q: return "the BLS12-381 base field";
    case Prime::BLS12_381_R: return "the BLS12-381 scalar field";
    default: return "an unknown prime";
  }
}

std::string le_to_decimal(const uint8_t* le, size_t n) {
  // schoolbook: repeatedly divide a big-endian copy by 10
  std::vector<uint8_t> be(le, le + n);
  std::reverse(be.begin(), be.end());
  std::string out;
  bool nonzero = true;
  while (nonzero) {
    nonzero = false;
    unsigned rem = 0;
    for (auto& b : be) {
      unsigned cur = rem * 256 + b;
      b = (uint8_t)(cur / 10);
      rem = cur % 10;
      if (b) nonzero = true;
    }
    out.push_back((char)('0' + rem));
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace pm::io
