// C ABI of the arithmetic part of the engine: engine info, batch field ops, MSM and NTT.
// Every entry point validates its arguments, never lets an exception escape (pm::guard), and
// sends work to the CUDA kernels when the build has them, a card is present and the caller
// asked for AUTO or CUDA.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstring>
#include <vector>

#include "curves/bls12_381.hpp"
#include "curves/bn254.hpp"
#include "msm/dispatch.hpp"
#include "msm/msm.hpp"
#include "ntt/ntt.hpp"
#include "proofmarket.h"
#include "util/parallel.hpp"
#include "util/status.hpp"
#ifdef PM_WITH_CUDA
#include "pm_cuda.h"
#endif

using namespace pm;

namespace {

const char* curve_name(pm_curve c) {
  switch (c) {
    case PM_CURVE_BN254: return "bn254";
    case PM_CURVE_BLS12_381: return "bls12-381";
  }
  return "?";
}

// The integer value of an enum argument, read without an enum-typed load: callers (Node, other
// languages) may pass any int, and loading an out-of-range enum value is undefined in C++.
template <class E>
int raw(const E& e) {
  int v = 0;
  std::memcpy(&v, &e, sizeof(E) < sizeof v ? sizeof(E) : sizeof v);
  return v;
}

void check_curve(const pm_curve& c) {
  if (raw(c) != PM_CURVE_BN254 && raw(c) != PM_CURVE_BLS12_381)
    fail(PM_ERR_INVALID_ARGUMENT, "unknown curve id %d (expected 1 = bn254 or 2 = bls12-381)",
         raw(c));
}

// Calls f.template operator()<Curve>() for the curve id.
template <class F>
void with_curve(const pm_curve& c, F&& f) {
  check_curve(c);
  if (raw(c) == PM_CURVE_BN254)
    f(Bn254{});
  else
    f(Bls12_381{});
}

int cuda_devices() {
#ifdef PM_WITH_CUDA
  int n = pm_cuda_device_count();
  return n > 0 ? n : 0;
#else
  return 0;
#endif
}

// True when the work should go to the GPU; throws when CUDA is demanded and unavailable.
bool want_cuda(const pm_device& dev_in, const char* what) {
  int dev = raw(dev_in);
  if (dev == PM_DEVICE_CPU) return false;
  if (dev != PM_DEVICE_AUTO && dev != PM_DEVICE_CUDA)
    fail(PM_ERR_INVALID_ARGUMENT, "%s: unknown device %d (expected 0 = auto, 1 = cpu, 2 = cuda)",
         what, dev);
#ifdef PM_WITH_CUDA
  if (cuda_devices() > 0) return true;
  if (dev == PM_DEVICE_CUDA)
    fail(PM_ERR_UNSUPPORTED, "%s: device CUDA was asked for, but no CUDA device was found", what);
  return false;
#else
  if (dev == PM_DEVICE_CUDA)
    fail(PM_ERR_UNSUPPORTED,
         "%s: device CUDA was asked for, but this build has no CUDA kernels (built without nvcc)",
         what);
  return false;
#endif
}

#ifdef PM_WITH_CUDA
void check_status(const pm_status& st) {
  if (st.code != PM_OK) throw Error(st.code, st.message);
}
#endif

// All elements of an array of F (read in place) below the modulus; names the first offender.
template <class F>
void check_reduced(const F* v, size_t n, const char* what, int threads) {
  std::vector<size_t> bad((size_t)resolve_threads(threads) + 1, SIZE_MAX);
  size_t nt = bad.size() - 1;
  parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
    size_t slot = std::min(nt, lo * nt / n);
    for (size_t i = lo; i < hi; i++)
      if (!v[i].is_reduced()) {
        bad[slot] = std::min(bad[slot], i);
        return;
      }
  });
  size_t first = *std::min_element(bad.begin(), bad.end());
  if (first != SIZE_MAX)
    fail(PM_ERR_INVALID_ARGUMENT, "%s %zu is not below the field modulus", what, first);
}

