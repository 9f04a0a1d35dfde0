// Host-side tests of the CUDA engine's arithmetic and algorithms (no card needed): the same
// __host__ __device__ functions the kernels run, compiled by nvcc for the host, checked
//  (a) against independent naive references (bignum mulmod, double-and-add, O(n^2) DFT), and
//  (b) byte for byte against the CPU engine through the public C ABI (pm_field_batch,
//      pm_msm_g1/g2 and pm_ntt with device CPU),
// on fresh random inputs every run (seed printed; --seed S replays). Exit 0 only if all pass.
//
//   cmake -S native/cuda/test -B /tmp/pm-cuda-test -G Ninja && cmake --build /tmp/pm-cuda-test -j2
//   /tmp/pm-cuda-test/cuda_host_test [--seed S] [--quick]
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "proofmarket.h"
#include "../gpu_curve.cuh"
#include "../gpu_msm.cuh"
#include "../gpu_ntt.cuh"
#include "../msm_emulate.hpp"
#include "../point_gen.hpp"

using namespace pmg;

static int g_fail = 0, g_pass = 0;
static std::mt19937_64 rng;

static void report(bool ok, const std::string& what, double ms = -1) {
  if (ok) g_pass++; else g_fail++;
  if (ms >= 0) std::printf("%s  %-60s %8.1f ms\n", ok ? "PASS" : "FAIL", what.c_str(), ms);
  else std::printf("%s  %s\n", ok ? "PASS" : "FAIL", what.c_str());
  std::fflush(stdout);
}
static double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class F>
static F rand_elem() {  // uniform-ish in [0, p), Montgomery form of a random value
  for (;;) {
    F r;
    for (int i = 0; i < F::N; i++) r.v[i] = (uint32_t)rng();
    r.v[F::N - 1] &= 0xffffffffu >> (32 * F::N - F::Params::BITS);
    if (r.is_reduced()) return r;
  }
}

// ---- naive bignum reference: (a * b) mod p on canonical words -------------------------------
template <int N>
static void mulmod_ref(const uint32_t* a, const uint32_t* b, const uint32_t* p, uint32_t* out) {
  uint32_t prod[2 * N] = {0};
  for (int i = 0; i < N; i++) {
    uint64_t c = 0;
    for (int j = 0; j < N; j++) {
      uint64_t t = (uint64_t)a[i] * b[j] + prod[i + j] + c;
      prod[i + j] = (uint32_t)t; c = t >> 32;
    }
    prod[i + N] = (uint32_t)c;
  }
  uint32_t r[N + 1] = {0};
  for (int bit = 64 * N - 1; bit >= 0; bit--) {
    uint32_t top = 0;  // r = 2r + bit
    for (int k = 0; k <= N; k++) { uint32_t nt = r[k] >> 31; r[k] = (r[k] << 1) | top; top = nt; }
    r[0] |= (prod[bit / 32] >> (bit % 32)) & 1;
    // if r >= p: r -= p
    bool ge = r[N] != 0;
    if (!ge) { ge = true; for (int k = N - 1; k >= 0; k--) { if (r[k] != p[k]) { ge = r[k] > p[k]; break; } } }
    if (ge) { uint64_t br = 0; for (int k = 0; k <= N; k++) { uint64_t d = (uint64_t)r[k] - (k < N ? p[k] : 0) - br; r[k] = (uint32_t)d; br = (d >> 63) & 1; } }
  }
  for (int k = 0; k < N; k++) out[k] = r[k];
}

template <class F>
static void test_field_naive(const char* name, int iters) {
  using Pm = typename F::Params;
  uint32_t p[F::N];
  for (int i = 0; i < F::N; i++) p[i] = Pm::P(i);
  bool ok = true;
  for (int it = 0; it < iters && ok; it++) {
    F a = rand_elem<F>(), b = rand_elem<F>();
    if (it == 0) { a = F::zero(); }
    if (it == 1) { b = F::one(); }
    if (it == 2) { a = F::modulus_minus(1); b = a; }  // (p-1)^2
    F m = a * b;
    F ac = a.from_mont(), bc = b.from_mont(), mc = m.from_mont();
    uint32_t ref[F::N];
    mulmod_ref<F::N>(ac.v, bc.v, p, ref);
    for (int i = 0; i < F::N; i++) ok &= ref[i] == mc.v[i];
    ok &= m.is_reduced() && (a + b).is_reduced() && (a - b).is_reduced();
    ok &= (a + b) - b == a;
    ok &= (a - b) + b == a;
    ok &= a.neg() + a == F::zero();
    ok &= a.to_mont().from_mont() == a;
    if (!a.is_zero()) ok &= a * a.inv() == F::one();
    ok &= a.sqr() == a * a;
  }
  report(ok, std::string("field ") + name + " vs naive bignum (" + std::to_string(iters) + " random)");
}

