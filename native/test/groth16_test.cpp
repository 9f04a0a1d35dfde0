// pm_groth16_test: the zkey / wtns / r1cs parsers' error paths, the prover's randomness and
// cancellation, and dev-key round trips — through the C ABI where one exists.
// (Proof validity is checked by snarkjs: test/native in Node, and native/fuzz/run.sh's smoke run.)
//
//   pm_groth16_test            all tests (prints its seed)
//   PM_SEED=123 pm_groth16_test  replay
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "groth16/devsetup.hpp"
#include "io/binfile.hpp"
#include "io/r1cs.hpp"
#include "io/wtns.hpp"
#include "io/zkey.hpp"
#include "proofmarket.h"

static int g_fail = 0, g_checks = 0;

#define CHECK(cond, ...)                                          \
  do {                                                            \
    g_checks++;                                                   \
    if (!(cond)) {                                                \
      g_fail++;                                                   \
      std::printf("FAIL %s:%d: %s  ", __FILE__, __LINE__, #cond); \
      std::printf(__VA_ARGS__);                                   \
      std::printf("\n");                                          \
    }                                                             \
  } while (0)

static std::string g_dir;

static std::string write_tmp(const std::string& name, const std::string& bytes) {
  std::string p = g_dir + "/" + name;
  FILE* f = std::fopen(p.c_str(), "wb");
  if (!f) {
    std::printf("cannot write %s\n", p.c_str());
    std::exit(1);
  }
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  return p;
}

// Opens a zkey from bytes (through a file, as the ABI does) and returns the status.
static pm_status open_bytes(const std::string& bytes, pm_zkey** out) {
  std::string p = write_tmp("t.zkey", bytes);
  return pm_zkey_open(out, p.c_str());
}

static pm_code zkey_code(const std::string& bytes, std::string* msg = nullptr) {
  pm_zkey* z = nullptr;
  pm_status st = open_bytes(bytes, &z);
  pm_zkey_close(z);
  if (msg) *msg = st.message;
  return st.code;
}

static pm_code prove_code(pm_zkey* z, const std::string& wtns, std::string* msg = nullptr) {
  pm_proof* p = nullptr;
  pm_prove_config cfg = pm_default_prove_config();
  cfg.device = PM_DEVICE_CPU;
  pm_status st = pm_groth16_prove(&p, z, (const uint8_t*)wtns.data(), wtns.size(), &cfg);
  pm_proof_destroy(p);
  if (msg) *msg = st.message;
  return st.code;
}

// offsets of each section's size field and payload in a container
struct SecLoc {
  uint32_t type;
  size_t size_at, payload;
  uint64_t size;
};
static std::vector<SecLoc> sections(const std::string& b) {
  std::vector<SecLoc> v;
  uint32_t n;
  std::memcpy(&n, b.data() + 8, 4);
  size_t pos = 12;
  for (uint32_t i = 0; i < n; i++) {
    SecLoc s;
    std::memcpy(&s.type, b.data() + pos, 4);
    s.size_at = pos + 4;
    std::memcpy(&s.size, b.data() + pos + 4, 8);
    s.payload = pos + 12;
    v.push_back(s);
    pos += 12 + s.size;
  }
  return v;
}
static SecLoc find_sec(const std::string& b, uint32_t type) {
  for (auto& s : sections(b))
    if (s.type == type) return s;
  std::printf("section %u missing in test key\n", type);
  std::exit(1);
}

static bool contains(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

static void test_curve(pm_curve curve, uint64_t seed) {
  const char* cn = curve == PM_CURVE_BN254 ? "bn254" : "bls12-381";
  std::printf("-- %s\n", cn);
  const uint32_t nC = (1u << 5) - 3;
  pm::io::R1cs r1 = pm::groth16::synthetic_chain(curve, nC);
  std::string zk = pm::groth16::build_zkey(r1, seed, 0);
  std::string wt = pm::groth16::synthetic_witness(curve, nC, seed + 1);

  // r1cs round trip through the writer and parser
  std::string r1b = pm::groth16::write_r1cs(r1);
  pm::io::R1cs r2 = pm::io::parse_r1cs((const uint8_t*)r1b.data(), r1b.size(), "chain.r1cs");
  CHECK(r2.n_constraints == nC && r2.n_vars == r1.n_vars && r2.terms.size() == r1.terms.size(), "r1cs round trip");

  // a good key opens and proves
  pm_zkey* z = nullptr;
  pm_status st = open_bytes(zk, &z);
  CHECK(st.code == PM_OK, "open good zkey: %s", st.message);
  if (st.code != PM_OK) return;
  pm_zkey_info info;
  st = pm_zkey_get_info(&info, z);
  CHECK(st.code == PM_OK && info.curve == curve && info.domain_size == 32 && info.n_vars == nC + 2 &&
            info.n_public == 1,
        "info: curve %d domain %u nvars %u npub %u", (int)info.curve, info.domain_size, info.n_vars, info.n_public);

  // two proofs of one witness: fresh r, s each time, identical public signals
  {
    pm_prove_config cfg = pm_default_prove_config();
    cfg.device = PM_DEVICE_CPU;
    pm_proof *p1 = nullptr, *p2 = nullptr;
    pm_status s1 = pm_groth16_prove(&p1, z, (const uint8_t*)wt.data(), wt.size(), &cfg);
    pm_status s2 = pm_groth16_prove(&p2, z, (const uint8_t*)wt.data(), wt.size(), &cfg);
    CHECK(s1.code == PM_OK && s2.code == PM_OK, "prove: %s / %s", s1.message, s2.message);
    if (p1 && p2) {
      CHECK(std::strcmp(pm_proof_json(p1), pm_proof_json(p2)) != 0, "two proofs are identical (r, s not fresh)");
      CHECK(std::strcmp(pm_proof_public_json(p1), pm_proof_public_json(p2)) == 0, "public.json differs");
      CHECK(pm_proof_device(p1) == PM_DEVICE_CPU, "device");
      std::string pj = pm_proof_json(p1);
      CHECK(contains(pj, "\"protocol\": \"groth16\"") &&
                contains(pj, curve == PM_CURVE_BN254 ? "\"curve\": \"bn128\"" : "\"curve\": \"bls12381\""),
            "proof json: %s", pj.c_str());
      CHECK(pj.back() == '}', "proof json ends without a newline, as snarkjs writes it");
      // Filecoin's 192-byte encoding: BLS12-381 only; every point compressed (0x80), A's x is
      // the decimal x of pi_a (checked byte for byte against @noble/curves in the Node tests)
      size_t fl = 1;
      const uint8_t* fc = pm_proof_filecoin(p1, &fl);
      if (curve == PM_CURVE_BN254) {
        CHECK(fc == nullptr && fl == 0, "BN254 proof has no Filecoin encoding");
      } else {
        CHECK(fc != nullptr && fl == 192, "BLS12-381 proof: Filecoin encoding of %zu bytes", fl);
        if (fc && fl == 192) {
          CHECK((fc[0] & 0x80) && (fc[48] & 0x80) && (fc[144] & 0x80), "compression flags set");
          size_t fl2 = 0;
          const uint8_t* fc2 = pm_proof_filecoin(p2, &fl2);
          CHECK(fc2 && std::memcmp(fc, fc2, 192) != 0, "two proofs encode differently");
        }
      }
    }
    pm_proof_destroy(p1);
    pm_proof_destroy(p2);
  }

  // cancellation through the progress callback
  {
    pm_prove_config cfg = pm_default_prove_config();
    cfg.device = PM_DEVICE_CPU;
    int calls = 0;
    cfg.progress_user = &calls;
    cfg.progress = [](void* u, const char* stage, double) -> int {
      ++*(int*)u;
      return std::strcmp(stage, "msm-A") == 0;  // cancel at the first MSM
    };
    pm_proof* p = nullptr;
    st = pm_groth16_prove(&p, z, (const uint8_t*)wt.data(), wt.size(), &cfg);
    CHECK(st.code == PM_ERR_CANCELLED && p == nullptr && contains(st.message, "msm-A"), "cancel: %d %s",
          (int)st.code, st.message);
    CHECK(calls > 2, "progress was called %d times", calls);
  }

  // CUDA asked for where there is no card: a clear UNSUPPORTED, not a failure mid-proof
  {
    pm_engine_info ei;
    if (pm_engine_info_get(&ei).code == PM_OK && ei.cuda_devices == 0) {
      pm_prove_config cfg = pm_default_prove_config();
      cfg.device = PM_DEVICE_CUDA;
      pm_proof* p = nullptr;
      st = pm_groth16_prove(&p, z, (const uint8_t*)wt.data(), wt.size(), &cfg);
      CHECK(st.code == PM_ERR_UNSUPPORTED && p == nullptr && contains(st.message, "cuda"), "cuda without card: %s",
            st.message);
    }
  }

  std::string msg;
  // ---- witness errors
  {
    std::string w = wt;
    w.resize(w.size() - 5);
    CHECK(prove_code(z, w, &msg) == PM_ERR_FORMAT, "truncated wtns: %s", msg.c_str());
    CHECK(prove_code(z, "", &msg) == PM_ERR_FORMAT, "empty wtns: %s", msg.c_str());
    w = wt;
    w[0] = 'x';
    CHECK(prove_code(z, w, &msg) == PM_ERR_FORMAT && contains(msg, "magic"), "bad wtns magic: %s", msg.c_str());
    // a witness of another (longer) circuit
    std::string other = pm::groth16::synthetic_witness(curve, nC + 4, seed);
    CHECK(prove_code(z, other, &msg) == PM_ERR_MISMATCH && contains(msg, std::to_string(nC + 6).c_str()) &&
              contains(msg, std::to_string(nC + 2).c_str()),
          "wtns of another circuit: %s", msg.c_str());
    // a witness over the other curve's field
    pm_curve oc = curve == PM_CURVE_BN254 ? PM_CURVE_BLS12_381 : PM_CURVE_BN254;
    std::string ow = pm::groth16::synthetic_witness(oc, nC, seed);
    CHECK(prove_code(z, ow, &msg) == PM_ERR_MISMATCH && contains(msg, "prime"), "wtns of other field: %s",
          msg.c_str());
    // a value not below the modulus
    w = wt;
    SecLoc s2 = find_sec(w, 2);
    std::memset(&w[s2.payload + 3 * 32], 0xff, 32);
    CHECK(prove_code(z, w, &msg) == PM_ERR_FORMAT && contains(msg, "value 3"), "wtns value >= r: %s", msg.c_str());
    // section size that disagrees with the header
    w = wt;
    SecLoc s1 = find_sec(w, 1);
    uint32_t bogus = 1000;
    std::memcpy(&w[s1.payload + 4 + 32], &bogus, 4);
    CHECK(prove_code(z, w, &msg) == PM_ERR_FORMAT, "wtns count vs section size: %s", msg.c_str());
  }
  pm_zkey_close(z);

  // ---- zkey errors
  CHECK(zkey_code(std::string(zk.data(), 7), &msg) == PM_ERR_FORMAT, "7-byte zkey: %s", msg.c_str());
  for (size_t cut : {size_t(12), size_t(40), zk.size() / 2, zk.size() - 1}) {
    CHECK(zkey_code(zk.substr(0, cut), &msg) == PM_ERR_FORMAT && contains(msg, "t.zkey"),
          "zkey truncated to %zu: %s", cut, msg.c_str());
  }
  {
    std::string b = zk;
    std::memcpy(&b[0], "wtns", 4);
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "magic"), "zkey magic: %s", msg.c_str());
    b = zk;
    b[4] = 9;
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "version"), "zkey version: %s", msg.c_str());
    SecLoc s1 = find_sec(zk, 1);
    b = zk;
    b[s1.payload] = 2;
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "PLONK key, not Groth16"), "plonk: %s", msg.c_str());
    b[s1.payload] = 10;
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "FFLONK"), "fflonk: %s", msg.c_str());
    b[s1.payload] = 77;
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "protocol"), "unknown protocol: %s", msg.c_str());
    // a section whose size runs past the end of the file
    SecLoc s9 = find_sec(zk, 9);
    b = zk;
    uint64_t huge = s9.size + 1000000;
    std::memcpy(&b[s9.size_at], &huge, 8);
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "section"), "section past EOF: %s", msg.c_str());
    // prime of neither curve
    SecLoc s2 = find_sec(zk, 2);
    b = zk;
    b[s2.payload + 4] ^= 0x01;
    CHECK(zkey_code(b, &msg) == PM_ERR_UNSUPPORTED && contains(msg, "prime"), "unknown prime: %s", msg.c_str());
    // nVars inconsistent with the point sections
    b = zk;
    uint32_t nv;
    size_t nv_at = s2.payload + 4 + (curve == PM_CURVE_BN254 ? 32 : 48) + 4 + 32;
    std::memcpy(&nv, &b[nv_at], 4);
    nv += 1;
    std::memcpy(&b[nv_at], &nv, 4);
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "expected"), "nVars vs sections: %s", msg.c_str());
    // domain size not a power of two
    b = zk;
    uint32_t d = 33;
    std::memcpy(&b[nv_at + 8], &d, 4);
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "power of two"), "domain: %s", msg.c_str());
    // a coefficient naming a signal beyond nVars
    SecLoc s4 = find_sec(zk, 4);
    b = zk;
    uint32_t big = 1u << 30;
    std::memcpy(&b[s4.payload + 4 + 8], &big, 4);
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "signal"), "coef signal: %s", msg.c_str());
    b = zk;
    std::memcpy(&b[s4.payload + 4 + 4], &big, 4);
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "constraint"), "coef constraint: %s", msg.c_str());
    // a missing section (type renamed)
    b = zk;
    uint32_t t = 99;
    std::memcpy(&b[s9.size_at - 4], &t, 4);
    CHECK(zkey_code(b, &msg) == PM_ERR_FORMAT && contains(msg, "missing section 9"), "missing H: %s", msg.c_str());
  }
  {
    pm_zkey* z2 = nullptr;
    st = pm_zkey_open(&z2, (g_dir + "/does-not-exist.zkey").c_str());
    CHECK(st.code == PM_ERR_IO && z2 == nullptr && contains(st.message, "does-not-exist"), "missing file: %s",
          st.message);
    st = pm_zkey_open(nullptr, "x");
    CHECK(st.code == PM_ERR_INVALID_ARGUMENT, "null out");
    st = pm_groth16_prove(nullptr, nullptr, nullptr, 0, nullptr);
    CHECK(st.code == PM_ERR_INVALID_ARGUMENT, "null prove args");
  }
  // r1cs errors
  {
    std::string b = r1b;
    b.resize(b.size() - 3);
    std::string p = write_tmp("t.r1cs", b);
    st = pm_dev_setup_r1cs((g_dir + "/o.zkey").c_str(), p.c_str(), 1);
    CHECK(st.code == PM_ERR_FORMAT, "truncated r1cs: %s", st.message);
    b = r1b;
    SecLoc c2 = find_sec(b, 2);
    uint32_t sig = 1u << 31;
    std::memcpy(&b[c2.payload + 4], &sig, 4);
    p = write_tmp("t.r1cs", b);
    st = pm_dev_setup_r1cs((g_dir + "/o.zkey").c_str(), p.c_str(), 1);
    CHECK(st.code == PM_ERR_FORMAT && contains(st.message, "signal"), "r1cs bad signal: %s", st.message);
  }
  // dev setup is deterministic in its seed
  {
    std::string z1 = pm::groth16::build_zkey(r1, seed, 0), z2 = pm::groth16::build_zkey(r1, seed, 1),
                z3 = pm::groth16::build_zkey(r1, seed + 1, 0);
    CHECK(z1 == z2, "dev setup depends on the thread count");
    CHECK(z1 != z3, "dev setup ignores the seed");
  }
}

int main() {
  uint64_t seed;
  if (const char* s = std::getenv("PM_SEED")) seed = std::strtoull(s, nullptr, 0);
  else seed = std::random_device{}();
  std::printf("pm_groth16_test seed %llu (replay with PM_SEED=%llu)\n", (unsigned long long)seed,
              (unsigned long long)seed);
  char tmpl[] = "/tmp/pm-g16-test-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::printf("mkdtemp failed\n");
    return 1;
  }
  g_dir = tmpl;
  test_curve(PM_CURVE_BN254, seed);
  test_curve(PM_CURVE_BLS12_381, seed);
  std::string cmd = "rm -rf '" + g_dir + "'";
  if (std::system(cmd.c_str()) != 0) std::printf("warning: could not remove %s\n", g_dir.c_str());
  std::printf("%d checks, %d failed\n", g_checks, g_fail);
  return g_fail ? 1 : 0;
}
