// CUDA engine: kernels and their launch code behind native/cuda/pm_cuda.h.
//
// Every kernel is a grid-stride wrapper around a per-thread __host__ __device__ body from
// gpu_msm.cuh / gpu_ntt.cuh; msm_emulate.hpp runs the same bodies on the host (host tests), so the
// order of steps here must match msm_emulate.hpp. Every CUDA call is checked (CU / CU_LAUNCH):
// a failure becomes PM_ERR_DEVICE with "expr@file:line: cudaGetErrorString" and nothing throws
// across the extern "C" functions.
#include <cub/cub.cuh>
#include <cuda_runtime.h>

#include <algorithm>
#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

#include "gpu_msm.cuh"
#include "gpu_ntt.cuh"
#include "pm_cuda.h"

using namespace pmg;

namespace {

// ---- errors --------------------------------------------------------------------------------
struct PmFail {
  pm_status st;
};

[[noreturn]] void fail(pm_code code, const char* fmt, ...) {
  PmFail f;
  f.st.code = code;
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(f.st.message, sizeof f.st.message, fmt, ap);
  va_end(ap);
  throw f;
}

[[noreturn]] void cuda_fail(const char* expr, const char* file, int line, cudaError_t e) {
  const char* base = std::strrchr(file, '/');
  fail(e == cudaErrorMemoryAllocation ? PM_ERR_OUT_OF_MEMORY : PM_ERR_DEVICE, "%s@%s:%d: %s", expr,
       base ? base + 1 : file, line, cudaGetErrorString(e));
}

#define CU(expr)                                                      \
  do {                                                                \
    cudaError_t e_ = (expr);                                          \
    if (e_ != cudaSuccess) cuda_fail(#expr, __FILE__, __LINE__, e_); \
  } while (0)

pm_status ok_status() {
  pm_status s;
  s.code = PM_OK;
  s.message[0] = 0;
  return s;
}

template <class Fn>
pm_status guard(Fn&& fn) {
  try {
    fn();
    return ok_status();
  } catch (const PmFail& f) {
    return f.st;
  } catch (const std::bad_alloc&) {
    pm_status s;
    s.code = PM_ERR_OUT_OF_MEMORY;
    std::snprintf(s.message, sizeof s.message, "pm_cuda: out of host memory");
    return s;
  } catch (const std::exception& e) {
    pm_status s;
    s.code = PM_ERR_INTERNAL;
    std::snprintf(s.message, sizeof s.message, "pm_cuda: %s", e.what());
    return s;
  } catch (...) {
    pm_status s;
    s.code = PM_ERR_INTERNAL;
    std::snprintf(s.message, sizeof s.message, "pm_cuda: unknown exception");
    return s;
  }
}

// ---- device state --------------------------------------------------------------------------
std::mutex g_mu;  // one MSM/NTT at a time per process (one job per card)
cudaStream_t g_stream = nullptr;
pm_cuda_timing g_last = {};

void ensure_stream() {
  if (g_stream) return;
  CU(cudaSetDevice(0));
  CU(cudaStreamCreateWithFlags(&g_stream, cudaStreamNonBlocking));
  cudaMemPool_t pool;
  CU(cudaDeviceGetDefaultMemPool(&pool, 0));
  uint64_t threshold = UINT64_MAX;  // keep freed blocks for the next call
  CU(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold));
}

// stream-ordered scratch buffer, freed (asynchronously) when it goes out of scope
template <class T>
struct DevBuf {
  T* p = nullptr;
  size_t n = 0;
  DevBuf() = default;
  explicit DevBuf(size_t count) { alloc(count); }
  void alloc(size_t count) {
    release();
    n = count;
    if (count) CU(cudaMallocAsync((void**)&p, count * sizeof(T), g_stream));
  }
  void release() {
    if (p) cudaFreeAsync(p, g_stream);
    p = nullptr;
    n = 0;
  }
  ~DevBuf() { release(); }
  DevBuf(const DevBuf&) = delete;
  DevBuf& operator=(const DevBuf&) = delete;
  void swap(DevBuf& o) { std::swap(p, o.p); std::swap(n, o.n); }
};

struct Event {
  cudaEvent_t e = nullptr;
  Event() { CU(cudaEventCreate(&e)); }
  ~Event() { if (e) cudaEventDestroy(e); }
  void record() { CU(cudaEventRecord(e, g_stream)); }
};
float elapsed(const Event& a, const Event& b) {
  float ms = 0;
  CU(cudaEventElapsedTime(&ms, a.e, b.e));
  return ms;
}

constexpr int TPB = 256;
unsigned blocks_for(uint64_t n) {
  uint64_t b = (n + TPB - 1) / TPB;
  if (b < 1) b = 1;
  if (b > (1u << 20)) b = 1u << 20;  // grid-stride loops cover the rest
  return (unsigned)b;
}

#define GRID_LOOP(i, n) \
  for (uint64_t i = blockIdx.x * (uint64_t)blockDim.x + threadIdx.x; i < (n); i += (uint64_t)gridDim.x * blockDim.x)

// ---- kernels: one-line wrappers over the per-thread bodies ----------------------------------------
template <class FrP>
__global__ void __launch_bounds__(TPB) k_check_scalars(uint64_t n, const uint32_t* sc, uint32_t* bad) {
  GRID_LOOP(i, n) if (!scalar_valid<FrP>(sc, i)) atomicMin(bad, (uint32_t)i);
}
template <class F>
__global__ void __launch_bounds__(TPB) k_check_points(uint64_t n, const Affine<F>* pts, F b, uint32_t* bad_range, uint32_t* bad_curve) {
  GRID_LOOP(i, n) {
    int r = point_check<F>(pts, i, b);
    if (r == 1) atomicMin(bad_range, (uint32_t)i);
    if (r == 2) atomicMin(bad_curve, (uint32_t)i);
  }
}
template <class FrP>
__global__ void __launch_bounds__(TPB) k_digits_count(uint64_t n, const uint32_t* sc, bool mont, MsmShape sh, uint32_t* cnt) {
  GRID_LOOP(i, n) digits_count<FrP>(i, sc, mont, sh, cnt);
}
template <class FrP>
__global__ void __launch_bounds__(TPB) k_digits_emit(uint64_t n, const uint32_t* sc, bool mont, MsmShape sh, const uint32_t* off,
                              uint32_t* keys, uint32_t* vals) {
  GRID_LOOP(i, n) digits_emit<FrP>(i, sc, mont, sh, off, keys, vals);
}
__global__ void __launch_bounds__(TPB) k_bucket_ranges(uint64_t m, const uint32_t* keys, uint32_t* start, uint32_t* end) {
  GRID_LOOP(i, m) bucket_ranges(i, keys, m, start, end);
}
__global__ void __launch_bounds__(TPB) k_task_count(uint64_t kb, const uint32_t* start, const uint32_t* end, uint32_t L, uint32_t* nt) {
  GRID_LOOP(k, kb) task_count(k, start, end, L, nt);
}
__global__ void __launch_bounds__(TPB) k_task_make(uint64_t T, const uint32_t* toff, uint32_t KB, const uint32_t* start,
                            const uint32_t* end, uint32_t L, uint32_t* tkey, uint32_t* tbeg, uint32_t* tend) {
  GRID_LOOP(t, T) task_make(t, toff, KB, start, end, L, tkey, tbeg, tend);
}
template <class F>
__global__ void __launch_bounds__(TPB) k_accumulate_affine(uint64_t T, const uint32_t* tbeg, const uint32_t* tend, const uint32_t* vals,
                                    const Affine<F>* pts, Xyzz<F>* out) {
  GRID_LOOP(t, T) accumulate_affine<F>(t, tbeg, tend, vals, pts, out);
}
template <class F>
__global__ void __launch_bounds__(TPB) k_accumulate_xyzz(uint64_t T, const uint32_t* tbeg, const uint32_t* tend, const Xyzz<F>* in,
                                  Xyzz<F>* out) {
  GRID_LOOP(t, T) accumulate_xyzz<F>(t, tbeg, tend, in, out);
}
template <class F>
__global__ void __launch_bounds__(TPB) k_scatter(uint64_t m, const uint32_t* keys, const Xyzz<F>* part, Xyzz<F>* sums) {
  GRID_LOOP(i, m) scatter<F>(i, keys, part, sums);
}
template <class F>
__global__ void __launch_bounds__(TPB) k_reduce1(uint64_t m, const Xyzz<F>* sums, MsmShape sh, Xyzz<F>* acc1, Xyzz<F>* sum1) {
  GRID_LOOP(i, m) reduce1<F>(i, sums, sh, acc1, sum1);
}
template <class F>
__global__ void __launch_bounds__(TPB) k_reduce2(uint64_t m, const Xyzz<F>* acc1, const Xyzz<F>* sum1, MsmShape sh, Xyzz<F>* A,
                          Xyzz<F>* S, Xyzz<F>* T) {
  GRID_LOOP(i, m) reduce2<F>(i, acc1, sum1, sh, A, S, T);
}
template <class F>
__global__ void __launch_bounds__(TPB) k_reduce_tail(uint64_t m, const Xyzz<F>* A, const Xyzz<F>* S, const Xyzz<F>* T, MsmShape sh,
                              Xyzz<F>* win) {
  GRID_LOOP(i, m) reduce_tail<F>(i, A, S, T, sh, win);
}
template <class FrP>
__global__ void __launch_bounds__(TPB) k_twiddle_fill(uint64_t m, Fp<FrP> w, Fp<FrP>* tw) {
  GRID_LOOP(i, m) twiddle_fill<FrP>(i, w, tw);
}
template <class FrP>
__global__ void __launch_bounds__(TPB) k_ntt_bitrev(uint64_t n, Fp<FrP>* a, uint32_t log_n) {
  GRID_LOOP(i, n) ntt_bitrev<FrP>(i, a, log_n);
}
template <class FrP>
__global__ void __launch_bounds__(TPB) k_ntt_butterfly(uint64_t m, Fp<FrP>* a, uint32_t s, const Fp<FrP>* tw, uint32_t tw_log) {
  GRID_LOOP(k, m) ntt_butterfly<FrP>(k, a, s, tw, tw_log);
}
// fused pass (gpu_ntt.cuh): one block per 2^(k+t) elements, k stages in shared memory
constexpr int NTT_TPB = 512;
template <class FrP>
__global__ void __launch_bounds__(NTT_TPB) k_ntt_pass(Fp<FrP>* a, NttPass p, const Fp<FrP>* tw, uint32_t tw_log,
                                                      uint64_t nblocks) {
  __shared__ Fp<FrP> sh[1024];
  const uint32_t L = 1u << (p.k + p.t);
  for (uint64_t bid = blockIdx.x; bid < nblocks; bid += gridDim.x) {
    for (uint32_t l = threadIdx.x; l < L; l += blockDim.x) sh[l] = a[ntt_pass_gidx(bid, l, p)];
    __syncthreads();
    for (uint32_t q = 0; q < p.k; q++) {
      for (uint32_t b = threadIdx.x; b < L / 2; b += blockDim.x) {
        uint32_t l0, l1;
        uint64_t twi;
        ntt_pass_bfly(bid, b, q, p, tw_log, l0, l1, twi);
        Fp<FrP> u = sh[l0], v = sh[l1] * tw[twi];
        sh[l0] = u + v;
        sh[l1] = u - v;
      }
      __syncthreads();
    }
    for (uint32_t l = threadIdx.x; l < L; l += blockDim.x) a[ntt_pass_gidx(bid, l, p)] = sh[l];
    __syncthreads();
  }
}
template <class FrP>
__global__ void __launch_bounds__(TPB) k_ntt_scale(uint64_t n, Fp<FrP>* a, Fp<FrP> f) {
  GRID_LOOP(i, n) ntt_scale<FrP>(i, a, f);
}

#define LAUNCH(kernel, n, ...)                                                          \
  do {                                                                                  \
    uint64_t n_ = (n);                                                                  \
    if (n_) {                                                                           \
      kernel<<<blocks_for(n_), TPB, 0, g_stream>>>(n_, __VA_ARGS__);                   \
      cudaError_t e_ = cudaGetLastError();                                              \
      if (e_ != cudaSuccess) cuda_fail(#kernel "<<<>>>", __FILE__, __LINE__, e_);       \
    }                                                                                   \
  } while (0)

// ---- CUB helpers ------------------------------------------------------------------------------
void exclusive_sum(const uint32_t* in, uint32_t* out, uint64_t n) {
  size_t bytes = 0;
  CU(cub::DeviceScan::ExclusiveSum(nullptr, bytes, in, out, (int64_t)n, g_stream));
  DevBuf<uint8_t> tmp(bytes ? bytes : 1);
  CU(cub::DeviceScan::ExclusiveSum(tmp.p, bytes, in, out, (int64_t)n, g_stream));
}
uint32_t read_u32(const uint32_t* dev) {
  uint32_t v = 0;
  CU(cudaMemcpyAsync(&v, dev, sizeof v, cudaMemcpyDeviceToHost, g_stream));
  CU(cudaStreamSynchronize(g_stream));
  return v;
}

// ---- resident point sets ------------------------------------------------------------------------
// Keyed by (host pointer, byte size, a hash of sampled bytes): a zkey's point sections are
// uploaded once per circuit and reused across proofs. LRU, bounded to ~40% of device memory.
struct CacheEntry {
  const void* host;
  size_t bytes;
  uint64_t hash;
  void* dev;
  uint64_t last_use;
};
std::vector<CacheEntry> g_cache;
uint64_t g_clock = 0;

uint64_t sample_hash(const uint8_t* p, size_t bytes) {
  uint64_t h = 1469598103934665603ull ^ bytes;
  auto mix = [&](const uint8_t* q, size_t len) {
    for (size_t i = 0; i < len; i++) { h ^= q[i]; h *= 1099511628211ull; }
  };
  if (bytes <= 65536) {
    mix(p, bytes);
  } else {
    const int S = 256;
    const size_t chunk = 64;
    for (int s = 0; s < S; s++) {
      size_t off = (bytes - chunk) / (S - 1) * s;
      mix(p + off, chunk);
    }
    mix(p + bytes - chunk, chunk);
  }
  return h;
}

void cache_clear_locked() {
  for (auto& e : g_cache) cudaFree(e.dev);
  g_cache.clear();
}

bool cache_disabled() {
  const char* v = std::getenv("PM_CUDA_NO_CACHE");
  return v && *v && *v != '0';
}

// Checks freshly uploaded points as the CPU engine does (same messages); throws on the first bad one.
template <class F>
void validate_points(const void* dev, uint64_t n, F b, bool g2, pm_curve curve) {
  DevBuf<uint32_t> flags(2);
  CU(cudaMemsetAsync(flags.p, 0xff, 8, g_stream));
  LAUNCH(k_check_points<F>, n, (const Affine<F>*)dev, b, flags.p, flags.p + 1);
  uint32_t h[2];
  CU(cudaMemcpyAsync(h, flags.p, 8, cudaMemcpyDeviceToHost, g_stream));
  CU(cudaStreamSynchronize(g_stream));
  const char* group = g2 ? "G2" : "G1";
  const char* cname = curve == PM_CURVE_BN254 ? "bn254" : "bls12-381";
  if (h[0] != 0xffffffffu && h[0] <= h[1])
    fail(PM_ERR_INVALID_ARGUMENT, "%s point %u of %s: a coordinate is not below the base field "
         "modulus (points must be Montgomery LE, as in .zkey files)", group, h[0], cname);
  if (h[1] != 0xffffffffu)
    fail(PM_ERR_INVALID_ARGUMENT, "%s point %u is not on the %s curve (points must be affine, "
         "Montgomery LE, as in .zkey files; all zeros for infinity)", group, h[1], cname);
}

// Returns a device copy of the points (validated when uploaded); `owned` is set when the caller
// must free it (cache off, or too big to keep).
template <class F>
const void* points_on_device(const uint8_t* host, size_t bytes, bool* hit, void** owned, F b, bool g2,
                             pm_curve curve) {
  *owned = nullptr;
  *hit = false;
  if (cache_disabled()) {
    void* d = nullptr;
    CU(cudaMalloc(&d, bytes));
    *owned = d;
    try {
      CU(cudaMemcpyAsync(d, host, bytes, cudaMemcpyHostToDevice, g_stream));
      validate_points<F>(d, bytes / sizeof(Affine<F>), b, g2, curve);
    } catch (...) {
      cudaStreamSynchronize(g_stream);
      cudaFree(d);
      *owned = nullptr;
      throw;
    }
    return d;
  }
  uint64_t h = sample_hash(host, bytes);
  for (auto& e : g_cache)
    if (e.host == host && e.bytes == bytes && e.hash == h) {
      e.last_use = ++g_clock;
      *hit = true;
      return e.dev;
    }
  size_t free_b = 0, total_b = 0;
  CU(cudaMemGetInfo(&free_b, &total_b));
  size_t budget = total_b / 10 * 4, used = 0;
  for (auto& e : g_cache) used += e.bytes;
  while (!g_cache.empty() && used + bytes > budget) {
    auto lru = std::min_element(g_cache.begin(), g_cache.end(),
                                [](const CacheEntry& a, const CacheEntry& b) { return a.last_use < b.last_use; });
    used -= lru->bytes;
    cudaFree(lru->dev);
    g_cache.erase(lru);
  }
  void* d = nullptr;
  CU(cudaStreamSynchronize(g_stream));
  cudaError_t e = cudaMalloc(&d, bytes);
  if (e == cudaErrorMemoryAllocation) {
    (void)cudaGetLastError();
    cache_clear_locked();
    CU(cudaMalloc(&d, bytes));
  } else if (e != cudaSuccess) {
    cuda_fail("cudaMalloc(points)", __FILE__, __LINE__, e);
  }
  CU(cudaMemcpyAsync(d, host, bytes, cudaMemcpyHostToDevice, g_stream));
  try {
    validate_points<F>(d, bytes / sizeof(Affine<F>), b, g2, curve);
  } catch (...) {
    cudaFree(d);
    throw;
  }
  if (bytes > budget) {  // too big to keep: caller frees
    *owned = d;
    return d;
  }
  g_cache.push_back({host, bytes, h, d, ++g_clock});
  return d;
}

// ---- MSM ------------------------------------------------------------------------------------
int env_int(const char* name, int dflt) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : dflt;
}

template <class C>
void msm_run(uint8_t* out, const uint8_t* points, const uint8_t* scalars, size_t n, bool mont) {
  using F = typename C::F;
  using FrP = typename C::FrP;
  const bool g2 = C::IS_G2;
  const pm_curve curve = (pm_curve)C::CURVE;
  ensure_stream();
  pm_cuda_timing tm = {};
  auto wall0 = std::chrono::steady_clock::now();
  Event e0, e1, e2, e3;
  e0.record();
  bool hit = false;
  void* owned = nullptr;
  static const F curve_b = C::B();
  const Affine<F>* d_pts =
      (const Affine<F>*)points_on_device<F>(points, n * sizeof(Affine<F>), &hit, &owned, curve_b, g2, curve);
  struct OwnedFree { void* p; ~OwnedFree() { if (p) { cudaStreamSynchronize(g_stream); cudaFree(p); } } } of{owned};
  DevBuf<uint32_t> d_sc(n * 8);
  CU(cudaMemcpyAsync(d_sc.p, scalars, n * 32, cudaMemcpyHostToDevice, g_stream));
  e1.record();

  int c = env_int("PM_CUDA_MSM_C", 0);
  if (c < 2 || c > 22) c = msm_default_c(n, g2);
  MsmShape sh = msm_shape(FrP::BITS, c);

  // 0. scalars below r (as the CPU engine requires)
  {
    DevBuf<uint32_t> bad(1);
    CU(cudaMemsetAsync(bad.p, 0xff, 4, g_stream));
    LAUNCH(k_check_scalars<FrP>, n, d_sc.p, bad.p);
    uint32_t b = read_u32(bad.p);
    if (b != 0xffffffffu)
      fail(PM_ERR_INVALID_ARGUMENT, "scalar %u is not below the scalar field modulus r (%s 32-byte LE expected)", b,
           mont ? "Montgomery" : "canonical");
  }
  // 1. digits
  DevBuf<uint32_t> cnt(n), off(n);
  LAUNCH(k_digits_count<FrP>, n, d_sc.p, mont, sh, cnt.p);
  exclusive_sum(cnt.p, off.p, n);
  uint64_t M = (uint64_t)read_u32(off.p + n - 1) + read_u32(cnt.p + n - 1);
  tm.pairs = M;
  tm.window_bits = c;
  Xyzz<F> result = Xyzz<F>::infinity();
  if (M > 0) {
    DevBuf<uint32_t> keys(M), vals(M), skeys(M), svals(M);
    LAUNCH(k_digits_emit<FrP>, n, d_sc.p, mont, sh, off.p, keys.p, vals.p);
    d_sc.release();
    cnt.release();
    off.release();
    // 2. sort
    {
      size_t bytes = 0;
      CU(cub::DeviceRadixSort::SortPairs(nullptr, bytes, keys.p, skeys.p, vals.p, svals.p, (int64_t)M, 0,
                                         sh.key_bits, g_stream));
      DevBuf<uint8_t> tmp(bytes ? bytes : 1);
      CU(cub::DeviceRadixSort::SortPairs(tmp.p, bytes, keys.p, skeys.p, vals.p, svals.p, (int64_t)M, 0,
                                         sh.key_bits, g_stream));
    }
    keys.release();
    vals.release();
    // 3-4. tasks and accumulation, level by level
    DevBuf<uint32_t> start(sh.KB), end(sh.KB), nt(sh.KB + 1), toff(sh.KB + 1);
    auto make_tasks = [&](const uint32_t* k, uint64_t m, uint32_t L, DevBuf<uint32_t>& tkey,
                          DevBuf<uint32_t>& tbeg, DevBuf<uint32_t>& tend) -> uint64_t {
      CU(cudaMemsetAsync(start.p, 0, sh.KB * 4ull, g_stream));
      CU(cudaMemsetAsync(end.p, 0, sh.KB * 4ull, g_stream));
      CU(cudaMemsetAsync(nt.p, 0, (sh.KB + 1) * 4ull, g_stream));
      LAUNCH(k_bucket_ranges, m, k, start.p, end.p);
      LAUNCH(k_task_count, sh.KB, start.p, end.p, L, nt.p);
      exclusive_sum(nt.p, toff.p, sh.KB + 1);
      uint64_t T = read_u32(toff.p + sh.KB);
      if (T == m) return T;  // every bucket holds at most one entry: nothing to reduce
      tkey.alloc(T);
      tbeg.alloc(T);
      tend.alloc(T);
      LAUNCH(k_task_make, T, toff.p, sh.KB, start.p, end.p, L, tkey.p, tbeg.p, tend.p);
      return T;
    };
    uint32_t L0 = (uint32_t)std::max<uint64_t>(env_int("PM_CUDA_MSM_L0", 0), 0);
    if (L0 == 0) L0 = (uint32_t)std::min<uint64_t>(512, std::max<uint64_t>(8, M / (1u << 20)));
    uint32_t L1 = 16;
    DevBuf<uint32_t> tkey, tbeg, tend;
    uint64_t T = make_tasks(skeys.p, M, L0, tkey, tbeg, tend);
    if (T == M) {  // only when L0 == 1 would this skip; L0 >= 8 always makes tasks
      tkey.alloc(T); tbeg.alloc(T); tend.alloc(T);
      LAUNCH(k_task_make, T, toff.p, sh.KB, start.p, end.p, L0, tkey.p, tbeg.p, tend.p);
    }
    DevBuf<Xyzz<F>> part(T);
    LAUNCH(k_accumulate_affine<F>, T, tbeg.p, tend.p, svals.p, d_pts, part.p);
    skeys.release();
    svals.release();
    int levels = 1;
    for (;;) {
      DevBuf<uint32_t> nkey, nbeg, nend;
      uint64_t T2 = make_tasks(tkey.p, T, L1, nkey, nbeg, nend);
      if (T2 == T) break;
      DevBuf<Xyzz<F>> next(T2);
      LAUNCH(k_accumulate_xyzz<F>, T2, nbeg.p, nend.p, part.p, next.p);
      part.swap(next);
      tkey.swap(nkey);
      T = T2;
      levels++;
    }
    tm.levels = levels;
    // 5. dense buckets
    DevBuf<Xyzz<F>> sums(sh.KB);
    CU(cudaMemsetAsync(sums.p, 0, sh.KB * sizeof(Xyzz<F>), g_stream));
    LAUNCH(k_scatter<F>, T, tkey.p, part.p, sums.p);
    part.release();
    // 6. window reduction
    DevBuf<Xyzz<F>> acc1((size_t)sh.W * sh.K1), sum1((size_t)sh.W * sh.K1);
    LAUNCH(k_reduce1<F>, (uint64_t)sh.W * sh.K1, sums.p, sh, acc1.p, sum1.p);
    DevBuf<Xyzz<F>> A((size_t)sh.W * sh.K2), S((size_t)sh.W * sh.K2), Tt((size_t)sh.W * sh.K2), win(sh.W);
    LAUNCH(k_reduce2<F>, (uint64_t)sh.W * sh.K2, acc1.p, sum1.p, sh, A.p, S.p, Tt.p);
    LAUNCH(k_reduce_tail<F>, (uint64_t)sh.W, A.p, S.p, Tt.p, sh, win.p);
    std::vector<Xyzz<F>> hwin(sh.W);
    e2.record();
    CU(cudaMemcpyAsync(hwin.data(), win.p, sh.W * sizeof(Xyzz<F>), cudaMemcpyDeviceToHost, g_stream));
    e3.record();
    CU(cudaStreamSynchronize(g_stream));
    // 7. windows -> result
    result = combine_windows<F>(hwin.data(), sh);
    tm.kernel_ms = elapsed(e1, e2);
    tm.d2h_ms = elapsed(e2, e3);
  } else {
    e2.record();
    CU(cudaStreamSynchronize(g_stream));
    tm.kernel_ms = elapsed(e1, e2);
  }
  tm.h2d_ms = elapsed(e0, e1);
  tm.points_cached = hit ? 1 : 0;
  Affine<F> a = result.to_affine();
  std::memcpy(out, &a, sizeof a);
  tm.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
  g_last = tm;
}

// ---- NTT ------------------------------------------------------------------------------------
struct TwTable {
  void* dev = nullptr;
  uint32_t log = 0;  // table for 2^log (2^(log-1) entries); 0 = none
};
TwTable g_tw[2][2];  // [curve-1][inverse]

template <class FrP>
void ntt_run(uint8_t* data, uint32_t log_n, bool inverse, int curve_idx) {
  ensure_stream();
  using Fr = Fp<FrP>;
  pm_cuda_timing tm = {};
  auto wall0 = std::chrono::steady_clock::now();
  uint64_t n = 1ull << log_n;
  if (log_n == 0) { g_last = tm; return; }
  Event e0, e1, e2, e3;
  TwTable& tw = g_tw[curve_idx][inverse ? 1 : 0];
  if (tw.log < log_n) {
    if (tw.dev) CU(cudaFree(tw.dev));
    tw.dev = nullptr;
    tw.log = 0;
    CU(cudaMalloc(&tw.dev, (n / 2) * sizeof(Fr)));
    tw.log = log_n;
    Fr w = root_of_unity<FrP>(log_n, inverse);
    LAUNCH(k_twiddle_fill<FrP>, n / 2, w, (Fr*)tw.dev);
  }
  e0.record();
  DevBuf<Fr> a(n);
  CU(cudaMemcpyAsync(a.p, data, n * sizeof(Fr), cudaMemcpyHostToDevice, g_stream));
  e1.record();
  LAUNCH(k_ntt_bitrev<FrP>, n, a.p, log_n);
  const char* simple = std::getenv("PM_CUDA_NTT_SIMPLE");
  if (simple && *simple && *simple != '0') {  // one launch per radix-2 stage
    for (uint32_t s = 0; s < log_n; s++) LAUNCH(k_ntt_butterfly<FrP>, n / 2, a.p, s, (const Fr*)tw.dev, tw.log);
  } else {  // up to 10 stages per launch through shared memory
    NttPass plan[32];
    int np = ntt_plan(log_n, plan);
    for (int pi = 0; pi < np; pi++) {
      uint64_t nblocks = n >> (plan[pi].k + plan[pi].t);
      unsigned grid = (unsigned)std::min<uint64_t>(nblocks, 1u << 16);
      k_ntt_pass<FrP><<<grid, NTT_TPB, 0, g_stream>>>(a.p, plan[pi], (const Fr*)tw.dev, tw.log, nblocks);
      cudaError_t e = cudaGetLastError();
      if (e != cudaSuccess) cuda_fail("k_ntt_pass<<<>>>", __FILE__, __LINE__, e);
    }
  }
  if (inverse) {
    Fr ninv = Fr::zero();
    if (log_n < 32) ninv.v[0] = (uint32_t)n; else ninv.v[1] = 1;
    ninv = ninv.to_mont().inv();
    LAUNCH(k_ntt_scale<FrP>, n, a.p, ninv);
  }
  e2.record();
  CU(cudaMemcpyAsync(data, a.p, n * sizeof(Fr), cudaMemcpyDeviceToHost, g_stream));
  e3.record();
  CU(cudaStreamSynchronize(g_stream));
  tm.h2d_ms = elapsed(e0, e1);
  tm.kernel_ms = elapsed(e1, e2);
  tm.d2h_ms = elapsed(e2, e3);
  tm.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
  g_last = tm;
}

void check_args(const void* out, const void* a, const void* b, size_t n, pm_curve curve, const char* what) {
  if (!out) fail(PM_ERR_INVALID_ARGUMENT, "%s: out is NULL", what);
  if (n > 0 && (!a || !b)) fail(PM_ERR_INVALID_ARGUMENT, "%s: points or scalars is NULL", what);
  if (n > 0x7fffffffull) fail(PM_ERR_INVALID_ARGUMENT, "%s: n = %zu is too large (max 2^31-1)", what, n);
  if (curve != PM_CURVE_BN254 && curve != PM_CURVE_BLS12_381)
    fail(PM_ERR_INVALID_ARGUMENT, "%s: unknown curve %d", what, (int)curve);
}

}  // namespace

