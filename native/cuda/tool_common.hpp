// Shared helpers of `pmtool selftest` and `pmtool bench` (native/tools; the CUDA part of the CLI).
#pragma once
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "proofmarket.h"
#include "gpu_curve.cuh"
#include "point_gen.hpp"
#ifdef PM_WITH_CUDA
#include "pm_cuda.h"
#endif

namespace pmtools {

inline double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Which device a `--device` flag names; "cpu" or "cuda".
inline bool parse_device(const char* s, pm_device* out) {
  if (!std::strcmp(s, "cpu")) { *out = PM_DEVICE_CPU; return true; }
  if (!std::strcmp(s, "cuda")) { *out = PM_DEVICE_CUDA; return true; }
  return false;
}

// 0 when this build can run CUDA work; otherwise prints why and returns exit code 3.
inline int require_cuda(const char* cmd) {
#ifndef PM_WITH_CUDA
  std::fprintf(stderr, "pmtool %s: --device cuda: this build has no CUDA kernels (built without nvcc)\n", cmd);
  return 3;
#else
  pm_engine_info info;
  pm_status st = pm_engine_info_get(&info);
  if (st.code != PM_OK) {
    std::fprintf(stderr, "pmtool %s: engine info failed: %s\n", cmd, st.message);
    return 3;
  }
  if (info.cuda_devices <= 0) {
    std::fprintf(stderr, "pmtool %s: --device cuda: no CUDA device found (no driver or no card)\n", cmd);
    return 3;
  }
  return 0;
#endif
}

inline std::string card_name() {
#ifdef PM_WITH_CUDA
  pm_engine_info info;
  if (pm_engine_info_get(&info).code == PM_OK && info.cuda_devices > 0) {
    pm_device_info d;
    if (pm_cuda_device_info(&d, 0).code == PM_OK) return d.name;
  }
#endif
  return "";
}

enum ScalarKind { UNIFORM = 0, WITNESS = 1 };
inline const char* kind_name(ScalarKind k) { return k == UNIFORM ? "uniform" : "witness"; }

// n canonical scalars (32 bytes LE, < r): uniform random, or witness-like (70% zeros, 20% ones,
// 10% random). Multithreaded by chunks, deterministic in the seed.
template <class FrP>
inline std::vector<uint32_t> make_scalars(size_t n, ScalarKind kind, uint64_t seed) {
  std::vector<uint32_t> s(n * 8, 0);
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < n; i++) {
    uint32_t* w = &s[i * 8];
    int roll = (int)(rng() % 10);
    if (kind == WITNESS && roll < 7) continue;
    if (kind == WITNESS && roll < 9) { w[0] = 1; continue; }
    for (;;) {
      for (int k = 0; k < 8; k++) w[k] = (uint32_t)rng();
      w[7] &= 0xffffffffu >> (256 - FrP::BITS);
      pmg::Fp<FrP> v;
      for (int k = 0; k < 8; k++) v.v[k] = w[k];
      if (v.is_reduced()) break;
    }
  }
  return s;
}

inline bool read_file(const std::string& path, std::vector<uint8_t>& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return true;
}

// All decimal strings ("123") of a JSON text, in order.
inline std::vector<std::string> json_decimals(const char* s) {
  std::vector<std::string> out;
  for (const char* p = s; *p; p++) {
    if (*p != '"') continue;
    const char* q = p + 1;
    while (*q >= '0' && *q <= '9') q++;
    if (*q == '"' && q > p + 1) out.emplace_back(p + 1, q);
    p = *q ? q : q - 1;
  }
  return out;
}

// decimal -> canonical little-endian words; false if it does not fit
inline bool dec_to_words(const std::string& d, uint32_t* w, int nwords) {
  for (int i = 0; i < nwords; i++) w[i] = 0;
  for (char ch : d) {
    uint64_t carry = (uint64_t)(ch - '0');
    for (int i = 0; i < nwords; i++) {
      uint64_t t = (uint64_t)w[i] * 10 + carry;
      w[i] = (uint32_t)t;
      carry = t >> 32;
    }
    if (carry) return false;
  }
  return true;
}

template <class F>
inline bool dec_to_fp(const std::string& d, F& out) {
  uint32_t w[F::N];
  if (!dec_to_words(d, w, F::N)) return false;
  for (int i = 0; i < F::N; i++) out.v[i] = w[i];
  if (!out.is_reduced()) return false;
  out = out.to_mont();
  return true;
}

// proof.json's A, B, C are valid points on the curve (G1, G2, G1)
template <class C1, class C2>
inline bool proof_points_on_curve(const char* proof_json, std::string* why) {
  using F = typename C1::F;
  auto d = json_decimals(proof_json);
  // pi_a: 3, pi_b: 6, pi_c: 3
  if (d.size() < 12) { *why = "proof.json has " + std::to_string(d.size()) + " numbers, expected 12"; return false; }
  pmg::Affine<F> a, c;
  pmg::Affine<typename C2::F> b;
  bool ok = dec_to_fp(d[0], a.x) && dec_to_fp(d[1], a.y) && dec_to_fp(d[3], b.x.c0) && dec_to_fp(d[4], b.x.c1) &&
            dec_to_fp(d[5], b.y.c0) && dec_to_fp(d[6], b.y.c1) && dec_to_fp(d[9], c.x) && dec_to_fp(d[10], c.y);
  if (!ok) { *why = "proof.json coordinates out of range"; return false; }
  if (!pmg::on_curve<C1>(a)) { *why = "pi_a is not on the curve"; return false; }
  if (!pmg::on_curve<C2>(b)) { *why = "pi_b is not on the twist"; return false; }
  if (!pmg::on_curve<C1>(c)) { *why = "pi_c is not on the curve"; return false; }
  if (a.is_infinity() || b.is_infinity() || c.is_infinity()) { *why = "a proof point is infinity"; return false; }
  return true;
}

}  // namespace pmtools
