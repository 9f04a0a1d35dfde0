// A read-only memory mapping of a whole file. Multi-GB zkeys are read straight from the mapping,
// never copied; the kernel pages them in on demand.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace pm::io {

class MappedFile {
 public:
  MappedFile() = default;
  // Throws pm::Error(PM_ERR_IO) naming the path when the file cannot be opened or mapped.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& o) noexcept;
  MappedFile& operator=(MappedFile&& o) noexcept;

  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Tells the kernel a section will be read soon and sequentially (a hint; errors ignored).
  void advise_willneed(size_t offset, size_t len) const;

 private:
  void release();
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::string path_;
};

// Reads a whole (small) file into memory, e.g. a .wtns or .r1cs. Throws PM_ERR_IO.
std::string read_file(const std::string& path);
// Writes bytes to path (truncating). Throws PM_ERR_IO naming the path.
void write_file(const std::string& path, const void* data, size_t len);

}  // namespace pm::io
