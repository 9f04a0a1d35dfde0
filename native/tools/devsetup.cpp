// pmtool devsetup --r1cs R1CS --out ZKEY [--seed S]
// pmtool devsetup --synthetic LOG2 --curve bn254|bls12-381 --out DIR [--seed S]
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "commands.h"
#include "proofmarket.h"

namespace {
int usage() {
  std::fprintf(stderr,
               "usage: pmtool devsetup --r1cs R1CS --out ZKEY [--seed S]\n"
               "       pmtool devsetup --synthetic LOG2 --curve bn254|bls12-381 --out DIR [--seed S]\n");
  return 2;
}
bool parse_u64(const char* s, uint64_t& out) {
  char* end;
  errno = 0;
  unsigned long long v = std::strtoull(s, &end, 0);
  if (*s == '-' || *end || errno) return false;
  out = v;
  return true;
}
}  // namespace

int cmd_devsetup(int argc, char** argv) {
  const char *r1cs = nullptr, *out = nullptr, *curve_s = nullptr, *synth = nullptr;
  uint64_t seed = 0;
  bool have_seed = false;
  for (int i = 1; i < argc; i++) {
    auto val = [&](const char*& dst) {
      if (i + 1 >= argc) return false;
      dst = argv[++i];
      return true;
    };
    if (!std::strcmp(argv[i], "--r1cs")) { if (!val(r1cs)) return usage(); }
    else if (!std::strcmp(argv[i], "--out")) { if (!val(out)) return usage(); }
    else if (!std::strcmp(argv[i], "--curve")) { if (!val(curve_s)) return usage(); }
    else if (!std::strcmp(argv[i], "--synthetic")) { if (!val(synth)) return usage(); }
    else if (!std::strcmp(argv[i], "--seed")) {
      const char* s = nullptr;
      if (!val(s) || !parse_u64(s, seed)) {
        std::fprintf(stderr, "pmtool devsetup: --seed wants an unsigned integer\n");
        return 2;
      }
      have_seed = true;
    } else {
      std::fprintf(stderr, "pmtool devsetup: unexpected argument %s\n", argv[i]);
      return usage();
    }
  }
  if (!out || (!r1cs == !synth)) return usage();
  if (!have_seed) {
    std::random_device rd;
    seed = ((uint64_t)rd() << 32) ^ rd();
  }
  std::fprintf(stderr, "devsetup: seed %llu (development key: the toxic waste is known)\n", (unsigned long long)seed);
  auto t0 = std::chrono::steady_clock::now();
  pm_status st;
  if (r1cs) {
    if (curve_s) std::fprintf(stderr, "pmtool devsetup: --curve is ignored with --r1cs (the r1cs names its field)\n");
    st = pm_dev_setup_r1cs(out, r1cs, seed);
  } else {
    uint64_t lg;
    if (!parse_u64(synth, lg) || lg < 2 || lg > 26) {
      std::fprintf(stderr, "pmtool devsetup: --synthetic wants LOG2 in 2..26\n");
      return 2;
    }
    pm_curve curve;
    if (!curve_s || !std::strcmp(curve_s, "bn254") || !std::strcmp(curve_s, "bn128")) curve = PM_CURVE_BN254;
    else if (!std::strcmp(curve_s, "bls12-381") || !std::strcmp(curve_s, "bls12381")) curve = PM_CURVE_BLS12_381;
    else {
      std::fprintf(stderr, "pmtool devsetup: unknown curve \"%s\" (bn254 or bls12-381)\n", curve_s);
      return 2;
    }
    st = pm_dev_setup_synthetic(out, curve, (uint32_t)lg, seed);
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (st.code != PM_OK) {
    std::fprintf(stderr, "pmtool devsetup: %s\n", st.message);
    return 1;
  }
  std::fprintf(stderr, "devsetup: wrote %s in %.1f ms\n", out, ms);
  return 0;
}
