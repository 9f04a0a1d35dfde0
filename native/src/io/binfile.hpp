// The iden3/snarkjs binary container shared by .zkey, .wtns, .r1cs and .ptau files:
//   magic[4] ("zkey" / "wtns" / "r1cs"), version u32, nSections u32,
//   then nSections times { type u32, size u64, size bytes of payload }  (all little-endian).
// Parsing checks every size against the bytes actually present.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "util/status.hpp"

namespace pm::io {

struct Section {
  uint32_t type = 0;
  uint64_t offset = 0;  // of the payload, from the start of the file
  uint64_t size = 0;
};

// A bounds-checked little-endian reader over [p, p+len).
struct Reader {
  const uint8_t* p;
  size_t len;
  size_t pos = 0;
  const char* what;  // e.g. "x.zkey: section 2 (header)" for error messages

  Reader(const uint8_t* p_, size_t len_, const char* what_) : p(p_), len(len_), what(what_) {}
  void need(size_t n) const {
    if (n > len - pos)
      fail(PM_ERR_FORMAT, "%s: truncated (needs %zu more bytes at offset %zu, has %zu)", what, n, pos,
           len - pos);
  }
  uint32_t u32() {
    need(4);
    uint32_t v;
    std::memcpy(&v, p + pos, 4);
    pos += 4;
    return v;
  }
  uint64_t u64() {
    need(8);
    uint64_t v;
    std::memcpy(&v, p + pos, 8);
    pos += 8;
    return v;
  }
  const uint8_t* bytes(size_t n) {
    need(n);
    const uint8_t* r = p + pos;
    pos += n;
    return r;
  }
  size_t left() const { return len - pos; }
};

struct BinFile {
  const uint8_t* data = nullptr;
  size_t size = 0;
  std::string name;  // file name (or "wtns buffer") used in every error message
  uint32_t version = 0;
  std::vector<Section> sections;

  // The one section of this type; PM_ERR_FORMAT when missing or duplicated.
  const Section& unique(uint32_t type, const char* label) const;
  const Section* find(uint32_t type) const;
  const uint8_t* at(const Section& s) const { return data + s.offset; }
};

// Parses the container. magic is 4 chars; versions above max_version are PM_ERR_FORMAT.
BinFile parse_binfile(const uint8_t* data, size_t size, const char* magic, uint32_t max_version,
                      const std::string& name);

// Incremental writer for the same container (dev keys, synthetic witnesses).
class BinWriter {
 public:
  BinWriter(const char* magic, uint32_t version, uint32_t n_sections);
  void begin_section(uint32_t type);
  void end_section();
  void u32(uint32_t v) { put(&v, 4); }
  void u64(uint64_t v) { put(&v, 8); }
  void put(const void* d, size_t n) { buf_.append((const char*)d, n); }
  // Reserve n bytes inside the current section and return a pointer to fill (valid until the
  // next write).
  uint8_t* reserve(size_t n) {
    size_t at = buf_.size();
    buf_.resize(at + n);
    return (uint8_t*)&buf_[at];
  }
  const std::string& bytes() const { return buf_; }
  std::string& mutable_bytes() { return buf_; }

 private:
  std::string buf_;
  size_t section_size_pos_ = 0;
  bool in_section_ = false;
};

// Known primes, by their little-endian bytes.
enum class Prime { UNKNOWN, BN254_Q, BN254_R, BLS12_381_Q, BLS12_381_R };
Prime identify_prime(const uint8_t* le, size_t n8);
const char* prime_name(Prime p);
std::string le_to_decimal(const uint8_t* le, size_t n);

}  // namespace pm::io
