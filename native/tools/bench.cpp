// pmtool bench [--device cpu|cuda] [--json FILE] [--max-log K] [--g2-max-log K] [--ntt-max-log K]
//              [--proof-logs a,b,c] [--reps R] [--quick] [--seed S] [--c-sweep LOG:CLO-CHI]
//
// Times, on the chosen device: MSM G1 of both curves at 2^16..2^max-log (uniform and
// witness-like scalars: 70% zeros, 20% ones), MSM G2 at a few sizes, forward NTT 2^16..2^max-log,
// and whole synthetic Groth16 proofs (BN254, 2^16/2^18/2^20 constraints by default) on the CPU
// and, with --device cuda, on the GPU too (for the speed-up). For CUDA, kernel time and
// host-to-device time are reported separately; the points stay resident on the card after the
// first (warm-up) call, as a prover's zkey does. Median of --reps runs. Prints a table and, with
// --json, writes the numbers. Points are generated as k*G + j*R walks on all cores.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>
#include <unistd.h>

#include "../cuda/tool_common.hpp"
#include "commands.h"

using namespace pmtools;

namespace {

struct Row {
  std::string op, curve, group, scalars, device;
  int log_n = 0;
  double ms = 0, kernel_ms = -1, h2d_ms = -1;
  int window = 0;
  std::string note;
};
std::vector<Row> g_rows;
int g_reps = 3;
const char* g_json = nullptr;  // rewritten after every row, so a run cut short keeps its numbers
pm_device g_dev = PM_DEVICE_CPU;
uint64_t g_seed = 0;
bool write_json(const char* path, pm_device dev, uint64_t seed);

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void print_row(const Row& r);
void add_row(const Row& r) {
  print_row(r);
  g_rows.push_back(r);
  if (g_json) write_json(g_json, g_dev, g_seed);
}

void print_row(const Row& r) {
  std::printf("%-6s %-10s %-3s %-8s 2^%-3d %-5s %10.2f ms", r.op.c_str(), r.curve.c_str(), r.group.c_str(),
              r.scalars.c_str(), r.log_n, r.device.c_str(), r.ms);
  if (r.kernel_ms >= 0) std::printf("  kernel %9.2f ms  h2d %8.2f ms", r.kernel_ms, r.h2d_ms);
  if (r.window) std::printf("  c=%d", r.window);
  if (!r.note.empty()) std::printf("  %s", r.note.c_str());
  std::printf("\n");
  std::fflush(stdout);
}

template <class C>
void bench_msm(pm_device dev, int lo, int hi, uint64_t seed, int threads) {
  using F = typename C::F;
  if (hi < lo) return;
  size_t nmax = (size_t)1 << hi;
  double t0 = now_ms();
  auto pts = pmg::random_points<C>(nmax, seed, threads);
  double t1 = now_ms();
  const char* curve = C::CURVE == 1 ? "bn254" : "bls12-381";
  std::printf("# %s %s: generated 2^%d points in %.0f ms\n", curve, C::IS_G2 ? "G2" : "G1", hi, t1 - t0);
  for (int kind = 0; kind < 2; kind++) {
    auto sc = make_scalars<typename C::FrP>(nmax, (ScalarKind)kind, seed + 1 + kind);
    for (int lg = lo; lg <= hi; lg++) {
      size_t n = (size_t)1 << lg;
      pm_msm_config cfg = pm_default_msm_config();
      cfg.device = dev;
      pmg::Affine<F> out;
      auto call = [&] {
        return (C::IS_G2 ? pm_msm_g2 : pm_msm_g1)((uint8_t*)&out, (pm_curve)C::CURVE, (const uint8_t*)pts.data(),
                                                  (const uint8_t*)sc.data(), n, &cfg);
      };
      Row r;
      r.op = "msm"; r.curve = curve; r.group = C::IS_G2 ? "G2" : "G1"; r.scalars = kind_name((ScalarKind)kind);
      r.device = dev == PM_DEVICE_CUDA ? "cuda" : "cpu"; r.log_n = lg;
      pm_status st = call();  // warm-up (CUDA: uploads the points once)
      if (st.code != PM_OK) { r.note = std::string("ERROR ") + st.message; add_row(r); break; }
      std::vector<double> wall, kern, h2d;
      for (int k = 0; k < g_reps; k++) {
        double a = now_ms();
        st = call();
        wall.push_back(now_ms() - a);
#ifdef PM_WITH_CUDA
        if (dev == PM_DEVICE_CUDA) {
          pm_cuda_timing tm;
          pm_cuda_last_timing(&tm);
          kern.push_back(tm.kernel_ms);
          h2d.push_back(tm.h2d_ms);
          r.window = tm.window_bits;
        }
#endif
      }
      r.ms = median(wall);
      if (!kern.empty()) { r.kernel_ms = median(kern); r.h2d_ms = median(h2d); }
      add_row(r);
    }
  }
#ifdef PM_WITH_CUDA
  if (dev == PM_DEVICE_CUDA) pm_cuda_cache_clear();
#endif
}

template <class FrP>
void bench_ntt(pm_device dev, pm_curve curve, int lo, int hi, uint64_t seed) {
  if (hi < lo) return;
  size_t nmax = (size_t)1 << hi;
  auto data = make_scalars<FrP>(nmax, UNIFORM, seed);
  for (int lg = lo; lg <= hi; lg++) {
    size_t n = (size_t)1 << lg;
    for (int inv = 0; inv < 2; inv++) {
      std::vector<uint8_t> buf((uint8_t*)data.data(), (uint8_t*)data.data() + n * 32);
      pm_ntt_config cfg = pm_default_ntt_config();
      cfg.device = dev;
      Row r;
      r.op = inv ? "intt" : "ntt"; r.curve = curve == PM_CURVE_BN254 ? "bn254" : "bls12-381"; r.group = "Fr";
      r.scalars = "-"; r.device = dev == PM_DEVICE_CUDA ? "cuda" : "cpu"; r.log_n = lg;
      pm_status st = pm_ntt(buf.data(), curve, lg, inv, &cfg);  // warm-up (twiddles)
      if (st.code != PM_OK) { r.note = std::string("ERROR ") + st.message; add_row(r); return; }
      std::vector<double> wall, kern, h2d;
      for (int k = 0; k < g_reps; k++) {
        double a = now_ms();
        pm_ntt(buf.data(), curve, lg, inv, &cfg);
        wall.push_back(now_ms() - a);
#ifdef PM_WITH_CUDA
        if (dev == PM_DEVICE_CUDA) {
          pm_cuda_timing tm;
          pm_cuda_last_timing(&tm);
          kern.push_back(tm.kernel_ms);
          h2d.push_back(tm.h2d_ms + tm.d2h_ms);
        }
#endif
      }
      r.ms = median(wall);
      if (!kern.empty()) { r.kernel_ms = median(kern); r.h2d_ms = median(h2d); r.note = "h2d column = h2d + d2h"; }
      add_row(r);
    }
  }
}

void bench_proof(pm_device dev, int log_c, uint64_t seed) {
  char dir[] = "/tmp/pmtool-bench-XXXXXX";
  if (!mkdtemp(dir)) { std::printf("# proof: cannot create a temporary folder\n"); return; }
  std::string sdir = dir;
  double t0 = now_ms();
  pm_status st = pm_dev_setup_synthetic(dir, PM_CURVE_BN254, log_c, seed);
  double t1 = now_ms();
  std::printf("# proof bn254 2^%d: synthetic dev setup %.0f ms%s%s\n", log_c, t1 - t0, st.code ? ": " : "",
              st.code ? st.message : "");
  if (st.code != PM_OK) return;
  pm_zkey* z = nullptr;
  st = pm_zkey_open(&z, (sdir + "/circuit.zkey").c_str());
  std::vector<uint8_t> wtns;
  if (st.code == PM_OK && read_file(sdir + "/witness.wtns", wtns)) {
    std::vector<pm_device> devs = {PM_DEVICE_CPU};
    if (dev == PM_DEVICE_CUDA) devs.push_back(PM_DEVICE_CUDA);
    double cpu_ms = 0;
    for (pm_device d : devs) {
      Row r;
      r.op = "prove"; r.curve = "bn254"; r.group = "-"; r.scalars = "witness";
      r.device = d == PM_DEVICE_CUDA ? "cuda" : "cpu"; r.log_n = log_c;
      std::vector<double> wall;
      int reps = d == PM_DEVICE_CUDA ? std::max(2, g_reps) : std::min(2, g_reps);
      for (int k = 0; k < reps + (d == PM_DEVICE_CUDA ? 1 : 0); k++) {  // CUDA: first run uploads the zkey
        pm_prove_config cfg = pm_default_prove_config();
        cfg.device = d;
        pm_proof* p = nullptr;
        double a = now_ms();
        st = pm_groth16_prove(&p, z, wtns.data(), wtns.size(), &cfg);
        double ms = now_ms() - a;
        if (st.code != PM_OK) { r.note = std::string("ERROR ") + st.message; break; }
        if (pm_proof_device(p) != d) r.note = "ran on another device";
        pm_proof_destroy(p);
        if (!(d == PM_DEVICE_CUDA && k == 0)) wall.push_back(ms);
      }
      r.ms = median(wall);
      if (d == PM_DEVICE_CPU) cpu_ms = r.ms;
      else if (r.ms > 0) {
        char b[64];
        std::snprintf(b, sizeof b, "speed-up vs cpu %.1fx", cpu_ms / r.ms);
        r.note += b;
      }
      add_row(r);
    }
  }
  pm_zkey_close(z);
  std::remove((sdir + "/circuit.zkey").c_str());
  std::remove((sdir + "/witness.wtns").c_str());
  rmdir(dir);
#ifdef PM_WITH_CUDA
  if (dev == PM_DEVICE_CUDA) pm_cuda_cache_clear();
#endif
}

// Window-size sweep (CUDA): BN254 G1 at 2^lg, uniform and witness scalars, PM_CUDA_MSM_C = c for
// c in [c_lo, c_hi]; rows carry the c used. The measured best c per size goes into NOTES.md.
void bench_c_sweep(int lg, int c_lo, int c_hi, uint64_t seed, int threads) {
  size_t n = (size_t)1 << lg;
  auto pts = pmg::random_points<pmg::Bn254G1>(n, seed, threads);
  for (int kind = 0; kind < 2; kind++) {
    auto sc = make_scalars<pmg::Bn254FrParams>(n, (ScalarKind)kind, seed + 1 + kind);
    for (int c = c_lo; c <= c_hi; c++) {
      setenv("PM_CUDA_MSM_C", std::to_string(c).c_str(), 1);
      pm_msm_config cfg = pm_default_msm_config();
      cfg.device = PM_DEVICE_CUDA;
      pmg::Affine<pmg::Bn254Fq> out;
      Row r;
      r.op = "msm-c"; r.curve = "bn254"; r.group = "G1"; r.scalars = kind_name((ScalarKind)kind);
      r.device = "cuda"; r.log_n = lg;
      std::vector<double> wall, kern;
      pm_status st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, (const uint8_t*)pts.data(), (const uint8_t*)sc.data(), n, &cfg);
      for (int k = 0; k < g_reps && st.code == PM_OK; k++) {
        double a = now_ms();
        st = pm_msm_g1((uint8_t*)&out, PM_CURVE_BN254, (const uint8_t*)pts.data(), (const uint8_t*)sc.data(), n, &cfg);
        wall.push_back(now_ms() - a);
#ifdef PM_WITH_CUDA
        pm_cuda_timing tm;
        pm_cuda_last_timing(&tm);
        kern.push_back(tm.kernel_ms);
        r.h2d_ms = tm.h2d_ms;
        r.window = tm.window_bits;
#endif
      }
      if (st.code != PM_OK) r.note = std::string("ERROR ") + st.message;
      r.ms = median(wall);
      if (!kern.empty()) r.kernel_ms = median(kern);
      add_row(r);
    }
  }
  unsetenv("PM_CUDA_MSM_C");
#ifdef PM_WITH_CUDA
  pm_cuda_cache_clear();
#endif
}

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') { o += '\\'; o += c; }
    else if ((unsigned char)c < 0x20) o += ' ';
    else o += c;
  }
  return o;
}