// ---- CPU engine differential: pm_field_batch ---------------------------------------------------
template <class F>
static void test_field_engine(const char* name, pm_curve curve, pm_field field, size_t n) {
  std::vector<F> a(n), b(n), out(n), mine(n);
  for (size_t i = 0; i < n; i++) { a[i] = rand_elem<F>(); b[i] = rand_elem<F>(); }
  a[0] = F::zero(); b[1] = F::zero(); a[2] = F::modulus_minus(1); b[2] = F::modulus_minus(1);
  const char* ops[] = {"add", "sub", "mul", "sqr", "neg", "inv"};
  bool ok = true;
  std::string bad;
  for (int op = 0; op < 6; op++) {
    pm_status st = pm_field_batch((uint8_t*)out.data(), curve, field, (pm_field_op)op,
                                  (const uint8_t*)a.data(), (const uint8_t*)b.data(), n);
    if (st.code != PM_OK) { ok = false; bad = st.message; break; }
    for (size_t i = 0; i < n; i++) {
      switch (op) {
        case 0: mine[i] = a[i] + b[i]; break;
        case 1: mine[i] = a[i] - b[i]; break;
        case 2: mine[i] = a[i] * b[i]; break;
        case 3: mine[i] = a[i].sqr(); break;
        case 4: mine[i] = a[i].neg(); break;
        case 5: mine[i] = i < 64 ? a[i].inv() : out[i]; break;  // inv is slow here: 64 of them
      }
    }
    if (std::memcmp(out.data(), mine.data(), n * sizeof(F)) != 0) { ok = false; bad = ops[op]; break; }
  }
  report(ok, std::string("field ") + name + " == CPU engine pm_field_batch, 6 ops x " + std::to_string(n) + (ok ? "" : " [" + bad + "]"));
}

// ---- curve sanity: generator on curve, r*G = 0, (a+b)G = aG + bG --------------------------------
template <class C>
static void test_curve(const char* name) {
  using F = typename C::F;
  using P = Xyzz<F>;
  auto G = C::gen();
  bool ok = on_curve<C>(G);
  uint32_t r[8];
  for (int i = 0; i < 8; i++) r[i] = C::FrP::P(i);
  P rG = scalar_mul<F>(G, r);
  ok &= rG.is_infinity();
  uint32_t a[8], b[8], s[8];
  for (int i = 0; i < 8; i++) { a[i] = (uint32_t)rng(); b[i] = (uint32_t)rng(); }
  a[7] >>= 4; b[7] >>= 4;
  uint32_t c = 0;
  for (int i = 0; i < 8; i++) s[i] = addc(a[i], b[i], c);
  P aG = scalar_mul<F>(G, a), bG = scalar_mul<F>(G, b), sG = scalar_mul<F>(G, s);
  ok &= aG.add(bG).same_point(sG);
  ok &= on_curve<C>(aG.to_affine()) && on_curve<C>(sG.to_affine());
  // mixed add == full add, dbl == add self, P + (-P) = 0
  auto aA = aG.to_affine();
  ok &= bG.add_affine(aA).same_point(bG.add(aG));
  ok &= aG.add(aG).same_point(aG.dbl());
  ok &= aG.add_affine(aA).same_point(aG.dbl());
  ok &= aG.add_affine(aA.neg()).is_infinity();
  ok &= P::dbl_affine(aA).same_point(aG.dbl());
  report(ok, std::string("curve ") + name + ": G on curve, r*G = 0, (a+b)G = aG+bG, add/dbl cases");
}

// ---- MSM: emulated GPU plan vs naive and vs CPU engine --------------------------------------------
enum ScalarKind { UNIFORM, WITNESS, EDGE };

