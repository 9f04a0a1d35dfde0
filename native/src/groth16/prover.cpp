#include "groth16/prover.hpp"

#include <cstring>
#include <vector>

#include "curves/bls12_381.hpp"
#include "curves/bn254.hpp"
#include "groth16/random.hpp"
#include "io/wtns.hpp"
#include "msm/dispatch.hpp"
#include "ntt/ntt.hpp"
#include "util/parallel.hpp"
#include "util/status.hpp"

namespace pm::groth16 {
namespace {

struct Progress {
  const pm_prove_config& cfg;
  void operator()(const char* stage, double fraction) const {
    if (cfg.progress && cfg.progress(cfg.progress_user, stage, fraction) != 0)
      fail(PM_ERR_CANCELLED, "proof cancelled by the caller during stage \"%s\"", stage);
  }
};

void check(const pm_status& st, const char* stage) {
  if (st.code != PM_OK) fail(st.code, "%s: %s", stage, st.message);
}

pm_device resolve_device(pm_device d) {
  if (d == PM_DEVICE_CPU) return d;
  if (d != PM_DEVICE_AUTO && d != PM_DEVICE_CUDA) fail(PM_ERR_INVALID_ARGUMENT, "unknown device %d", (int)d);
  pm_engine_info info;
  pm_status st = pm_engine_info_get(&info);
  bool cuda = st.code == PM_OK && info.cuda_devices > 0;
  if (d == PM_DEVICE_CUDA && !cuda)
    fail(PM_ERR_UNSUPPORTED, "device cuda was asked for, but %s",
         st.code == PM_OK && info.cuda_compiled ? "no CUDA card was found" : "this build has no CUDA kernels");
  return cuda ? PM_DEVICE_CUDA : PM_DEVICE_CPU;
}

// Runs f, prefixing the message of any pm::Error it throws with the stage name.
template <class F>
void run_stage(const char* stage, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    fail(e.code, "%s: %s", stage, e.what());
  }
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

template <class C>
struct Prover {
  using Fr = typename C::Fr;
  using Fq = typename C::Fq;
  using G1A = typename C::G1Affine;
  using G1 = typename C::G1;
  using G2A = typename C::G2Affine;
  using G2 = typename C::G2;

  const io::Zkey& z;
  const io::Wtns& w;
  const pm_prove_config& cfg;
  pm_device device;
  Progress progress;

  static G1A load_g1(const uint8_t* p) {
    G1A a;
    std::memcpy((void*)&a, p, sizeof a);
    return a;
  }
  static G2A load_g2(const uint8_t* p) {
    G2A a;
    std::memcpy((void*)&a, p, sizeof a);
    return a;
  }

  G1 msm_g1(const char* stage, const uint8_t* points, const uint8_t* scalars, size_t n, bool mont) {
    progress(stage, 0.0);
    pm_msm_config mc = pm_default_msm_config();
    mc.device = device;
    mc.threads = cfg.threads;
    mc.scalars_montgomery = mont ? 1 : 0;
    uint8_t out[sizeof(G1A)];
    // zkey points were validated when the key was opened, witness values when it was parsed
    run_stage(stage, [&] { msm_run(1, out, z.curve, points, scalars, n, mc, false); });
    progress(stage, 1.0);
    return G1::from_affine(load_g1(out));
  }
  G2 msm_g2(const char* stage, const uint8_t* points, const uint8_t* scalars, size_t n) {
    progress(stage, 0.0);
    pm_msm_config mc = pm_default_msm_config();
    mc.device = device;
    mc.threads = cfg.threads;
    mc.scalars_montgomery = 0;
    uint8_t out[sizeof(G2A)];
    run_stage(stage, [&] { msm_run(2, out, z.curve, points, scalars, n, mc, false); });
    progress(stage, 1.0);
    return G2::from_affine(load_g2(out));
  }

  void ntt(std::vector<Fr>& v, bool inverse, const char* stage) {
    pm_ntt_config nc = pm_default_ntt_config();
    nc.device = device;
    nc.threads = cfg.threads;
    nc.montgomery = 1;
    check(pm_ntt(reinterpret_cast<uint8_t*>(v.data()), z.curve, z.domain_log2, inverse ? 1 : 0, &nc), stage);
  }

