#include "groth16/devsetup.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "curves/bls12_381.hpp"
#include "curves/bn254.hpp"
#include "io/binfile.hpp"
#include "io/mapped_file.hpp"
#include "io/wtns.hpp"
#include "util/parallel.hpp"
#include "util/status.hpp"

namespace pm::groth16 {
namespace {

// SplitMix64: a deterministic stream for the seeded toxic waste (dev keys only).
struct SeededRng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  template <class Fr>
  Fr nonzero_fr() {
    for (;;) {
      uint8_t b[64];
      for (int i = 0; i < 8; i++) {
        uint64_t v = next();
        std::memcpy(b + 8 * i, &v, 8);
      }
      Fr x = Fr::from_canonical_reduce(b, sizeof b);
      if (!x.is_zero()) return x;
    }
  }
};

// Fixed-base scalar multiplication with 8-bit windows: table[k][d] = d * 256^k * G (affine), so
// one product is at most 32 mixed additions and no doublings.
template <class P>
struct FixedBase {
  using A = typename P::AffineT;
  static constexpr int W = 8, NWIN = 32, D = 1 << W;
  std::vector<A> table;
  explicit FixedBase(const A& g) {
    std::vector<P> jac((size_t)NWIN * D);
    P base = P::from_affine(g);
    for (int k = 0; k < NWIN; k++) {
      P cur = P::infinity();
      jac[(size_t)k * D] = cur;
      for (int d = 1; d < D; d++) {
        cur = cur.add(base);
        jac[(size_t)k * D + d] = cur;
      }
      for (int i = 0; i < W; i++) base = base.dbl();
    }
    table.resize(jac.size());
    P::batch_to_affine(jac.data(), table.data(), jac.size());
  }
  P mul(const uint8_t* le32) const {
    P acc = P::infinity();
    for (int k = 0; k < NWIN; k++)
      if (le32[k]) acc = acc.add_mixed(table[(size_t)k * D + le32[k]]);
    return acc;
  }
  // out (affine, the zkey's LEM bytes) = scalars[i] * G for all i, multithreaded, normalised in
  // batches with one inversion each.
  void mul_many(uint8_t* out, const std::vector<typename P::Field>* /*unused*/, const uint8_t* scal, size_t n,
                int threads) const {
    parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
      const size_t B = 1024;
      std::vector<P> jac(B);
      std::vector<A> aff(B);
      for (size_t s = lo; s < hi; s += B) {
        size_t m = std::min(B, hi - s);
        for (size_t i = 0; i < m; i++) jac[i] = mul(scal + (s + i) * 32);
        P::batch_to_affine(jac.data(), aff.data(), m);
        std::memcpy(out + s * sizeof(A), aff.data(), m * sizeof(A));
      }
    });
  }
};

template <class C>
struct DevSetup {
  using Fr = typename C::Fr;
  using G1 = typename C::G1;
  using G2 = typename C::G2;
  using G1A = typename C::G1Affine;
  using G2A = typename C::G2Affine;

  const io::R1cs& r;
  uint64_t seed;
  int threads;

  // scalars (Fr) -> canonical 32-byte LE buffer
  std::vector<uint8_t> canon(const std::vector<Fr>& v) {
    std::vector<uint8_t> out(v.size() * 32);
    parallel_for(0, v.size(), threads, [&](size_t lo, size_t hi) {
      for (size_t i = lo; i < hi; i++) v[i].to_canonical(&out[i * 32]);
    });
    return out;
  }

  // Lagrange basis of the domain of size 2^lg at tau: L_j = (tau^m - 1)/m * w^j / (tau - w^j)
  std::vector<Fr> lagrange(const Fr& tau, uint32_t lg) {
    size_t m = (size_t)1 << lg;
    Fr w = C::root_of_unity((int)lg);
    std::vector<Fr> wj(m), den(m), scratch(m);
    parallel_for(0, m, threads, [&](size_t lo, size_t hi) {
      Fr p = w.pow_u64(lo);
      for (size_t j = lo; j < hi; j++) {
        wj[j] = p;
        den[j] = tau - p;
        if (den[j].is_zero()) fail(PM_ERR_INTERNAL, "dev setup: tau fell on the domain; use another seed");
        p *= w;
      }
    });
    // batch inverse per chunk
    parallel_for(0, m, threads, [&](size_t lo, size_t hi) {
      Fr::batch_inverse(&den[lo], hi - lo, &scratch[lo]);
    });
    Fr zt = tau.pow_u64(m) - Fr::one();
    Fr k = zt * Fr::from_u64(m).inv();
    parallel_for(0, m, threads, [&](size_t lo, size_t hi) {
      for (size_t j = lo; j < hi; j++) den[j] = k * wj[j] * den[j];
    });
    return den;
  }

