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

#ifdef __cplusplus
}
#endif
#endif
