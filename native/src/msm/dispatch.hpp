// The MSM behind pm_msm_g1/pm_msm_g2, callable without the argument checks: the prover uses it
// for zkey sections, whose points were validated once when the key was opened
// (groth16::validate_points) and whose witness scalars were range-checked when the .wtns was
// parsed, so a proof does not re-validate millions of points every time.
#pragma once
#include <cstddef>
#include <cstdint>

#include "proofmarket.h"

namespace pm {

// out = sum scalars[i] * points[i] on G1 (group 1) or G2 (group 2), affine LEM as in the ABI.
// validate: check every point (on the curve, coordinates below p) and scalar (below r) first,
// failing with PM_ERR_INVALID_ARGUMENT naming the first bad one. Throws pm::Error.
void msm_run(int group, uint8_t* out, pm_curve curve, const uint8_t* points, const uint8_t* scalars,
             size_t n, const pm_msm_config& cfg, bool validate);

// Throws PM_ERR_INVALID_ARGUMENT unless all n points of the group are affine LEM points on the
// curve with coordinates below p (infinity = all zeros). what names them in the message.
void check_points(int group, pm_curve curve, const uint8_t* points, size_t n, const char* what,
                  int threads);

}  // namespace pm