template <class C>
static void make_msm_input(size_t n, ScalarKind kind, bool mont, std::vector<Affine<typename C::F>>& pts,
                           std::vector<uint32_t>& sc) {
  using F = typename C::F;
  pts = random_points<C>(n, rng(), 1);
  // infinity, repeats, negatives
  if (n > 3) { pts[1] = Affine<F>::infinity(); pts[2] = pts[0]; pts[3] = pts[0].neg(); }
  if (n > 10) for (size_t i = 10; i < n; i += 7) pts[i] = pts[i / 2];
  sc.assign(n * 8, 0);
  for (size_t i = 0; i < n; i++) {
    uint32_t* s = &sc[i * 8];
    int roll = (int)(rng() % 10);
    bool rand_full = kind == UNIFORM || (kind == WITNESS && roll == 9) || (kind == EDGE && roll >= 5);
    if (rand_full) {
      Fp<typename C::FrP> v = rand_elem<Fp<typename C::FrP>>();
      for (int k = 0; k < 8; k++) s[k] = v.v[k];  // random < r, used as given
    } else if (kind == WITNESS) {
      if (roll >= 7) s[0] = 1;  // 20% ones, 70% zeros
    } else {  // EDGE: small values, r-1, values >= r (canonical only), 2^k
      switch (roll) {
        case 0: break;
        case 1: s[0] = 1; break;
        case 2: for (int k = 0; k < 8; k++) s[k] = C::FrP::P(k); s[0] -= 1; break;  // r - 1
        case 3: s[7] = 1u << 29; s[3] = 7; break;  // 2^253 + ...
        case 4: s[(rng() % 7)] = 1u << (rng() % 32); break;  // 2^k < r
      }
    }
    if (mont) {  // make the bytes the Montgomery form of the (reduced) value
      Fp<typename C::FrP> v; for (int k = 0; k < 8; k++) v.v[k] = s[k];
      v = v.to_mont();
      for (int k = 0; k < 8; k++) s[k] = v.v[k];
    }
  }
}

template <class C>
static Xyzz<typename C::F> msm_naive(const std::vector<Affine<typename C::F>>& pts, const std::vector<uint32_t>& sc, bool mont) {
  using F = typename C::F;
  Xyzz<F> acc = Xyzz<F>::infinity();
  for (size_t i = 0; i < pts.size(); i++) {
    uint32_t s[8];
    load_scalar<typename C::FrP>(sc.data(), i, mont, s);
    acc = acc.add(scalar_mul<F>(pts[i], s));
  }
  return acc;
}

template <class C>
static void test_msm(const char* name, size_t n, ScalarKind kind, bool mont, int c, uint32_t L0, uint32_t L1,
                     bool naive, bool engine) {
  using F = typename C::F;
  std::vector<Affine<F>> pts;
  std::vector<uint32_t> sc;
  make_msm_input<C>(n, kind, mont, pts, sc);
  double t0 = now_ms();
  EmuStats st;
  Xyzz<F> got = msm_emulate<F, typename C::FrP>(pts.data(), sc.data(), n, mont, c, L0, L1, &st);
  Affine<F> ga = got.to_affine();
  double t1 = now_ms();
  bool ok = true;
  std::string how;
  if (naive) { ok &= msm_naive<C>(pts, sc, mont).to_affine() == ga; how += " =naive"; }
  if (engine) {
    Affine<F> ref;
    pm_msm_config cfg = pm_default_msm_config();
    cfg.device = PM_DEVICE_CPU;
    cfg.scalars_montgomery = mont;
    pm_status s = (C::IS_G2 ? pm_msm_g2 : pm_msm_g1)((uint8_t*)&ref, (pm_curve)C::CURVE, (const uint8_t*)pts.data(),
                                                     (const uint8_t*)sc.data(), n, &cfg);
    ok &= s.code == PM_OK && std::memcmp(&ref, &ga, sizeof ref) == 0;
    how += " =CPU engine";
    if (s.code != PM_OK) how += std::string(" [") + s.message + "]";
  }
  const char* kn = kind == UNIFORM ? "uniform" : kind == WITNESS ? "witness" : "edge";
  char buf[256];
  std::snprintf(buf, sizeof buf, "msm %s emu n=%zu %s%s c=%d L=%u/%u levels=%d%s", name, n, kn,
                mont ? " mont" : "", c, L0, L1, st.levels, how.c_str());
  report(ok, buf, t1 - t0);
}