  // v[i] *= g^i
  void coset_shift(std::vector<Fr>& v, const Fr& g) {
    parallel_for(0, v.size(), cfg.threads, [&](size_t lo, size_t hi) {
      Fr pw = g.pow_u64(lo);
      for (size_t i = lo; i < hi; i++) {
        v[i] *= pw;
        pw *= g;
      }
    });
  }

  // A(x), B(x) evaluations on the domain: a[c] += coef * w[s], with coef stored as c*R^2 so one
  // Montgomery product with the canonical witness value gives the Montgomery form of c*w.
  void build_ab(std::vector<Fr>& a, std::vector<Fr>& b) {
    const uint8_t* base = z.coefs;
    const uint64_t n = z.n_coefs;
    auto run = [&](uint64_t lo, uint64_t hi) {
      for (uint64_t i = lo; i < hi; i++) {
        const uint8_t* rec = base + i * io::kCoefBytes;
        uint32_t m, c, s;
        std::memcpy(&m, rec, 4);
        std::memcpy(&c, rec + 4, 4);
        std::memcpy(&s, rec + 8, 4);
        Fr wv;
        std::memcpy(wv.l, w.values + (size_t)s * 32, 32);
        if (wv.is_zero()) continue;
        Fr coef;
        std::memcpy(coef.l, rec + 12, 32);
        Fr& dst = m == 0 ? a[c] : b[c];
        dst += coef * wv;
      }
    };
    int nt = resolve_threads(cfg.threads);
    if (!z.coefs_sorted || nt <= 1 || n < 4096) {
      run(0, n);
      return;
    }
    // split at constraint boundaries so no two threads write the same slot
    auto constraint_at = [&](uint64_t i) {
      uint32_t c;
      std::memcpy(&c, base + i * io::kCoefBytes + 4, 4);
      return c;
    };
    std::vector<uint64_t> cuts;
    cuts.push_back(0);
    for (int t = 1; t < nt; t++) {
      uint64_t i = n * (uint64_t)t / (uint64_t)nt;
      if (i <= cuts.back()) continue;
      uint32_t c = constraint_at(i);
      // move back to the first record of constraint c
      uint64_t lo = cuts.back(), hi = i;
      while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (constraint_at(mid) < c) lo = mid + 1; else hi = mid;
      }
      if (lo > cuts.back()) cuts.push_back(lo);
    }
    cuts.push_back(n);
    parallel_tasks(cuts.size() - 1, nt, [&](size_t k) { run(cuts[k], cuts[k + 1]); });
  }

  static std::string g1_json(const G1& p) {
    if (p.is_infinity()) return "[\n  \"0\",\n  \"1\",\n  \"0\"\n ]";
    G1A a = p.to_affine();
    return "[\n  " + quoted(a.x.to_decimal()) + ",\n  " + quoted(a.y.to_decimal()) + ",\n  \"1\"\n ]";
  }
  static std::string g2_json(const G2& p) {
    auto pair = [](const std::string& c0, const std::string& c1) {
      return "[\n   " + quoted(c0) + ",\n   " + quoted(c1) + "\n  ]";
    };
    if (p.is_infinity()) return "[\n  " + pair("0", "0") + ",\n  " + pair("1", "0") + ",\n  " + pair("0", "0") + "\n ]";
    G2A a = p.to_affine();
    return "[\n  " + pair(a.x.c0.to_decimal(), a.x.c1.to_decimal()) + ",\n  " +
           pair(a.y.c0.to_decimal(), a.y.c1.to_decimal()) + ",\n  " + pair("1", "0") + "\n ]";
  }