template <class Aff>
void check_points_in(const Aff* pts, size_t n, const char* group, pm_curve curve, int threads) {
  std::vector<size_t> bad_range((size_t)resolve_threads(threads) + 1, SIZE_MAX);
  std::vector<size_t> bad_curve((size_t)resolve_threads(threads) + 1, SIZE_MAX);
  size_t nt = bad_range.size() - 1;
  parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
    size_t slot = std::min(nt, lo * nt / n);
    for (size_t i = lo; i < hi; i++) {
      if (!pts[i].x.is_reduced() || !pts[i].y.is_reduced()) {
        bad_range[slot] = std::min(bad_range[slot], i);
        return;
      }
      if (!pts[i].is_on_curve()) {
        bad_curve[slot] = std::min(bad_curve[slot], i);
        return;
      }
    }
  });
  size_t r = *std::min_element(bad_range.begin(), bad_range.end());
  size_t c = *std::min_element(bad_curve.begin(), bad_curve.end());
  if (r != SIZE_MAX && r <= c)
    fail(PM_ERR_INVALID_ARGUMENT, "%s %zu of %s: a coordinate is not below the base field "
         "modulus (points must be Montgomery LE, as in .zkey files)", group, r, curve_name(curve));
  if (c != SIZE_MAX)
    fail(PM_ERR_INVALID_ARGUMENT, "%s %zu is not on the %s curve (points must be affine, "
         "Montgomery LE, as in .zkey files; all zeros for infinity)", group, c, curve_name(curve));
}

template <class Fr>
void check_scalars(const uint8_t* scalars, size_t n, bool mont, int threads) {
  const Fr* s = reinterpret_cast<const Fr*>(scalars);
  std::vector<size_t> bad((size_t)resolve_threads(threads) + 1, SIZE_MAX);
  size_t nt = bad.size() - 1;
  parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
    size_t slot = std::min(nt, lo * nt / n);
    for (size_t i = lo; i < hi; i++)
      if (!s[i].is_reduced()) {
        bad[slot] = std::min(bad[slot], i);
        return;
      }
  });
  size_t b = *std::min_element(bad.begin(), bad.end());
  if (b != SIZE_MAX)
    fail(PM_ERR_INVALID_ARGUMENT, "scalar %zu is not below the scalar field modulus r (%s "
         "32-byte LE expected)", b, mont ? "Montgomery" : "canonical");
}

template <int G>
pm_status msm_entry(uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars,
                    size_t n, const pm_msm_config* cfg_in) {
  return guard([&] {
    const char* what = G == 1 ? "pm_msm_g1" : "pm_msm_g2";
    if (!out) fail(PM_ERR_INVALID_ARGUMENT, "%s: out is NULL", what);
    if (n > 0 && !points) fail(PM_ERR_INVALID_ARGUMENT, "%s: points is NULL", what);
    if (n > 0 && !scalars) fail(PM_ERR_INVALID_ARGUMENT, "%s: scalars is NULL", what);
    pm_msm_config cfg = cfg_in ? *cfg_in : pm_default_msm_config();
    msm_run(G, out, curve, points, scalars, n, cfg, true);
  });
}

}  // namespace

namespace pm {

void check_points(int group, pm_curve curve, const uint8_t* points, size_t n, const char* what,
                  int threads) {
  if (n == 0) return;
  with_curve(curve, [&](auto c) {
    using C = decltype(c);
    if (group == 1)
      check_points_in(reinterpret_cast<const typename C::G1Affine*>(points), n, what, curve, threads);
    else
      check_points_in(reinterpret_cast<const typename C::G2Affine*>(points), n, what, curve, threads);
  });
}

void msm_run(int group, uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars,
             size_t n, const pm_msm_config& cfg, bool validate) {
  const char* what = group == 1 ? "pm_msm_g1" : "pm_msm_g2";
  if (n > 0xffffffffULL) fail(PM_ERR_INVALID_ARGUMENT, "%s: n = %zu is too large", what, n);
  if (cfg.window_bits < 0 || cfg.window_bits > 16)
    fail(PM_ERR_INVALID_ARGUMENT, "%s: window_bits %d out of range 0..16", what, cfg.window_bits);
  check_curve(curve);
  if (validate && n > 0) {
    check_points(group, curve, points, n, group == 1 ? "G1 point" : "G2 point", cfg.threads);
    with_curve(curve, [&](auto c) {
      check_scalars<typename decltype(c)::Fr>(scalars, n, cfg.scalars_montgomery != 0, cfg.threads);
    });
  }
  if (want_cuda(cfg.device, what) && n > 0) {
#ifdef PM_WITH_CUDA
    check_status(group == 1 ? pm_cuda_msm_g1(out, curve, points, scalars, n, cfg.scalars_montgomery)
                            : pm_cuda_msm_g2(out, curve, points, scalars, n, cfg.scalars_montgomery));
    return;
#endif
  }
  with_curve(curve, [&](auto c) {
    using C = decltype(c);
    auto run = [&](auto aff_tag, auto proj_tag) {
      using Aff = decltype(aff_tag);
      using P = decltype(proj_tag);
      P r = msm<C, Aff, P>(reinterpret_cast<const Aff*>(points), scalars, n,
                           cfg.scalars_montgomery != 0, cfg.threads, cfg.window_bits);
      Aff a = r.to_affine();
      std::memcpy(out, &a, sizeof a);
    };
    if (group == 1)
      run(typename C::G1Affine{}, typename C::G1{});
    else
      run(typename C::G2Affine{}, typename C::G2{});
  });
}

}  // namespace pm