  std::string run() {
    const uint32_t nC = r.n_constraints, nPub = r.n_public(), nVars = r.n_vars;
    uint64_t need = (uint64_t)nC + nPub;
    uint32_t lg = 0;
    while ((1ULL << (lg + 1)) <= need) lg++;  // floor(log2(need))
    uint32_t cir_power = need == 0 ? 1 : lg + 1;
    if ((int)cir_power >= C::FR_TWO_ADICITY)
      fail(PM_ERR_UNSUPPORTED, "dev setup: circuit needs a domain of 2^%u, beyond what this curve supports", cir_power);
    const size_t n = (size_t)1 << cir_power;

    SeededRng rng{seed ^ 0x70726f6f666d6b74ULL};
    Fr tau = rng.template nonzero_fr<Fr>(), alpha = rng.template nonzero_fr<Fr>(),
       beta = rng.template nonzero_fr<Fr>(), gamma = rng.template nonzero_fr<Fr>(),
       delta = rng.template nonzero_fr<Fr>();
    Fr gamma_inv = gamma.inv(), delta_inv = delta.inv();

    std::vector<Fr> L = lagrange(tau, cir_power);
    std::vector<Fr> u(nVars, Fr::zero()), v(nVars, Fr::zero()), wv(nVars, Fr::zero());
    auto coef_of = [&](const io::R1csTerm& t) {
      Fr c;
      if (!Fr::from_canonical(c, t.coef)) fail(PM_ERR_FORMAT, "dev setup: coefficient not below the modulus");
      return c;
    };
    // coefficient section entries and the QAP polynomials at tau
    std::vector<uint8_t> coef_sec;
    uint32_t n_coef_entries = 0;
    auto add_coef = [&](uint32_t m, uint32_t c, uint32_t s, const Fr& val) {
      uint8_t rec[44];
      std::memcpy(rec, &m, 4);
      std::memcpy(rec + 4, &c, 4);
      std::memcpy(rec + 8, &s, 4);
      Fr stored = val * Fr::r2();  // raw limbs = c * R^2 mod r (snarkjs writes c*R^2)
      std::memcpy(rec + 12, stored.l, 32);
      coef_sec.insert(coef_sec.end(), rec, rec + 44);
      n_coef_entries++;
    };
    for (uint32_t k = 0; k < nC; k++) {
      for (int m = 0; m < 3; m++) {
        std::vector<Fr>& dst = m == 0 ? u : m == 1 ? v : wv;
        for (uint64_t i = r.lc_start[3 * (size_t)k + m]; i < r.lc_start[3 * (size_t)k + m + 1]; i++) {
          const io::R1csTerm& t = r.terms[i];
          Fr c = coef_of(t);
          dst[t.signal] += c * L[k];
          if (m < 2) add_coef((uint32_t)m, k, t.signal, c);
        }
      }
    }
    for (uint32_t s = 0; s <= nPub; s++) {
      u[s] += L[nC + s];
      add_coef(0, nC + s, s, Fr::one());
    }
    std::vector<Fr>().swap(L);

    // scalars of every point
    std::vector<Fr> ic(nPub + 1), cs(nVars - nPub - 1);
    for (uint32_t s = 0; s < nVars; s++) {
      Fr k = beta * u[s] + alpha * v[s] + wv[s];
      if (s <= nPub) ic[s] = k * gamma_inv; else cs[s - nPub - 1] = k * delta_inv;
    }
    std::vector<Fr>().swap(wv);
    std::vector<Fr> hs(n);
    {
      std::vector<Fr> L2 = lagrange(tau, cir_power + 1);
      for (size_t i = 0; i < n; i++) hs[i] = L2[2 * i + 1] * delta_inv;
    }

    FixedBase<G1> g1(C::g1_gen());
    FixedBase<G2> g2(C::g2_gen());
    const size_t sG1 = sizeof(G1A), sG2 = sizeof(G2A);
    const uint32_t n8q = (uint32_t)(sG1 / 2);

    io::BinWriter out("zkey", 1, 10);
    out.begin_section(1);
    out.u32(1);
    out.end_section();

    out.begin_section(2);
    out.u32(n8q);
    out.put(C::Fq::Params::MOD, n8q);
    out.u32(32);
    out.put(C::Fr::Params::MOD, 32);
    out.u32(nVars);
    out.u32(nPub);
    out.u32((uint32_t)n);
    auto put_g1 = [&](const Fr& k) {
      uint8_t b[32];
      k.to_canonical(b);
      G1A a = g1.mul(b).to_affine();
      out.put(&a, sG1);
    };
    auto put_g2 = [&](const Fr& k) {
      uint8_t b[32];
      k.to_canonical(b);
      G2A a = g2.mul(b).to_affine();
      out.put(&a, sG2);
    };
    put_g1(alpha);
    put_g1(beta);
    put_g2(beta);
    put_g2(gamma);
    put_g1(delta);
    put_g2(delta);
    out.end_section();

    out.begin_section(4);
    out.u32(n_coef_entries);
    out.put(coef_sec.data(), coef_sec.size());
    out.end_section();
    std::vector<uint8_t>().swap(coef_sec);

    auto section_g1 = [&](uint32_t id, const std::vector<Fr>& k) {
      std::vector<uint8_t> sc = canon(k);
      out.begin_section(id);
      uint8_t* dst = out.reserve(k.size() * sG1);
      g1.mul_many(dst, nullptr, sc.data(), k.size(), threads);
      out.end_section();
    };
    section_g1(3, ic);
    section_g1(5, u);
    section_g1(6, v);
    {
      std::vector<uint8_t> sc = canon(v);
      out.begin_section(7);
      uint8_t* dst = out.reserve(v.size() * sG2);
      g2.mul_many(dst, nullptr, sc.data(), v.size(), threads);
      out.end_section();
    }
    section_g1(8, cs);
    section_g1(9, hs);

    out.begin_section(10);
    uint8_t cs_hash[64] = {0};  // no circuit hash: a dev key has no ceremony transcript
    out.put(cs_hash, 64);
    out.u32(0);
    out.end_section();
    return std::move(out.mutable_bytes());
  }
};