// ---- NTT: emulated plan vs naive DFT and vs CPU engine ---------------------------------------------
template <class FrP>
static void test_ntt(const char* name, pm_curve curve, uint32_t log_n, bool naive, bool engine) {
  using Fr = Fp<FrP>;
  size_t n = (size_t)1 << log_n;
  std::vector<Fr> a(n);
  for (auto& x : a) x = rand_elem<Fr>();
  bool ok = true;
  std::string how;
  for (int inv = 0; inv < 2; inv++) {
    std::vector<Fr> mine = a;
    ntt_emulate<FrP>(mine.data(), log_n, inv);
    if (naive) {
      Fr w = root_of_unity<FrP>(log_n, inv);
      Fr ninv = Fr::one();
      if (inv) { Fr nn = Fr::zero(); nn.v[0] = (uint32_t)n; ninv = nn.to_mont().inv(); }
      for (size_t k = 0; k < n; k++) {
        Fr acc = Fr::zero(), wk = w.pow_u64(k), x = Fr::one();
        for (size_t j = 0; j < n; j++) { acc += a[j] * x; x *= wk; }
        ok &= mine[k] == acc * ninv;
      }
      if (!inv) how += " =naive DFT";
    }
    if (engine) {
      std::vector<Fr> ref = a;
      pm_ntt_config cfg = pm_default_ntt_config();
      cfg.device = PM_DEVICE_CPU;
      pm_status s = pm_ntt((uint8_t*)ref.data(), curve, log_n, inv, &cfg);
      ok &= s.code == PM_OK && std::memcmp(ref.data(), mine.data(), n * sizeof(Fr)) == 0;
      if (!inv) how += " =CPU engine";
    }
    {  // the fused-pass plan gives the same bytes
      std::vector<Fr> fused = a;
      ntt_emulate_fused<FrP>(fused.data(), log_n, inv);
      ok &= std::memcmp(fused.data(), mine.data(), n * sizeof(Fr)) == 0;
      if (!inv) how += " =fused passes";
    }
    // round trip
    if (inv == 0) {
      std::vector<Fr> back = mine;
      ntt_emulate<FrP>(back.data(), log_n, true);
      ok &= std::memcmp(back.data(), a.data(), n * sizeof(Fr)) == 0;
    }
  }
  report(ok, std::string("ntt ") + name + " emu 2^" + std::to_string(log_n) + " fwd+inv, round trip" + how);
}

// ---- MSM plan pieces ------------------------------------------------------------------------
static void test_digits() {
  // signed digits reassemble the scalar: sum d_w 2^(c w) == s, |d| <= B, for random c
  bool ok = true;
  for (int it = 0; it < 2000 && ok; it++) {
    int c = 2 + (int)(rng() % 22);
    MsmShape sh = msm_shape(254, c);
    uint32_t s[8];
    Bn254Fr v = rand_elem<Bn254Fr>();
    for (int k = 0; k < 8; k++) s[k] = v.v[k];
    if (it % 5 == 0) for (int k = 0; k < 8; k++) s[k] = Bn254FrParams::P(k) - (k == 0);
    // accumulate sum d_w 2^(cw) as a 320-bit signed value in int64 words of 32 bits
    int64_t acc[12] = {0};
    for_each_digit(s, sh, [&](int w, int32_t d) {
      ok &= (d >= -(int32_t)sh.B && d <= (int32_t)sh.B);
      int bit = w * c;
      int64_t lo = (int64_t)d * (int64_t)(1ull << (bit % 32));  // fits: |d| <= 2^22, shift < 2^32
      acc[bit / 32] += lo;
    });
    // normalize carries
    for (int k = 0; k < 11; k++) { int64_t q = acc[k] >> 32; acc[k] -= q * (1ll << 32); acc[k + 1] += q; }
    for (int k = 0; k < 8; k++) ok &= (uint32_t)acc[k] == s[k];
    for (int k = 8; k < 12; k++) ok &= acc[k] == 0;
    ok &= sh.W * c >= 255;
  }
  report(ok, "msm plan: signed digits reassemble random scalars for c = 2..23, |d| <= 2^(c-1)");
  // shape identities
  bool ok2 = true;
  for (int c = 2; c <= 22; c++) {
    MsmShape sh = msm_shape(255, c);
    ok2 &= sh.M1 * sh.K1 == sh.B && sh.M2 * sh.K2 == sh.K1 && sh.KB <= (1u << sh.key_bits);
  }
  report(ok2, "msm plan: shapes (M1*K1 = B, M2*K2 = K1, keys fit key_bits) for c = 2..22");
}