extern "C" {

int pm_cuda_device_count(void) {
  static int cached = -1;
  static std::once_flag once;
  std::call_once(once, [] {
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess) {
      (void)cudaGetLastError();
      n = 0;
    }
    cached = n;
  });
  return cached;
}

pm_status pm_cuda_get_device_info(pm_device_info* out, int index) {
  return guard([&] {
    if (!out) fail(PM_ERR_INVALID_ARGUMENT, "pm_cuda_get_device_info: out is NULL");
    int n = pm_cuda_device_count();
    if (index < 0 || index >= n)
      fail(PM_ERR_INVALID_ARGUMENT, "pm_cuda_get_device_info: index %d out of range (%d CUDA devices)", index, n);
    cudaDeviceProp p;
    CU(cudaGetDeviceProperties(&p, index));
    std::memset(out, 0, sizeof *out);
    std::snprintf(out->name, sizeof out->name, "%s", p.name);
    out->memory_bytes = p.totalGlobalMem;
    out->sm_count = p.multiProcessorCount;
    out->cc_major = p.major;
    out->cc_minor = p.minor;
  });
}

pm_status pm_cuda_msm_g1(uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars, size_t n,
                         int scalars_montgomery) {
  return guard([&] {
    check_args(out, points, scalars, n, curve, "pm_cuda_msm_g1");
    std::lock_guard<std::mutex> lk(g_mu);
    if (pm_cuda_device_count() <= 0) fail(PM_ERR_UNSUPPORTED, "pm_cuda_msm_g1: no CUDA device");
    if (n == 0) {
      std::memset(out, 0, curve == PM_CURVE_BN254 ? 64 : 96);
      return;
    }
    if (curve == PM_CURVE_BN254) msm_run<Bn254G1>(out, points, scalars, n, scalars_montgomery);
    else msm_run<Bls381G1>(out, points, scalars, n, scalars_montgomery);
  });
}