bool write_json(const char* path, pm_device dev, uint64_t seed) {
  FILE* f = std::fopen(path, "w");
  if (!f) return false;
  pm_engine_info info;
  pm_engine_info_get(&info);
  std::fprintf(f, "{\n  \"tool\": \"pmtool bench\",\n  \"device\": \"%s\",\n  \"card\": \"%s\",\n",
               dev == PM_DEVICE_CUDA ? "cuda" : "cpu", json_escape(card_name()).c_str());
  std::fprintf(f, "  \"cpu_threads\": %d,\n  \"build\": \"%s\",\n  \"seed\": %" PRIu64 ",\n  \"reps\": %d,\n",
               info.cpu_threads, json_escape(info.build).c_str(), seed, g_reps);
  std::fprintf(f, "  \"rows\": [\n");
  for (size_t i = 0; i < g_rows.size(); i++) {
    const Row& r = g_rows[i];
    std::fprintf(f,
                 "    {\"op\": \"%s\", \"curve\": \"%s\", \"group\": \"%s\", \"scalars\": \"%s\", \"device\": \"%s\", "
                 "\"log_n\": %d, \"ms\": %.3f",
                 r.op.c_str(), r.curve.c_str(), r.group.c_str(), r.scalars.c_str(), r.device.c_str(), r.log_n, r.ms);
    if (r.kernel_ms >= 0) std::fprintf(f, ", \"kernel_ms\": %.3f, \"h2d_ms\": %.3f", r.kernel_ms, r.h2d_ms);
    if (r.window) std::fprintf(f, ", \"window_bits\": %d", r.window);
    if (!r.note.empty()) std::fprintf(f, ", \"note\": \"%s\"", json_escape(r.note).c_str());
    std::fprintf(f, "}%s\n", i + 1 < g_rows.size() ? "," : "");
  }
  std::fprintf(f, "  ]\n}\n");
  return std::fclose(f) == 0;
}

}  // namespace

