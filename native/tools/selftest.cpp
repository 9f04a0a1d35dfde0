// pmtool selftest [--device cpu|cuda] [--seed S] [--max-log K] [--quick]
//
// cpu:  internal consistency of the CPU engine on fresh random inputs: MSM (G1, G2, both curves)
//       against an independent double-and-add sum at small n (zeros, ones, infinity, repeats,
//       P and -P) and against the GPU algorithm's host emulation at 2^12; NTT round trips and a
//       naive DFT; a synthetic whole proof (pm_dev_setup_synthetic + pm_groth16_prove) with its
//       points on the curve.
// cuda: GPU MSM G1/G2 of both curves at n = 1, 2, 100, 2^10, 2^16, 2^20 (capped by --max-log) on
//       uniform and witness-like scalars (70% zeros, 20% ones), points with infinity and repeats,
//       NTT/iNTT 2^1..2^20, all byte for byte against the CPU engine; then a whole synthetic proof
//       on the GPU whose public.json equals the CPU proof's and whose points are on the curve.
// One line per check (PASS/FAIL, timings). Exit 0 all passed, 1 a check failed, 2 usage,
// 3 --device cuda without a card or CUDA build.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include <unistd.h>

#include "../cuda/msm_emulate.hpp"
#include "../cuda/tool_common.hpp"
#include "commands.h"

using namespace pmtools;