pm_status pm_cuda_msm_g2(uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars, size_t n,
                         int scalars_montgomery) {
  return guard([&] {
    check_args(out, points, scalars, n, curve, "pm_cuda_msm_g2");
    std::lock_guard<std::mutex> lk(g_mu);
    if (pm_cuda_device_count() <= 0) fail(PM_ERR_UNSUPPORTED, "pm_cuda_msm_g2: no CUDA device");
    if (n == 0) {
      std::memset(out, 0, curve == PM_CURVE_BN254 ? 128 : 192);
      return;
    }
    if (curve == PM_CURVE_BN254) msm_run<Bn254G2>(out, points, scalars, n, scalars_montgomery);
    else msm_run<Bls381G2>(out, points, scalars, n, scalars_montgomery);
  });
}

pm_status pm_cuda_ntt(uint8_t* data, pm_curve curve, uint32_t log_n, int inverse) {
  return guard([&] {
    if (!data) fail(PM_ERR_INVALID_ARGUMENT, "pm_cuda_ntt: data is NULL");
    if (curve != PM_CURVE_BN254 && curve != PM_CURVE_BLS12_381)
      fail(PM_ERR_INVALID_ARGUMENT, "pm_cuda_ntt: unknown curve %d", (int)curve);
    int S = curve == PM_CURVE_BN254 ? Bn254FrParams::S : Bls381FrParams::S;
    if ((int)log_n > S || log_n > 31)
      fail(PM_ERR_INVALID_ARGUMENT, "pm_cuda_ntt: log_n = %u is larger than the 2-adicity %d", log_n, S);
    std::lock_guard<std::mutex> lk(g_mu);
    if (pm_cuda_device_count() <= 0) fail(PM_ERR_UNSUPPORTED, "pm_cuda_ntt: no CUDA device");
    if (curve == PM_CURVE_BN254) ntt_run<Bn254FrParams>(data, log_n, inverse != 0, 0);
    else ntt_run<Bls381FrParams>(data, log_n, inverse != 0, 1);
  });
}

void pm_cuda_last_timing(pm_cuda_timing* out) {
  if (!out) return;
  std::lock_guard<std::mutex> lk(g_mu);
  *out = g_last;
}

void pm_cuda_cache_clear(void) {
  std::lock_guard<std::mutex> lk(g_mu);
  if (pm_cuda_device_count() <= 0) return;
  if (g_stream) cudaStreamSynchronize(g_stream);
  cache_clear_locked();
}

}  // extern "C"