// A canonical 32-byte encoding of (r - v) for small v: -v mod r.
template <class Fr>
void neg_small(uint8_t* out, uint64_t v) {
  Fr::from_u64(v).neg().to_canonical(out);
}

template <class C>
io::R1cs chain_impl(uint32_t nC) {
  using Fr = typename C::Fr;
  io::R1cs r;
  r.curve = C::id;
  r.n8 = 32;
  r.n_outputs = 1;
  r.n_pub_inputs = 0;
  r.n_prv_inputs = 1;
  r.n_constraints = nC;
  // signals: 0 one, 1 out, 2 x0, 3.. x1..x_{nC-1}
  r.n_vars = nC + 2;
  r.n_labels = r.n_vars;
  r.owned.resize((size_t)(nC + 1) * 32);
  Fr::one().to_canonical(&r.owned[0]);
  for (uint32_t i = 0; i < nC; i++) neg_small<Fr>(&r.owned[(size_t)(i + 1) * 32], i + 1);
  const uint8_t* one = &r.owned[0];
  auto x = [&](uint32_t i) { return i == 0 ? 2u : 2u + i; };  // x_i's signal
  r.lc_start.reserve((size_t)nC * 3 + 1);
  r.terms.reserve((size_t)nC * 4);
  for (uint32_t i = 0; i < nC; i++) {
    // x_i * x_i = x_{i+1} - (i+1)   (the last one writes out)
    uint32_t next = i + 1 == nC ? 1u : x(i + 1);
    r.lc_start.push_back(r.terms.size());
    r.terms.push_back({x(i), one});
    r.lc_start.push_back(r.terms.size());
    r.terms.push_back({x(i), one});
    r.lc_start.push_back(r.terms.size());
    r.terms.push_back({next, one});
    r.terms.push_back({0, &r.owned[(size_t)(i + 1) * 32]});
  }
  r.lc_start.push_back(r.terms.size());
  return r;
}

