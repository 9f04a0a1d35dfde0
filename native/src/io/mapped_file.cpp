#include "io/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <cstring>

#include "util/status.hpp"

namespace pm::io {

MappedFile::MappedFile(const std::string& path) : path_(path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(PM_ERR_IO, "%s: cannot open: %s", path.c_str(), std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    fail(PM_ERR_IO, "%s: cannot stat: %s", path.c_str(), std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    fail(PM_ERR_IO, "%s: not a regular file", path.c_str());
  }
  size_ = (size_t)st.st_size;
  if (size_ > 0) {
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int e = errno;
      ::close(fd);
      fail(PM_ERR_IO, "%s: cannot map %zu bytes: %s", path.c_str(), size_, std::strerror(e));
    }
    data_ = (const uint8_t*)p;
  }
  ::close(fd);  // the mapping stays valid
}

MappedFile::~MappedFile() { release(); }

void MappedFile::release() {
  if (data_ && size_) ::munmap((void*)data_, size_);
  data_ = nullptr;
  size_ = 0;
}

MappedFile::MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_), path_(std::move(o.path_)) {
  o.data_ = nullptr;
  o.size_ = 0;
}

MappedFile& MappedFile::operator=(MappedFile&& o) noexcept {
  if (this != &o) {
    release();
    data_ = o.data_;
    size_ = o.size_;
    path_ = std::move(o.path_);
    o.data_ = nullptr;
    o.size_ = 0;
  }
  return *this;
}

void MappedFile::advise_willneed(size_t offset, size_t len) const {
  if (!data_ || offset >= size_) return;
  long pg = ::sysconf(_SC_PAGESIZE);
  size_t start = offset - offset % (size_t)(pg > 0 ? pg : 4096);
  size_t end = std::min(size_, offset + len);
  ::madvise((void*)(data_ + start), end - start, MADV_WILLNEED);
}

std::string read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) fail(PM_ERR_IO, "%s: cannot open: %s", path.c_str(), std::strerror(errno));
  std::string out;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) fail(PM_ERR_IO, "%s: read error", path.c_str());
  return out;
}

void write_file(const std::string& path, const void* data, size_t len) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) fail(PM_ERR_IO, "%s: cannot create: %s", path.c_str(), std::strerror(errno));
  bool okw = len == 0 || std::fwrite(data, 1, len, f) == len;
  bool okc = std::fclose(f) == 0;
  if (!okw || !okc) fail(PM_ERR_IO, "%s: write failed (disk full?)", path.c_str());
}

}  // namespace pm::io
