// pmtool prove ZKEY WTNS PROOF PUBLIC [--device auto|cpu|cuda] [--threads N] [--filecoin-out FILE]
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "proofmarket.h"

namespace {

using Clock = std::chrono::steady_clock;

// Wall and process CPU time (all threads) per stage: cpu / wall is how many cores the stage kept
// busy (2.0 = both of a 2-core machine), the check that no stage leaves a thread idle.
double cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

struct StageTimer {
  struct Stage {
    std::string name;
    double wall_ms, cpu_ms;
  };
  Clock::time_point t0 = Clock::now(), last = t0;
  double last_cpu = cpu_ms();
  std::string current;
  std::vector<Stage> stages;
  void mark(const char* stage) {
    auto now = Clock::now();
    double cpu = cpu_ms();
    if (!current.empty())
      stages.push_back({current, std::chrono::duration<double, std::milli>(now - last).count(), cpu - last_cpu});
    current = stage ? stage : "";
    last = now;
    last_cpu = cpu;
  }
};

int on_progress(void* user, const char* stage, double fraction) {
  auto* t = static_cast<StageTimer*>(user);
  if (fraction == 0.0 || t->current != stage) {
    if (t->current != stage) t->mark(stage);
  }
  return 0;
}

bool write_text(const char* path, const char* text) {
  FILE* f = std::fopen(path, "wb");
  if (!f) return false;
  size_t n = std::strlen(text);
  bool ok = std::fwrite(text, 1, n, f) == n;
  return std::fclose(f) == 0 && ok;
}

// The whole file in one buffer sized from fstat, filled with read(2) straight into it (a 2^20
// witness is 32 MiB: growing a vector 64 KiB at a time copied it ~twice and cost ~90 ms).
// Files that grow while read, or report no size, still read to the end.
bool read_all(const char* path, std::vector<uint8_t>& out) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat sb;
  size_t cap = ::fstat(fd, &sb) == 0 && sb.st_size > 0 ? (size_t)sb.st_size : 0;
  out.resize(cap + 1);  // one spare byte: a read that fills it means the file grew
  size_t got = 0;
  for (;;) {
    if (got == out.size()) out.resize(out.size() * 2);
    ssize_t r = ::read(fd, out.data() + got, out.size() - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      ::close(fd);
      errno = e;
      return false;
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  ::close(fd);
  out.resize(got);
  return true;
}

int usage() {
  std::fprintf(stderr, "usage: pmtool prove ZKEY WTNS PROOF PUBLIC [--device auto|cpu|cuda] [--threads N] [--filecoin-out FILE]\n"
                       "  --filecoin-out FILE  (BLS12-381) also write Filecoin's 192-byte compressed proof A||B||C\n");
  return 2;
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

}  // namespace

int cmd_prove(int argc, char** argv) {
  std::vector<const char*> pos;
  pm_prove_config cfg = pm_default_prove_config();
  const char* filecoin_path = nullptr;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--device") && i + 1 < argc) {
      const char* d = argv[++i];
      if (!std::strcmp(d, "auto")) cfg.device = PM_DEVICE_AUTO;
      else if (!std::strcmp(d, "cpu")) cfg.device = PM_DEVICE_CPU;
      else if (!std::strcmp(d, "cuda")) cfg.device = PM_DEVICE_CUDA;
      else {
        std::fprintf(stderr, "pmtool prove: unknown device \"%s\" (auto, cpu or cuda)\n", d);
        return 2;
      }
    } else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) {
      char* end;
      const char* v = argv[++i];
      long t = std::strtol(v, &end, 10);
      if (!*v || *end || t < 0 || t > 4096) {
        std::fprintf(stderr, "pmtool prove: --threads wants a whole number from 0 (all cores) to 4096, got \"%s\"\n", v);
        return 2;
      }
      cfg.threads = (int)t;
    } else if (!std::strcmp(argv[i], "--filecoin-out") && i + 1 < argc) {
      filecoin_path = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1] == '-') {
      std::fprintf(stderr, "pmtool prove: unknown option %s\n", argv[i]);
      return usage();
    } else {
      pos.push_back(argv[i]);
    }
  }
  if (pos.size() != 4) return usage();
  const char *zkey_path = pos[0], *wtns_path = pos[1], *proof_path = pos[2], *public_path = pos[3];

  auto t0 = Clock::now();
  pm_zkey* zkey = nullptr;
  pm_status st = pm_zkey_open(&zkey, zkey_path);
  if (st.code != PM_OK) {
    std::fprintf(stderr, "pmtool prove: %s\n", st.message);
    return 1;
  }
  double t_open = ms_since(t0);
  std::vector<uint8_t> wtns;
  auto t1 = Clock::now();
  if (!read_all(wtns_path, wtns)) {
    std::fprintf(stderr, "pmtool prove: %s: cannot read: %s\n", wtns_path, std::strerror(errno));
    pm_zkey_close(zkey);
    return 1;
  }
  double t_read = ms_since(t1);

  StageTimer timer;
  cfg.progress = on_progress;
  cfg.progress_user = &timer;
  pm_proof* proof = nullptr;
  auto t2 = Clock::now();
  st = pm_groth16_prove(&proof, zkey, wtns.data(), wtns.size(), &cfg);
  timer.mark(nullptr);
  double t_prove = ms_since(t2);
  pm_zkey_close(zkey);
  if (st.code != PM_OK) {
    std::fprintf(stderr, "pmtool prove: %s\n", st.message);
    return 1;
  }
  int rc = 0;
  if (!write_text(proof_path, pm_proof_json(proof))) {
    std::fprintf(stderr, "pmtool prove: %s: cannot write: %s\n", proof_path, std::strerror(errno));
    rc = 1;
  } else if (!write_text(public_path, pm_proof_public_json(proof))) {
    std::fprintf(stderr, "pmtool prove: %s: cannot write: %s\n", public_path, std::strerror(errno));
    rc = 1;
  }
  if (rc == 0 && filecoin_path) {
    size_t len = 0;
    const uint8_t* fc = pm_proof_filecoin(proof, &len);
    FILE* f = fc ? std::fopen(filecoin_path, "wb") : nullptr;
    if (!fc) {
      std::fprintf(stderr, "pmtool prove: --filecoin-out: Filecoin's encoding is for BLS12-381 proofs; this zkey is BN254\n");
      rc = 1;
    } else if (!f || std::fwrite(fc, 1, len, f) != len || std::fclose(f) != 0) {
      std::fprintf(stderr, "pmtool prove: %s: cannot write: %s\n", filecoin_path, std::strerror(errno));
      rc = 1;
    }
  }
  pm_device dev = pm_proof_device(proof);
  pm_proof_destroy(proof);
  std::fprintf(stderr, "device: %s\n", dev == PM_DEVICE_CUDA ? "cuda" : "cpu");
  std::fprintf(stderr, "  %-10s %9.1f ms\n", "open-zkey", t_open);
  std::fprintf(stderr, "  %-10s %9.1f ms\n", "read-wtns", t_read);
  for (auto& s : timer.stages)
    std::fprintf(stderr, "  %-10s %9.1f ms  cpu %9.1f ms  (%.2f cores)\n", s.name.c_str(), s.wall_ms, s.cpu_ms,
                 s.wall_ms > 0 ? s.cpu_ms / s.wall_ms : 0.0);
  std::fprintf(stderr, "  %-10s %9.1f ms\n", "prove", t_prove);
  std::fprintf(stderr, "  %-10s %9.1f ms\n", "total", ms_since(t0));
  return rc;
}
