// pm_fuzz: mutation fuzzer for the zkey / wtns / r1cs parsers and the prover behind them.
// Takes real files, applies random byte flips, truncations, section-size and section-type edits
// and header-field edits, and runs the parsers (and a proof when the mutant still parses). The
// process must never crash, hang or leak: build it with -DPM_SANITIZE=ON (ASan + UBSan).
//
//   pm_fuzz --zkey K --wtns W [--r1cs R] [--seconds S | --iters N] [--seed X]
// Every run prints its seed; the same seed replays the same mutants.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "groth16/prover.hpp"
#include "io/mapped_file.hpp"
#include "io/r1cs.hpp"
#include "io/wtns.hpp"
#include "io/zkey.hpp"
#include "proofmarket.h"
#include "util/status.hpp"

namespace {

std::mt19937_64 rng;
uint64_t rnd(uint64_t n) { return n ? rng() % n : 0; }

// Section table of a container, as far as it is readable (for targeted edits).
std::vector<size_t> size_fields(const std::string& b) {
  std::vector<size_t> out;
  if (b.size() < 12) return out;
  uint32_t n;
  std::memcpy(&n, b.data() + 8, 4);
  size_t pos = 12;
  for (uint32_t i = 0; i < n && pos + 12 <= b.size(); i++) {
    out.push_back(pos);  // type at pos, size at pos + 4
    uint64_t sz;
    std::memcpy(&sz, b.data() + pos + 4, 8);
    if (sz > b.size()) break;
    pos += 12 + sz;
  }
  return out;
}

std::string mutate(const std::string& in) {
  std::string b = in;
  int n_ops = 1 + (int)rnd(4);
  for (int op = 0; op < n_ops; op++) {
    switch (rnd(8)) {
      case 0:
      case 1: {  // flip a few bytes anywhere
        int k = 1 + (int)rnd(8);
        for (int i = 0; i < k && !b.empty(); i++) b[rnd(b.size())] ^= (char)(1 + rnd(255));
        break;
      }
      case 2:  // truncate
        b.resize(rnd(b.size() + 1));
        break;
      case 3: {  // section size edit
        auto f = size_fields(b);
        if (f.empty()) break;
        size_t at = f[rnd(f.size())] + 4;
        uint64_t sz;
        std::memcpy(&sz, &b[at], 8);
        switch (rnd(4)) {
          case 0: sz += 1 + rnd(64); break;
          case 1: sz -= 1 + rnd(64); break;
          case 2: sz = rng(); break;
          default: sz = 0;
        }
        std::memcpy(&b[at], &sz, 8);
        break;
      }
      case 4: {  // section type edit (duplicates / missing sections)
        auto f = size_fields(b);
        if (f.empty()) break;
        uint32_t t = (uint32_t)rnd(12);
        std::memcpy(&b[f[rnd(f.size())]], &t, 4);
        break;
      }
      case 5: {  // overwrite a u32 inside the first sections (counts, sizes, protocol, nVars...)
        auto f = size_fields(b);
        if (f.size() < 2) break;
        size_t base = f[rnd(std::min<size_t>(f.size(), 4))] + 12;
        size_t at = base + 4 * rnd(24);
        if (at + 4 > b.size()) break;
        uint32_t v;
        switch (rnd(4)) {
          case 0: v = (uint32_t)rng(); break;
          case 1: v = 0; break;
          case 2: v = 0xffffffffu; break;
          default: std::memcpy(&v, &b[at], 4); v += (uint32_t)rnd(5) - 2;
        }
        std::memcpy(&b[at], &v, 4);
        break;
      }
      case 6: {  // section count
        if (b.size() >= 12) {
          uint32_t v = (uint32_t)rnd(16);
          std::memcpy(&b[8], &v, 4);
        }
        break;
      }
      default: {  // append or insert junk
        size_t at = rnd(b.size() + 1);
        std::string junk(1 + rnd(64), '\0');
        for (auto& c : junk) c = (char)rng();
        b.insert(at, junk);
      }
    }
  }
  return b;
}

std::string slurp(const char* path) { return pm::io::read_file(path); }

}  // namespace