int cmd_bench(int argc, char** argv) {
  pm_device dev = PM_DEVICE_CPU;
  const char* json = nullptr;
  int max_log = -1, g2_max = -1, ntt_max = -1;
  bool quick = false;
  uint64_t seed = ((uint64_t)std::random_device{}() << 32) ^ std::random_device{}();
  std::vector<int> proof_logs = {16, 18, 20};
  int sweep_log = 0, sweep_lo = 0, sweep_hi = -1;
  for (int i = 1; i < argc; i++) {
    auto need = [&](const char* flag) {
      if (i + 1 >= argc) { std::fprintf(stderr, "pmtool bench: %s needs a value\n", flag); std::exit(2); }
      return argv[++i];
    };
    if (!std::strcmp(argv[i], "--device")) {
      const char* d = need("--device");
      if (!parse_device(d, &dev)) { std::fprintf(stderr, "pmtool bench: --device must be cpu or cuda, not \"%s\"\n", d); return 2; }
    } else if (!std::strcmp(argv[i], "--json")) json = need("--json");
    else if (!std::strcmp(argv[i], "--max-log")) max_log = std::atoi(need("--max-log"));
    else if (!std::strcmp(argv[i], "--g2-max-log")) g2_max = std::atoi(need("--g2-max-log"));
    else if (!std::strcmp(argv[i], "--ntt-max-log")) ntt_max = std::atoi(need("--ntt-max-log"));
    else if (!std::strcmp(argv[i], "--reps")) g_reps = std::max(1, std::atoi(need("--reps")));
    else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(need("--seed"), nullptr, 0);
    else if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--c-sweep")) {  // LOG:CLO-CHI, e.g. 22:14-20
      if (std::sscanf(need("--c-sweep"), "%d:%d-%d", &sweep_log, &sweep_lo, &sweep_hi) != 3 || sweep_log < 1 ||
          sweep_log > 26 || sweep_lo < 2 || sweep_hi > 22) {
        std::fprintf(stderr, "pmtool bench: --c-sweep wants LOG:CLO-CHI, e.g. 22:14-20\n");
        return 2;
      }
    }
    else if (!std::strcmp(argv[i], "--proof-logs")) {
      proof_logs.clear();
      std::string s = need("--proof-logs");
      size_t p = 0;
      while (p < s.size()) {
        size_t q = s.find(',', p);
        if (q == std::string::npos) q = s.size();
        int v = std::atoi(s.substr(p, q - p).c_str());
        if (v > 0) proof_logs.push_back(v);
        p = q + 1;
      }
    } else {
      std::fprintf(stderr,
                   "usage: pmtool bench [--device cpu|cuda] [--json FILE] [--max-log K] [--g2-max-log K] "
                   "[--ntt-max-log K] [--proof-logs a,b,c] [--reps R] [--quick] [--seed S] [--c-sweep LOG:CLO-CHI]\n");
      return 2;
    }
  }
  if (dev == PM_DEVICE_CUDA) {
    int rc = require_cuda("bench");
    if (rc) return rc;
  }
  if (max_log < 0) max_log = quick ? 16 : (dev == PM_DEVICE_CUDA ? 24 : 20);
  if (max_log > 26) { std::fprintf(stderr, "pmtool bench: --max-log must be <= 26\n"); return 2; }
  if (g2_max < 0) g2_max = std::min(max_log, quick ? 14 : 20);
  if (ntt_max < 0) ntt_max = std::min(max_log, 24);
  if (quick) { proof_logs = {std::min(12, max_log)}; g_reps = std::min(g_reps, 2); }
  g_json = json;
  g_dev = dev;
  g_seed = seed;
  int threads = (int)std::thread::hardware_concurrency();
  if (threads < 1) threads = 1;
  std::printf("bench device=%s card=\"%s\" max-log=%d g2-max-log=%d ntt-max-log=%d reps=%d seed=%" PRIu64 "\n",
              dev == PM_DEVICE_CUDA ? "cuda" : "cpu", card_name().c_str(), max_log, g2_max, ntt_max, g_reps, seed);
  std::printf("%-6s %-10s %-3s %-8s %-5s %-5s %13s\n", "op", "curve", "grp", "scalars", "size", "dev", "wall (median)");
  std::fflush(stdout);
  if (sweep_hi >= sweep_lo && dev == PM_DEVICE_CUDA) bench_c_sweep(sweep_log, sweep_lo, sweep_hi, seed + 5, threads);
  int lo = std::min(16, max_log);
  bench_msm<pmg::Bn254G1>(dev, lo, max_log, seed + 10, threads);
  bench_msm<pmg::Bls381G1>(dev, lo, max_log, seed + 20, threads);
  int g2lo = std::max(std::min(16, g2_max), g2_max - 4);
  bench_msm<pmg::Bn254G2>(dev, g2lo, g2_max, seed + 30, threads);
  bench_msm<pmg::Bls381G2>(dev, g2lo, g2_max, seed + 40, threads);
  bench_ntt<pmg::Bn254FrParams>(dev, PM_CURVE_BN254, std::min(16, ntt_max), ntt_max, seed + 50);
  bench_ntt<pmg::Bls381FrParams>(dev, PM_CURVE_BLS12_381, std::min(16, ntt_max), ntt_max, seed + 60);
  for (int lg : proof_logs) bench_proof(dev, lg, seed + 70 + lg);
  g_json = json;
  if (json) {
    if (!write_json(json, dev, seed)) { std::fprintf(stderr, "pmtool bench: cannot write %s\n", json); return 1; }
    std::printf("# wrote %s\n", json);
  }
  return 0;
}