template <class C>
std::string witness_impl(uint32_t nC, uint64_t seed) {
  using Fr = typename C::Fr;
  uint32_t nv = nC + 2;
  std::vector<uint8_t> vals((size_t)nv * 32);
  SeededRng rng{seed ^ 0x7769746e65737321ULL};
  Fr xi = rng.template nonzero_fr<Fr>();
  Fr::one().to_canonical(&vals[0]);
  xi.to_canonical(&vals[2 * 32]);
  for (uint32_t i = 0; i < nC; i++) {
    xi = xi.sqr() + Fr::from_u64(i + 1);
    uint32_t sig = i + 1 == nC ? 1u : 3u + i;
    xi.to_canonical(&vals[(size_t)sig * 32]);
  }
  return io::write_wtns(reinterpret_cast<const uint8_t*>(C::Fr::Params::MOD), vals.data(), nv);
}

uint32_t chain_constraints(uint32_t log_constraints) { return (1u << log_constraints) - 3; }

void ensure_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    fail(PM_ERR_IO, "%s: cannot create directory: %s", dir.c_str(), std::strerror(errno));
}

}  // namespace

io::R1cs synthetic_chain(pm_curve curve, uint32_t n_constraints) {
  return curve == PM_CURVE_BN254 ? chain_impl<Bn254>(n_constraints) : chain_impl<Bls12_381>(n_constraints);
}

std::string synthetic_witness(pm_curve curve, uint32_t n_constraints, uint64_t seed) {
  return curve == PM_CURVE_BN254 ? witness_impl<Bn254>(n_constraints, seed)
                                 : witness_impl<Bls12_381>(n_constraints, seed);
}

std::string write_r1cs(const io::R1cs& r) {
  io::BinWriter w("r1cs", 1, 2);
  w.begin_section(1);
  w.u32(32);
  if (r.curve == PM_CURVE_BN254) w.put(Bn254FrParams::MOD, 32); else w.put(Bls12_381FrParams::MOD, 32);
  w.u32(r.n_vars);
  w.u32(r.n_outputs);
  w.u32(r.n_pub_inputs);
  w.u32(r.n_prv_inputs);
  w.u64(r.n_labels);
  w.u32(r.n_constraints);
  w.end_section();
  w.begin_section(2);
  for (uint32_t k = 0; k < r.n_constraints; k++)
    for (int m = 0; m < 3; m++) {
      uint64_t lo = r.lc_start[3 * (size_t)k + m], hi = r.lc_start[3 * (size_t)k + m + 1];
      w.u32((uint32_t)(hi - lo));
      for (uint64_t i = lo; i < hi; i++) {
        w.u32(r.terms[i].signal);
        w.put(r.terms[i].coef, 32);
      }
    }
  w.end_section();
  return w.bytes();
}

std::string build_zkey(const io::R1cs& r, uint64_t seed, int threads) {
  if (r.curve == PM_CURVE_BN254) return DevSetup<Bn254>{r, seed, threads}.run();
  return DevSetup<Bls12_381>{r, seed, threads}.run();
}

void dev_setup_r1cs(const std::string& zkey_out, const std::string& r1cs_path, uint64_t seed, int threads) {
  io::MappedFile f(r1cs_path);
  io::R1cs r = io::parse_r1cs(f.data(), f.size(), r1cs_path);
  std::string z = build_zkey(r, seed, threads);
  io::write_file(zkey_out, z.data(), z.size());
}

void dev_setup_synthetic(const std::string& dir, pm_curve curve, uint32_t log_constraints, uint64_t seed,
                         int threads) {
  ensure_dir(dir);
  uint32_t nC = chain_constraints(log_constraints);
  io::R1cs r = synthetic_chain(curve, nC);
  std::string r1 = write_r1cs(r);
  io::write_file(dir + "/circuit.r1cs", r1.data(), r1.size());
  std::string z = build_zkey(r, seed, threads);
  io::write_file(dir + "/circuit.zkey", z.data(), z.size());
  std::string w = synthetic_witness(curve, nC, seed);
  io::write_file(dir + "/witness.wtns", w.data(), w.size());
}

}  // namespace pm::groth16