int main(int argc, char** argv) {
  const char *zkey_path = nullptr, *wtns_path = nullptr, *r1cs_path = nullptr;
  double seconds = 60;
  uint64_t iters = 0, seed = std::random_device{}();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--zkey")) zkey_path = argv[i + 1];
    else if (!std::strcmp(argv[i], "--wtns")) wtns_path = argv[i + 1];
    else if (!std::strcmp(argv[i], "--r1cs")) r1cs_path = argv[i + 1];
    else if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--iters")) iters = std::strtoull(argv[i + 1], nullptr, 0);
    else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 0);
    else {
      std::fprintf(stderr, "pm_fuzz: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (!zkey_path || !wtns_path) {
    std::fprintf(stderr, "usage: pm_fuzz --zkey K --wtns W [--r1cs R] [--seconds S | --iters N] [--seed X]\n");
    return 2;
  }
  std::printf("pm_fuzz seed %llu on %s + %s%s%s\n", (unsigned long long)seed, zkey_path, wtns_path,
              r1cs_path ? " + " : "", r1cs_path ? r1cs_path : "");
  std::fflush(stdout);
  rng.seed(seed);
  const std::string zk = slurp(zkey_path), wt = slurp(wtns_path), r1 = r1cs_path ? slurp(r1cs_path) : "";

  auto good = pm::io::parse_zkey((const uint8_t*)zk.data(), zk.size(), zkey_path);
  pm_prove_config cfg = pm_default_prove_config();
  cfg.device = PM_DEVICE_CPU;
  cfg.threads = 1;

  auto t0 = std::chrono::steady_clock::now();
  uint64_t n = 0, rejected = 0, proved = 0;
  std::vector<uint64_t> by_code(10, 0);
  for (;; n++) {
    if (iters ? n >= iters
              : std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() >= seconds)
      break;
    uint64_t which = rnd(r1.empty() ? 2 : 3);
    pm_status st = pm::guard([&] {
      if (which == 0) {
        std::string m = mutate(zk);
        auto z = pm::io::parse_zkey((const uint8_t*)m.data(), m.size(), "mutant.zkey");
        if (rnd(8) == 0) pm::groth16::validate_points(*z, 1);  // what pm_zkey_open does
        if (rnd(4) == 0) {  // a proof from the mutant key (garbage points must not crash)
          pm::groth16::prove(*z, (const uint8_t*)wt.data(), wt.size(), cfg);
          proved++;
        }
      } else if (which == 1) {
        std::string m = mutate(wt);
        pm::groth16::prove(*good, (const uint8_t*)m.data(), m.size(), cfg);
        proved++;
      } else {
        std::string m = mutate(r1);
        pm::io::parse_r1cs((const uint8_t*)m.data(), m.size(), "mutant.r1cs");
      }
    });
    if (st.code != PM_OK) rejected++;
    if ((int)st.code < (int)by_code.size()) by_code[st.code]++;
    if (st.code == PM_ERR_INTERNAL) {
      std::printf("internal error on iteration %llu: %s\n", (unsigned long long)n, st.message);
      return 1;
    }
  }
  double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("pm_fuzz: %llu mutants in %.1f s: %llu rejected with an error, %llu proofs attempted\n",
              (unsigned long long)n, el, (unsigned long long)rejected, (unsigned long long)proved);
  std::printf("  by code: ok %llu, format %llu, mismatch %llu, unsupported %llu, io %llu, oom %llu\n",
              (unsigned long long)by_code[PM_OK], (unsigned long long)by_code[PM_ERR_FORMAT],
              (unsigned long long)by_code[PM_ERR_MISMATCH], (unsigned long long)by_code[PM_ERR_UNSUPPORTED],
              (unsigned long long)by_code[PM_ERR_IO], (unsigned long long)by_code[PM_ERR_OUT_OF_MEMORY]);
  return 0;
}