extern "C" {

pm_status pm_engine_info_get(pm_engine_info* out) {
  return guard([&] {
    if (!out) fail(PM_ERR_INVALID_ARGUMENT, "pm_engine_info_get: out is NULL");
    std::memset(out, 0, sizeof *out);
    out->abi_version = PM_ABI_VERSION;
    out->cpu_threads = hw_threads();
#ifdef PM_WITH_CUDA
    out->cuda_compiled = 1;
#ifdef PM_CUDA_ARCHS_STR
    const char* archs = PM_CUDA_ARCHS_STR;
#else
    const char* archs = "?";
#endif
#else
    out->cuda_compiled = 0;
#endif
    out->cuda_devices = cuda_devices();
    char buf[128];
#if defined(__x86_64__)
    const char* arch = "x86_64";
#elif defined(__aarch64__)
    const char* arch = "aarch64";
#else
    const char* arch = "generic";
#endif
#ifdef PM_HAVE_MONT_ASM4
    const char* mul = "mulx/adx";
#else
    const char* mul = "int128";
#endif
#ifdef PM_WITH_CUDA
    std::snprintf(buf, sizeof buf, "%s %s, cuda sm %s", arch, mul, archs);
#else
    std::snprintf(buf, sizeof buf, "%s %s, no cuda", arch, mul);
#endif
    std::snprintf(out->build, sizeof out->build, "%s", buf);
  });
}

pm_status pm_cuda_device_info(pm_device_info* out, int index) {
  return guard([&]() -> pm_status {
    if (!out) fail(PM_ERR_INVALID_ARGUMENT, "pm_cuda_device_info: out is NULL");
    std::memset(out, 0, sizeof *out);
#ifdef PM_WITH_CUDA
    int n = cuda_devices();
    if (index < 0 || index >= n)
      fail(PM_ERR_INVALID_ARGUMENT, "pm_cuda_device_info: index %d out of range (%d CUDA devices)",
           index, n);
    return pm_cuda_get_device_info(out, index);
#else
    (void)index;
    fail(PM_ERR_UNSUPPORTED, "pm_cuda_device_info: this build has no CUDA support");
#endif
  });
}

pm_msm_config pm_default_msm_config(void) {
  pm_msm_config c;
  c.device = PM_DEVICE_AUTO;
  c.threads = 0;
  c.window_bits = 0;
  c.scalars_montgomery = 0;
  return c;
}

pm_ntt_config pm_default_ntt_config(void) {
  pm_ntt_config c;
  c.device = PM_DEVICE_AUTO;
  c.threads = 0;
  c.montgomery = 1;
  return c;
}

pm_status pm_field_batch(uint8_t* out, pm_curve curve, pm_field field, pm_field_op op,
                         const uint8_t* a, const uint8_t* b, size_t n) {
  return guard([&] {
    if (n == 0) return;
    if (!out) fail(PM_ERR_INVALID_ARGUMENT, "pm_field_batch: out is NULL");
    if (!a) fail(PM_ERR_INVALID_ARGUMENT, "pm_field_batch: a is NULL");
    if (raw(op) < PM_FIELD_ADD || raw(op) > PM_FIELD_INV)
      fail(PM_ERR_INVALID_ARGUMENT, "pm_field_batch: unknown op %d", raw(op));
    bool binary = op == PM_FIELD_ADD || op == PM_FIELD_SUB || op == PM_FIELD_MUL;
    if (binary && !b) fail(PM_ERR_INVALID_ARGUMENT, "pm_field_batch: b is NULL for a binary op");
    if (raw(field) != PM_FIELD_FQ && raw(field) != PM_FIELD_FR)
      fail(PM_ERR_INVALID_ARGUMENT, "pm_field_batch: unknown field %d (0 = Fq, 1 = Fr)",
           raw(field));
    with_curve(curve, [&](auto c) {
      using C = decltype(c);
      auto run = [&](auto tag) {
        using F = decltype(tag);
        const size_t S = F::BYTES;
        for (size_t i = 0; i < n; i++) {
          F x, y = F::zero();
          std::memcpy(x.l, a + S * i, S);
          if (binary) std::memcpy(y.l, b + S * i, S);
          if (!x.is_reduced())
            fail(PM_ERR_INVALID_ARGUMENT, "pm_field_batch: a[%zu] is not below the %s modulus", i,
                 field == PM_FIELD_FQ ? "Fq" : "Fr");
          if (binary && !y.is_reduced())
            fail(PM_ERR_INVALID_ARGUMENT, "pm_field_batch: b[%zu] is not below the %s modulus", i,
                 field == PM_FIELD_FQ ? "Fq" : "Fr");
        }
        for (size_t i = 0; i < n; i++) {
          F x, y = F::zero(), r;
          std::memcpy(x.l, a + S * i, S);
          if (binary) std::memcpy(y.l, b + S * i, S);
          switch (op) {
            case PM_FIELD_ADD: r = x + y; break;
            case PM_FIELD_SUB: r = x - y; break;
            case PM_FIELD_MUL: r = x * y; break;
            case PM_FIELD_SQR: r = x.sqr(); break;
            case PM_FIELD_NEG: r = x.neg(); break;
            default: r = x.inv(); break;
          }
          std::memcpy(out + S * i, r.l, S);
        }
      };
      if (field == PM_FIELD_FQ)
        run(typename C::Fq{});
      else
        run(typename C::Fr{});
    });
  });
}

pm_status pm_msm_g1(uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars,
                    size_t n, const pm_msm_config* cfg) {
  return msm_entry<1>(out, curve, points, scalars, n, cfg);
}

pm_status pm_msm_g2(uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars,
                    size_t n, const pm_msm_config* cfg) {
  return msm_entry<2>(out, curve, points, scalars, n, cfg);
}

pm_status pm_ntt(uint8_t* data, pm_curve curve, uint32_t log_n, int inverse,
                 const pm_ntt_config* cfg_in) {
  return guard([&] {
    if (!data) fail(PM_ERR_INVALID_ARGUMENT, "pm_ntt: data is NULL");
    pm_ntt_config cfg = cfg_in ? *cfg_in : pm_default_ntt_config();
    check_curve(curve);
    if (log_n > 28)
      fail(PM_ERR_INVALID_ARGUMENT, "pm_ntt: log_n = %u is larger than the 2-adicity of %s's Fr",
           log_n, curve_name(curve));
    bool gpu = want_cuda(cfg.device, "pm_ntt");
    with_curve(curve, [&](auto c) {
      using C = decltype(c);
      using Fr = typename C::Fr;
      if ((int)log_n > C::FR_TWO_ADICITY)
        fail(PM_ERR_INVALID_ARGUMENT, "pm_ntt: log_n = %u is larger than the 2-adicity %d of %s's Fr",
             log_n, C::FR_TWO_ADICITY, curve_name(curve));
      size_t n = (size_t)1 << log_n;
      Fr* v = reinterpret_cast<Fr*>(data);
      check_reduced(v, n, "pm_ntt: element", cfg.threads);
      if (!cfg.montgomery)
        parallel_for(0, n, cfg.threads, [&](size_t lo, size_t hi) {
          for (size_t i = lo; i < hi; i++) v[i] = v[i] * Fr::r2();
        });
      if (gpu) {
#ifdef PM_WITH_CUDA
        check_status(pm_cuda_ntt(data, curve, log_n, inverse != 0));
#endif
      } else {
        ntt(v, log_n, inverse != 0, cfg.threads);
      }
      if (!cfg.montgomery)
        parallel_for(0, n, cfg.threads, [&](size_t lo, size_t hi) {
          for (size_t i = lo; i < hi; i++) v[i] = v[i].from_mont();
        });
    });
  });
}

}  // extern "C"
