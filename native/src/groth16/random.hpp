// Fresh randomness from the kernel CSPRNG (getrandom(2), falling back to /dev/urandom).
#pragma once
#include <cstddef>
#include <cstdint>

namespace pm {
// Fills buf with n cryptographically secure random bytes; throws pm::Error(PM_ERR_IO) if the
// kernel cannot supply them.
void secure_random(uint8_t* buf, size_t n);
}  // namespace pm