int main(int argc, char** argv) {
  uint64_t seed = std::random_device{}() ^ ((uint64_t)std::random_device{}() << 32);
  bool quick = false, engine = true;
  for (int i = 1; i < argc; i++) {
    if (!std::strcmp(argv[i], "--seed") && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 0);
    else if (!std::strcmp(argv[i], "--quick")) quick = true;
    else if (!std::strcmp(argv[i], "--no-engine")) engine = false;
    else { std::fprintf(stderr, "usage: %s [--seed S] [--quick] [--no-engine]\n", argv[0]); return 2; }
  }
  std::printf("cuda_host_test seed=%" PRIu64 "\n", seed);
  rng.seed(seed);

  test_field_naive<Bn254Fq>("bn254 Fq", 300);
  test_field_naive<Bn254Fr>("bn254 Fr", 300);
  test_field_naive<Bls381Fq>("bls12-381 Fq", 300);
  test_field_naive<Bls381Fr>("bls12-381 Fr", 300);
  if (engine) {
    test_field_engine<Bn254Fq>("bn254 Fq", PM_CURVE_BN254, PM_FIELD_FQ, 4096);
    test_field_engine<Bn254Fr>("bn254 Fr", PM_CURVE_BN254, PM_FIELD_FR, 4096);
    test_field_engine<Bls381Fq>("bls12-381 Fq", PM_CURVE_BLS12_381, PM_FIELD_FQ, 4096);
    test_field_engine<Bls381Fr>("bls12-381 Fr", PM_CURVE_BLS12_381, PM_FIELD_FR, 4096);
  }
  test_curve<Bn254G1>("bn254 G1");
  test_curve<Bn254G2>("bn254 G2");
  test_curve<Bls381G1>("bls12-381 G1");
  test_curve<Bls381G2>("bls12-381 G2");
  test_digits();

  // small n against naive double-and-add, with tiny windows and tasks to force many levels
  for (size_t n : {1, 2, 3, 5, 17, 100}) {
    test_msm<Bn254G1>("bn254 G1", n, EDGE, false, 4 + (int)(rng() % 5), 2, 2, true, engine);
    test_msm<Bls381G1>("bls12-381 G1", n, EDGE, true, 4 + (int)(rng() % 5), 3, 2, true, engine);
  }
  test_msm<Bn254G2>("bn254 G2", 40, EDGE, false, 5, 2, 2, true, engine);
  test_msm<Bls381G2>("bls12-381 G2", 40, EDGE, true, 6, 3, 3, true, engine);
  test_msm<Bn254G1>("bn254 G1", 300, WITNESS, false, 5, 4, 2, true, engine);
  if (engine) {
    size_t big = quick ? 2000 : 1 << 13;
    for (ScalarKind k : {UNIFORM, WITNESS, EDGE}) {
      test_msm<Bn254G1>("bn254 G1", big, k, false, msm_default_c(big, false), 16, 16, false, true);
      test_msm<Bls381G1>("bls12-381 G1", big, k, k == EDGE, msm_default_c(big, false), 16, 16, false, true);
      test_msm<Bn254G2>("bn254 G2", big / 4, k, false, msm_default_c(big / 4, true), 8, 8, false, true);
      test_msm<Bls381G2>("bls12-381 G2", big / 4, k, true, msm_default_c(big / 4, true), 8, 8, false, true);
    }
    // the default shapes at a size that uses the two-level window reduction fully (c = 10..12)
    test_msm<Bn254G1>("bn254 G1", quick ? 1 << 13 : 1 << 15, UNIFORM, true, 12, 32, 16, false, true);
  }
  for (uint32_t lg : {0u, 1u, 2u, 3u, 4u, 5u, 7u}) {
    test_ntt<Bn254FrParams>("bn254", PM_CURVE_BN254, lg, true, engine);
    test_ntt<Bls381FrParams>("bls12-381", PM_CURVE_BLS12_381, lg, true, engine);
  }
  if (engine)
    for (uint32_t lg : {10u, 11u, 13u, 14u, 17u}) {
      test_ntt<Bn254FrParams>("bn254", PM_CURVE_BN254, lg, false, true);
      test_ntt<Bls381FrParams>("bls12-381", PM_CURVE_BLS12_381, lg, false, true);
    }
  std::printf("%d passed, %d failed (seed=%" PRIu64 ")\n", g_pass, g_fail, seed);
  return g_fail ? 1 : 0;
}