  // zcash compressed serialization (Filecoin/bellperson): big-endian x, flag bits in byte 0.
  // "y is the larger": y > (p-1)/2, i.e. y > p - y = -y as integers (y != 0).
  static void be_bytes(const Fq& x, uint8_t* out) {
    uint8_t le[Fq::BYTES];
    x.to_canonical(le);
    for (int i = 0; i < Fq::BYTES; i++) out[i] = le[Fq::BYTES - 1 - i];
  }
  static bool larger(const Fq& y) {
    uint8_t a[Fq::BYTES], b[Fq::BYTES];
    be_bytes(y, a);
    be_bytes(y.neg(), b);
    return std::memcmp(a, b, Fq::BYTES) > 0;
  }
  static void compress_g1(const G1& p, uint8_t* out) {
    std::memset(out, 0, Fq::BYTES);
    if (p.is_infinity()) { out[0] = 0xc0; return; }
    G1A a = p.to_affine();
    be_bytes(a.x, out);
    out[0] |= 0x80 | (larger(a.y) ? 0x20 : 0);
  }
  static void compress_g2(const G2& p, uint8_t* out) {
    std::memset(out, 0, 2 * Fq::BYTES);
    if (p.is_infinity()) { out[0] = 0xc0; return; }
    G2A a = p.to_affine();
    be_bytes(a.x.c1, out);
    be_bytes(a.x.c0, out + Fq::BYTES);
    bool big = a.y.c1.is_zero() ? larger(a.y.c0) : larger(a.y.c1);
    out[0] |= 0x80 | (big ? 0x20 : 0);
  }

  Fr random_fr() {
    uint8_t buf[64];
    secure_random(buf, sizeof buf);
    return Fr::from_canonical_reduce(buf, sizeof buf);
  }

  ProveResult run() {
    const size_t n = z.domain_size;
    progress("qap", 0.0);
    std::vector<Fr> a(n, Fr::zero()), b(n, Fr::zero());
    build_ab(a, b);
    std::vector<Fr> c(n);
    parallel_for(0, n, cfg.threads, [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; i++) c[i] = a[i] * b[i];
    });
    progress("qap", 1.0);

    // evaluations on the odd coset of the 2n domain: iNTT, multiply by inc^i, NTT
    const int power = (int)z.domain_log2;
    Fr inc = power == C::FR_TWO_ADICITY ? Fr::from_u64(C::Fr::Params::NQR * C::Fr::Params::NQR)
                                        : C::root_of_unity(power + 1);
    std::vector<Fr>* polys[3] = {&a, &b, &c};
    if (device == PM_DEVICE_CPU) {
      // one twiddle table for the three polynomials; inverse, shift and forward fused (ntt.hpp)
      progress("ntt", 0.0);
      NttTwiddles<Fr> tw(z.domain_log2, cfg.threads);
      for (int k = 0; k < 3; k++) {
        progress("ntt", k / 3.0);
        coset_evaluations(polys[k]->data(), z.domain_log2, inc, cfg.threads, tw);
      }
    } else {
      for (int k = 0; k < 3; k++) {
        progress("ntt", k / 3.0);
        ntt(*polys[k], true, "intt");
        coset_shift(*polys[k], inc);
        ntt(*polys[k], false, "ntt");
      }
    }
    parallel_for(0, n, cfg.threads, [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; i++) a[i] = a[i] * b[i] - c[i];
    });
    std::vector<Fr>().swap(b);
    std::vector<Fr>().swap(c);
    progress("ntt", 1.0);

    const uint8_t* wit = w.values;
    const size_t nv = z.n_vars, np = z.n_public;
    G1 pi_a = msm_g1("msm-A", z.a, wit, nv, false);
    G1 pib1 = msm_g1("msm-B1", z.b1, wit, nv, false);
    G2 pi_b = msm_g2("msm-B2", z.b2, wit, nv);
    G1 pi_c = msm_g1("msm-C", z.c, wit + (np + 1) * 32, nv - np - 1, false);
    G1 res_h = msm_g1("msm-H", z.h, reinterpret_cast<const uint8_t*>(a.data()), n, true);
    std::vector<Fr>().swap(a);

    progress("finish", 0.0);
    Fr r = random_fr(), s = random_fr();
    uint8_t rb[32], sb[32], rsb[32];
    r.to_canonical(rb);
    s.to_canonical(sb);
    (r * s).neg().to_canonical(rsb);
    G1 delta1 = G1::from_affine(load_g1(z.delta1));
    G2 delta2 = G2::from_affine(load_g2(z.delta2));

