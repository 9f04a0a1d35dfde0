/*
 * Internal interface between the engine's dispatcher (native/src) and the CUDA kernels
 * (native/cuda). Only compiled in when PM_WITH_CUDA is defined. Byte layouts are the ones of
 * include/proofmarket.h (snarkjs LEM: little-endian limbs, Montgomery form, infinity = zeros),
 * so no C++ types cross between nvcc and the host compiler.
 */
#ifndef PM_CUDA_H
#define PM_CUDA_H

#include "proofmarket.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Number of usable cards (0 when no driver/device: never an error). */
int pm_cuda_device_count(void);
pm_status pm_cuda_get_device_info(pm_device_info* out, int index);

/* One-shot MSMs: upload, compute, download. Same contract as pm_msm_g1 / pm_msm_g2. */
pm_status pm_cuda_msm_g1(uint8_t* out, pm_curve curve, const uint8_t* points,
                         const uint8_t* scalars, size_t n, int scalars_montgomery);
pm_status pm_cuda_msm_g2(uint8_t* out, pm_curve curve, const uint8_t* points,
                         const uint8_t* scalars, size_t n, int scalars_montgomery);

/* Same contract as pm_ntt, data in Montgomery form. */
pm_status pm_cuda_ntt(uint8_t* data, pm_curve curve, uint32_t log_n, int inverse);

/* ---- additions for the CLI's bench/selftest (native/tools) ---------------------------------- */

/* Timing of the last pm_cuda_msm_* / pm_cuda_ntt call on this process. */
typedef struct pm_cuda_timing {
  double h2d_ms;       /* host-to-device copies (points when not cached, scalars / data) */
  double kernel_ms;    /* device work, from the end of the uploads to the result on the device */
  double d2h_ms;       /* device-to-host copy of the result */
  double total_ms;     /* wall time of the whole call, host work included */
  int window_bits;     /* MSM: Pippenger window c used */
  int levels;          /* MSM: bucket accumulation levels (1 = no bucket was split) */
  int points_cached;   /* MSM: 1 if the points were already resident on the device */
  uint64_t pairs;      /* MSM: (bucket, point) pairs sorted = non-zero signed digits */
} pm_cuda_timing;

void pm_cuda_last_timing(pm_cuda_timing* out);

/* Drops the resident point sets (they are kept keyed by host pointer, size and a sampled hash;
 * set PM_CUDA_NO_CACHE=1 to never keep them). */
void pm_cuda_cache_clear(void);

#ifdef __cplusplus
}
#endif
#endif