namespace {

int g_pass = 0, g_fail = 0;
std::mt19937_64 g_rng;

void line(bool ok, const std::string& what, const std::string& timing = "") {
  (ok ? g_pass : g_fail)++;
  std::printf("%s  %-72s %s\n", ok ? "PASS" : "FAIL", what.c_str(), timing.c_str());
  std::fflush(stdout);
}

std::string fmt_ms(const char* label, double ms) {
  char b[64];
  std::snprintf(b, sizeof b, "%s %.1f ms", label, ms);
  return b;
}

template <class C>
pm_status msm_call(pm_device dev, typename pmg::Affine<typename C::F>* out, const pmg::Affine<typename C::F>* pts,
                   const uint32_t* sc, size_t n, bool mont) {
  pm_msm_config cfg = pm_default_msm_config();
  cfg.device = dev;
  cfg.scalars_montgomery = mont ? 1 : 0;
  return (C::IS_G2 ? pm_msm_g2 : pm_msm_g1)((uint8_t*)out, (pm_curve)C::CURVE, (const uint8_t*)pts,
                                            (const uint8_t*)sc, n, &cfg);
}

// points with infinity, repeats and a P/-P pair mixed in
template <class C>
std::vector<pmg::Affine<typename C::F>> test_points(size_t n) {
  auto pts = pmg::random_points<C>(n, g_rng(), 16);
  if (n > 3) { pts[1] = pmg::Affine<typename C::F>::infinity(); pts[2] = pts[0]; pts[3] = pts[0].neg(); }
  for (size_t i = 10; i < n; i += 97) pts[i] = pts[i / 3];
  if (n > 100) pts[n - 1] = pmg::Affine<typename C::F>::infinity();
  return pts;
}

template <class C>
std::vector<uint32_t> to_mont_scalars(std::vector<uint32_t> s) {
  for (size_t i = 0; i < s.size() / 8; i++) {
    pmg::Fp<typename C::FrP> v;
    for (int k = 0; k < 8; k++) v.v[k] = s[i * 8 + k];
    v = v.to_mont();
    for (int k = 0; k < 8; k++) s[i * 8 + k] = v.v[k];
  }
  return s;
}

const char* gname(bool g2, int curve) {
  if (curve == 1) return g2 ? "bn254 G2" : "bn254 G1";
  return g2 ? "bls12-381 G2" : "bls12-381 G1";
}

// ---- CPU mode ------------------------------------------------------------------------------
template <class C>
void cpu_msm_small() {
  using F = typename C::F;
  for (size_t n : {0, 1, 2, 3, 17, 100}) {
    for (int mont = 0; mont < 2; mont++) {
      auto pts = test_points<C>(n);
      auto sc = make_scalars<typename C::FrP>(n, WITNESS, g_rng());
      // mix in full-size scalars, r-1, and (canonical only) values >= r
      for (size_t i = 0; i < n; i += 3) {
        auto r = make_scalars<typename C::FrP>(1, UNIFORM, g_rng());
        for (int k = 0; k < 8; k++) sc[i * 8 + k] = r[k];
      }
      if (n > 5) { for (int k = 0; k < 8; k++) sc[5 * 8 + k] = C::FrP::P(k); sc[5 * 8] -= 1; }
      if (mont) sc = to_mont_scalars<C>(sc);
      pmg::Xyzz<F> ref = pmg::Xyzz<F>::infinity();
      for (size_t i = 0; i < n; i++) {
        uint32_t s[8];
        pmg::load_scalar<typename C::FrP>(sc.data(), i, mont, s);
        ref = ref.add(pmg::scalar_mul<F>(pts[i], s));
      }
      pmg::Affine<F> got;
      std::memset(&got, 0xab, sizeof got);
      pm_status st = msm_call<C>(PM_DEVICE_CPU, &got, pts.data(), sc.data(), n, mont);
      bool ok = st.code == PM_OK && got == ref.to_affine();
      char b[160];
      std::snprintf(b, sizeof b, "cpu msm %s n=%zu%s == double-and-add sum%s%s", gname(C::IS_G2, C::CURVE), n,
                    mont ? " mont" : "", st.code ? ": " : "", st.code ? st.message : "");
      line(ok, b);
    }
  }
}

template <class C>
void cpu_msm_vs_emulation(size_t n) {
  using F = typename C::F;
  for (int kind = 0; kind < 2; kind++) {
    auto pts = test_points<C>(n);
    auto sc = make_scalars<typename C::FrP>(n, (ScalarKind)kind, g_rng());
    double t0 = now_ms();
    pmg::Affine<F> got;
    pm_status st = msm_call<C>(PM_DEVICE_CPU, &got, pts.data(), sc.data(), n, false);
    double t1 = now_ms();
    int c = pmg::msm_default_c(n, C::IS_G2);
    auto emu = pmg::msm_emulate<F, typename C::FrP>(pts.data(), sc.data(), n, false, c, 16, 16).to_affine();
    char b[160];
    std::snprintf(b, sizeof b, "cpu msm %s n=%zu %s == GPU-plan host emulation", gname(C::IS_G2, C::CURVE), n,
                  kind_name((ScalarKind)kind));
    line(st.code == PM_OK && emu == got, b, fmt_ms("cpu", t1 - t0));
  }
}

template <class FrP>
void cpu_ntt(pm_curve curve, const char* name) {
  using Fr = pmg::Fp<FrP>;
  for (uint32_t lg : {1u, 4u, 10u, 16u}) {
    size_t n = (size_t)1 << lg;
    std::vector<Fr> a(n);
    auto raw = make_scalars<FrP>(n, UNIFORM, g_rng());
    std::memcpy(a.data(), raw.data(), n * 32);
    std::vector<Fr> b = a;
    pm_ntt_config cfg = pm_default_ntt_config();
    cfg.device = PM_DEVICE_CPU;
    double t0 = now_ms();
    pm_status s1 = pm_ntt((uint8_t*)b.data(), curve, lg, 0, &cfg);
    std::vector<Fr> fwd = b;
    pm_status s2 = pm_ntt((uint8_t*)b.data(), curve, lg, 1, &cfg);
    double t1 = now_ms();
    bool ok = s1.code == PM_OK && s2.code == PM_OK && std::memcmp(a.data(), b.data(), n * 32) == 0;
    std::string how = "round trip";
    if (lg <= 10) {  // against the GPU plan's host emulation
      std::vector<Fr> e = a;
      pmg::ntt_emulate<FrP>(e.data(), lg, false);
      ok &= std::memcmp(e.data(), fwd.data(), n * 32) == 0;
      how += ", == GPU-plan emulation";
    }
    if (lg == 4) {  // against a naive DFT
      Fr w = pmg::root_of_unity<FrP>(lg, false);
      for (size_t k = 0; k < n; k++) {
        Fr acc = Fr::zero(), x = Fr::one(), wk = w.pow_u64(k);
        for (size_t j = 0; j < n; j++) { acc += a[j] * x; x *= wk; }
        ok &= acc == fwd[k];
      }
      how += ", == naive DFT";
    }
    line(ok, std::string("cpu ntt ") + name + " 2^" + std::to_string(lg) + " " + how, fmt_ms("cpu", t1 - t0));
  }
}

// Bad input is rejected with the same error on either device: a scalar >= r, a point off the curve.
template <class C>
void msm_rejects(pm_device dev) {
  using F = typename C::F;
  const char* dn = dev == PM_DEVICE_CUDA ? "cuda" : "cpu";
  auto pts = test_points<C>(6);
  auto sc = make_scalars<typename C::FrP>(6, UNIFORM, g_rng());
  for (int k = 0; k < 8; k++) sc[3 * 8 + k] = 0xffffffffu;
  pmg::Affine<F> out;
  pm_status st = msm_call<C>(dev, &out, pts.data(), sc.data(), 6, false);
  bool ok = st.code == PM_ERR_INVALID_ARGUMENT && std::strstr(st.message, "scalar 3 ");
  line(ok, std::string(dn) + " msm " + gname(C::IS_G2, C::CURVE) + " rejects scalar 3 >= r" +
               (ok ? "" : std::string(": got ") + std::to_string(st.code) + " " + st.message));
  sc[3 * 8] = 5;
  for (int k = 1; k < 8; k++) sc[3 * 8 + k] = 0;
  auto bad = pts;
  std::memcpy(&bad[4], &bad[5], sizeof(F));  // x of point 5, y of point 4: off the curve
  st = msm_call<C>(dev, &out, bad.data(), sc.data(), 6, false);
  ok = st.code == PM_ERR_INVALID_ARGUMENT && std::strstr(st.message, "point 4 ");
  line(ok, std::string(dn) + " msm " + gname(C::IS_G2, C::CURVE) + " rejects point 4 off the curve" +
               (ok ? "" : std::string(": got ") + std::to_string(st.code) + " " + st.message));
}

// ---- whole proof ---------------------------------------------------------------------------
struct ProofOut {
  bool ok = false;
  std::string proof, pub, err;
  pm_device device = PM_DEVICE_CPU;
  double ms = 0;
};

ProofOut prove(const pm_zkey* z, const std::vector<uint8_t>& wtns, pm_device dev) {
  ProofOut o;
  pm_prove_config cfg = pm_default_prove_config();
  cfg.device = dev;
  pm_proof* p = nullptr;
  double t0 = now_ms();
  pm_status st = pm_groth16_prove(&p, z, wtns.data(), wtns.size(), &cfg);
  o.ms = now_ms() - t0;
  if (st.code != PM_OK) { o.err = st.message; return o; }
  o.proof = pm_proof_json(p);
  o.pub = pm_proof_public_json(p);
  o.device = pm_proof_device(p);
  pm_proof_destroy(p);
  o.ok = true;
  return o;
}

template <class C1, class C2>
void whole_proof(pm_curve curve, uint32_t log_c, bool gpu, uint64_t seed) {
  char dir[] = "/tmp/pmtool-selftest-XXXXXX";
  if (!mkdtemp(dir)) { line(false, "proof: cannot create a temporary folder"); return; }
  std::string sdir = dir;
  double t0 = now_ms();
  pm_status st = pm_dev_setup_synthetic(dir, curve, log_c, seed);
  double t1 = now_ms();
  const char* cname = curve == PM_CURVE_BN254 ? "bn254" : "bls12-381";
  std::string what = std::string("proof ") + cname + " synthetic 2^" + std::to_string(log_c);
  if (st.code != PM_OK) { line(false, what + ": dev setup failed: " + st.message); return; }
  pm_zkey* z = nullptr;
  st = pm_zkey_open(&z, (sdir + "/circuit.zkey").c_str());
  std::vector<uint8_t> wtns;
  if (st.code != PM_OK || !read_file(sdir + "/witness.wtns", wtns)) {
    line(false, what + ": cannot open the synthetic zkey/wtns: " + st.message);
    pm_zkey_close(z);
    return;
  }
  ProofOut cpu = prove(z, wtns, PM_DEVICE_CPU);
  std::string why;
  bool cpu_ok = cpu.ok && proof_points_on_curve<C1, C2>(cpu.proof.c_str(), &why);
  if (!gpu) {
    line(cpu_ok, what + " cpu: proof points on curve" + (cpu.ok ? (why.empty() ? "" : ": " + why) : ": " + cpu.err),
         fmt_ms("setup", t1 - t0) + ", " + fmt_ms("prove", cpu.ms));
  } else {
    ProofOut g = prove(z, wtns, PM_DEVICE_CUDA);
    std::string gwhy;
    bool ok = cpu_ok && g.ok && g.device == PM_DEVICE_CUDA && g.pub == cpu.pub &&
              proof_points_on_curve<C1, C2>(g.proof.c_str(), &gwhy) && g.proof != cpu.proof;
    std::string detail = !g.ok ? ": " + g.err : g.device != PM_DEVICE_CUDA ? ": proof did not run on CUDA"
                         : g.pub != cpu.pub ? ": public.json differs" : !gwhy.empty() ? ": " + gwhy
                         : !cpu_ok ? ": cpu proof bad " + cpu.err + why : "";
    line(ok, what + " cuda: public.json == cpu's, points on curve" + detail,
         fmt_ms("cpu", cpu.ms) + ", " + fmt_ms("cuda", g.ms));
  }
  pm_zkey_close(z);
  std::remove((sdir + "/circuit.zkey").c_str());
  std::remove((sdir + "/witness.wtns").c_str());
  rmdir(dir);
}

// ---- CUDA mode ----------------------------------------------------------------------------
template <class C>
void gpu_msm(int max_log) {
  using F = typename C::F;
  std::vector<size_t> sizes = {1, 2, 100, 1 << 10, 1 << 16, 1 << 20};
  for (size_t n : sizes) {
    if (n > ((size_t)1 << max_log)) continue;
    auto pts = test_points<C>(n);
    for (int kind = 0; kind < 2; kind++) {
      bool mont = (n & 1) == 0 && kind == 1;  // exercise Montgomery scalars too
      auto sc = make_scalars<typename C::FrP>(n, (ScalarKind)kind, g_rng());
      if (mont) sc = to_mont_scalars<C>(sc);
      pmg::Affine<F> cpu, gpu;
      std::memset(&gpu, 0xab, sizeof gpu);
      double t0 = now_ms();
      pm_status s1 = msm_call<C>(PM_DEVICE_CPU, &cpu, pts.data(), sc.data(), n, mont);
      double t1 = now_ms();
      pm_status s2 = msm_call<C>(PM_DEVICE_CUDA, &gpu, pts.data(), sc.data(), n, mont);  // uploads
      double t2 = now_ms();
      pmg::Affine<F> gpu2;
      pm_status s3 = msm_call<C>(PM_DEVICE_CUDA, &gpu2, pts.data(), sc.data(), n, mont);  // resident
      std::string timing = fmt_ms("cpu", t1 - t0) + ", " + fmt_ms("gpu", t2 - t1);
#ifdef PM_WITH_CUDA
      pm_cuda_timing tm;
      pm_cuda_last_timing(&tm);
      char b2[128];
      std::snprintf(b2, sizeof b2, ", resident: kernel %.2f ms h2d %.2f ms (c=%d, levels=%d)", tm.kernel_ms,
                    tm.h2d_ms, tm.window_bits, tm.levels);
      timing += b2;
#endif
      bool ok = s1.code == PM_OK && s2.code == PM_OK && s3.code == PM_OK && cpu == gpu && cpu == gpu2;
      char b[200];
      std::snprintf(b, sizeof b, "cuda msm %s n=%zu %s%s == cpu%s%s", gname(C::IS_G2, C::CURVE), n,
                    kind_name((ScalarKind)kind), mont ? " mont" : "",
                    s2.code ? ": " : s3.code ? ": " : "", s2.code ? s2.message : s3.code ? s3.message : "");
      line(ok, b, timing);
    }
  }
}

template <class FrP>
void gpu_ntt(pm_curve curve, const char* name, int max_log, bool simple) {
  // PM_CUDA_NTT_SIMPLE=1 selects the one-launch-per-stage kernels instead of the fused passes
  if (simple) setenv("PM_CUDA_NTT_SIMPLE", "1", 1); else unsetenv("PM_CUDA_NTT_SIMPLE");
  for (int lg = 1; lg <= max_log && lg <= 20; lg++) {
    if (simple && lg % 3 != 1 && lg != max_log) continue;
    size_t n = (size_t)1 << lg;
    auto raw = make_scalars<FrP>(n, UNIFORM, g_rng());
    bool ok = true;
    std::string err, t;
    for (int inv = 0; inv < 2; inv++) {
      std::vector<uint8_t> c((uint8_t*)raw.data(), (uint8_t*)raw.data() + n * 32), g = c;
      pm_ntt_config cfg = pm_default_ntt_config();
      cfg.device = PM_DEVICE_CPU;
      double t0 = now_ms();
      pm_status s1 = pm_ntt(c.data(), curve, lg, inv, &cfg);
      double t1 = now_ms();
      cfg.device = PM_DEVICE_CUDA;
      pm_status s2 = pm_ntt(g.data(), curve, lg, inv, &cfg);
      double t2 = now_ms();
      ok &= s1.code == PM_OK && s2.code == PM_OK && c == g;
      if (s2.code) err = std::string(": ") + s2.message;
      t += (inv ? ", inv " : "fwd ") + fmt_ms("cpu", t1 - t0) + " " + fmt_ms("gpu", t2 - t1);
    }
    line(ok, std::string("cuda ntt ") + name + (simple ? " (per-stage kernels)" : "") + " fwd+inv 2^" +
                 std::to_string(lg) + " == cpu" + err, t);
  }
  unsetenv("PM_CUDA_NTT_SIMPLE");
}

}  // namespace