    pi_a = pi_a.add(G1::from_affine(load_g1(z.alpha1)));
    pi_a = pi_a.add(scalar_mul(delta1, rb));
    pi_b = pi_b.add(G2::from_affine(load_g2(z.beta2)));
    pi_b = pi_b.add(scalar_mul(delta2, sb));
    pib1 = pib1.add(G1::from_affine(load_g1(z.beta1)));
    pib1 = pib1.add(scalar_mul(delta1, sb));
    pi_c = pi_c.add(res_h);
    pi_c = pi_c.add(scalar_mul(pi_a, sb));
    pi_c = pi_c.add(scalar_mul(pib1, rb));
    pi_c = pi_c.add(scalar_mul(delta1, rsb));

    ProveResult out;
    out.device = device;
    const char* curve_name = z.curve == PM_CURVE_BN254 ? "bn128" : "bls12381";
    out.proof_json = "{\n \"pi_a\": " + g1_json(pi_a) + ",\n \"pi_b\": " + g2_json(pi_b) + ",\n \"pi_c\": " +
                     g1_json(pi_c) + ",\n \"protocol\": \"groth16\",\n \"curve\": \"" + curve_name + "\"\n}";
    std::vector<std::string> pub(np);
    for (size_t i = 0; i < np; i++) {
      Fr v;
      std::memcpy(v.l, wit + (i + 1) * 32, 32);
      pub[i] = (v * Fr::r2()).to_decimal();  // to Montgomery, then printed canonically
    }
    out.public_json = format_public_json(pub.data(), pub.size());
    if (z.curve == PM_CURVE_BLS12_381) {
      uint8_t fc[4 * Fq::BYTES];
      compress_g1(pi_a, fc);
      compress_g2(pi_b, fc + Fq::BYTES);
      compress_g1(pi_c, fc + 3 * Fq::BYTES);
      out.filecoin.assign(reinterpret_cast<const char*>(fc), sizeof fc);
    }
    progress("finish", 1.0);
    return out;
  }
};

}  // namespace

std::string format_public_json(const std::string* values, size_t n) {
  if (n == 0) return "[]";
  std::string s = "[\n";
  for (size_t i = 0; i < n; i++) {
    s += " \"" + values[i] + "\"";
    s += i + 1 < n ? ",\n" : "\n";
  }
  return s + "]";
}

void validate_points(const io::Zkey& z, int threads) {
  const size_t nv = z.n_vars, np = z.n_public;
  struct Part {
    const char* label;
    int group;
    const uint8_t* p;
    size_t n;
  } parts[] = {
      {"alpha1", 1, z.alpha1, 1}, {"beta1", 1, z.beta1, 1},     {"beta2", 2, z.beta2, 1},
      {"gamma2", 2, z.gamma2, 1}, {"delta1", 1, z.delta1, 1},   {"delta2", 2, z.delta2, 1},
      {"IC point", 1, z.ic, np + 1}, {"A point", 1, z.a, nv},   {"B1 point", 1, z.b1, nv},
      {"B2 point", 2, z.b2, nv},  {"C point", 1, z.c, nv - np - 1}, {"H point", 1, z.h, z.domain_size},
  };
  for (const Part& part : parts) {
    try {
      check_points(part.group, z.curve, part.p, part.n, part.label, threads);
    } catch (const Error& e) {
      fail(PM_ERR_FORMAT, "%s: %s", z.path.c_str(), e.what());
    }
  }
}

ProveResult prove(const io::Zkey& zkey, const uint8_t* wtns, size_t wtns_len, const pm_prove_config& cfg) {
  Progress progress{cfg};
  progress("witness", 0.0);
  io::Wtns w = io::parse_wtns(wtns, wtns_len, "witness");
  io::check_wtns_matches(w, zkey, "witness");
  progress("witness", 1.0);
  pm_device dev = resolve_device(cfg.device);
  if (zkey.curve == PM_CURVE_BN254) {
    Prover<Bn254> p{zkey, w, cfg, dev, progress};
    return p.run();
  }
  Prover<Bls12_381> p{zkey, w, cfg, dev, progress};
  return p.run();
}

}  // namespace pm::groth16
