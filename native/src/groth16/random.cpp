#include "groth16/random.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/status.hpp"

namespace pm {

void secure_random(uint8_t* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::getrandom(buf + got, n - got, 0);
    if (r > 0) {
      got += (size_t)r;
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    break;
  }
  if (got == n) return;
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail(PM_ERR_IO, "no secure randomness: getrandom and /dev/urandom failed (%s)", std::strerror(errno));
  while (got < n) {
    ssize_t r = ::read(fd, buf + got, n - got);
    if (r <= 0) {
      if (r < 0 && errno == EINTR) continue;
      ::close(fd);
      fail(PM_ERR_IO, "no secure randomness: reading /dev/urandom failed");
    }
    got += (size_t)r;
  }
  ::close(fd);
}

}  // namespace pm