int cmd_selftest(int argc, char** argv) {
  pm_device dev = PM_DEVICE_CPU;
  uint64_t seed = ((uint64_t)std::random_device{}() << 32) ^ std::random_device{}();
  int max_log = 20;
  bool quick = false;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--device") && i + 1 < argc) {
      if (!parse_device(argv[++i], &dev)) { std::fprintf(stderr, "pmtool selftest: --device must be cpu or cuda, not \"%s\"\n", argv[i]); return 2; }
    } else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 0);
    } else if (!std::strcmp(argv[i], "--max-log") && i + 1 < argc) {
      max_log = std::atoi(argv[++i]);
      if (max_log < 0 || max_log > 26) { std::fprintf(stderr, "pmtool selftest: --max-log must be 0..26\n"); return 2; }
    } else if (!std::strcmp(argv[i], "--quick")) {
      quick = true;
    } else {
      std::fprintf(stderr, "usage: pmtool selftest [--device cpu|cuda] [--seed S] [--max-log K] [--quick]\n");
      return 2;
    }
  }
  std::printf("selftest device=%s seed=%" PRIu64 "\n", dev == PM_DEVICE_CUDA ? "cuda" : "cpu", seed);
  std::fflush(stdout);
  if (dev == PM_DEVICE_CUDA) {
    int rc = require_cuda("selftest");
    if (rc) return rc;
  }
  if (dev == PM_DEVICE_CUDA) std::printf("card: %s\n", card_name().c_str());
  g_rng.seed(seed);
  using namespace pmg;
  if (dev == PM_DEVICE_CPU) {
    cpu_msm_small<Bn254G1>();
    cpu_msm_small<Bls381G1>();
    cpu_msm_small<Bn254G2>();
    cpu_msm_small<Bls381G2>();
    msm_rejects<Bn254G1>(PM_DEVICE_CPU);
    msm_rejects<Bls381G2>(PM_DEVICE_CPU);
    size_t big = quick ? 1 << 10 : 1 << 12;
    cpu_msm_vs_emulation<Bn254G1>(big);
    cpu_msm_vs_emulation<Bls381G1>(big);
    cpu_msm_vs_emulation<Bn254G2>(big / 4);
    cpu_msm_vs_emulation<Bls381G2>(big / 4);
    cpu_ntt<Bn254FrParams>(PM_CURVE_BN254, "bn254");
    cpu_ntt<Bls381FrParams>(PM_CURVE_BLS12_381, "bls12-381");
    whole_proof<Bn254G1, Bn254G2>(PM_CURVE_BN254, quick ? 6 : 10, false, seed);
    whole_proof<Bls381G1, Bls381G2>(PM_CURVE_BLS12_381, quick ? 6 : 8, false, seed);
  } else {
    msm_rejects<Bn254G1>(PM_DEVICE_CUDA);
    msm_rejects<Bls381G2>(PM_DEVICE_CUDA);
    gpu_msm<Bn254G1>(max_log);
    gpu_msm<Bls381G1>(max_log);
    gpu_msm<Bn254G2>(quick ? std::min(max_log, 16) : max_log);
    gpu_msm<Bls381G2>(quick ? std::min(max_log, 16) : max_log);
    gpu_ntt<Bn254FrParams>(PM_CURVE_BN254, "bn254", max_log, false);
    gpu_ntt<Bls381FrParams>(PM_CURVE_BLS12_381, "bls12-381", max_log, false);
    gpu_ntt<Bn254FrParams>(PM_CURVE_BN254, "bn254", max_log, true);
    gpu_ntt<Bls381FrParams>(PM_CURVE_BLS12_381, "bls12-381", max_log, true);
    whole_proof<Bn254G1, Bn254G2>(PM_CURVE_BN254, quick ? 10 : 16, true, seed);
    whole_proof<Bls381G1, Bls381G2>(PM_CURVE_BLS12_381, quick ? 8 : 12, true, seed);
  }
  std::printf("selftest: %d passed, %d failed (seed=%" PRIu64 ")\n", g_pass, g_fail, seed);
  return g_fail ? 1 : 0;
}
