// Multi-scalar multiplication sum_i s_i * P_i by Pippenger's bucket method.
//
//  - Scalars are 32-byte little-endian Fr elements, canonical or (scalars_montgomery) Montgomery;
//    Montgomery ones are converted first. Zero scalars are skipped; scalar 1 is added straight
//    into a separate accumulator (Groth16 witnesses are mostly 0 and 1).
//  - The rest are recoded into signed c-bit digits in [-2^(c-1), 2^(c-1)), so each window needs
//    only 2^(c-1) buckets (negative digits add the negated point). c is chosen from n by a
//    cost model unless given.
//  - GLV (glv = true, the default): each scalar k is split as k1 + k2·lambda with ~128-bit halves
//    (msm/glv.hpp), and the MSM runs over P_i and phi(P_i) = (beta·x_i, y_i), computed on the fly:
//    the same number of bucket additions, half the windows (so half the bucket reductions).
//  - Windows are independent tasks dealt out over the threads. Within a window, buckets are
//    filled with batch-affine additions (affine buckets, all the slope denominators of a batch
//    inverted with one field inversion); a point whose bucket is already busy in the current
//    batch waits for the next batch. Bucket sums sum_b b*B_b are reduced with batch-affine
//    additions too (bucket_sum: level halving plus pairwise trees), and windows combined by Horner's rule (c doublings per window).
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

#include "ec/point.hpp"
#include "msm/glv.hpp"
#include "msm/ifma_batch.hpp"
#include "util/parallel.hpp"

namespace pm {

namespace msm_detail {

// Windows of c bits for scalars below 2^bits. The lower windows take signed digits in
// [-2^(c-1), 2^(c-1)); the top one takes the remaining bits plus the carry, unsigned, so with
// windows x c >= bits + 1 its digit is at most 2^(c-1) (bucket nb). One window fewer than
// keeping the top digit signed, where c divides bits + 1 (BLS12-381 with GLV: 129-bit halves,
// c = 13 -> 10 windows, not 11). c = 16 keeps two spare bits: a digit 2^15 would not fit int16.
inline int window_count(int bits, int c) { return c < 16 ? (bits + c) / c : (bits + 2 + c - 1) / c; }

// The wall-clock cost, in units of one batch-affine bucket addition, of running windows x chunks
// equal tasks on `threads` threads: each task adds n/chunks entries and reduces its own 2^(c-1)
// buckets, and the tasks go out in ceil(tasks/threads) rounds. Measured on a 2-core EPYC (1 MB L2
// per core) with one thread, n = 2^17 GLV entries (2^16 points), BN254 G1 / G2:
//  - a bucket-reduction step costs about 1.5 batch-affine additions (bucket_sum; the running sum
//    it replaced, a mixed and a full projective addition, cost ~4);
//  - a batch of B additions shares one field inversion worth ~36 additions (Fermat: ~500
//    products), so small windows (small batches) pay 36/B per addition;
//  - a top window with fewer than 8 bits goes to projective buckets at ~2x the cost per entry;
//  - windows above 13 bits spill the buckets (and batch) out of L2: c = 14 / 15 were 11% / 34%
//    slower than c = 13 for G1 at 2^16 and 14% / 18% (G1), 17% / 39% (G2) slower at 2^18, where
//    the model alone picked 15, so c is capped at kMaxAutoWindow.
// With 2 threads, 9 windows leave one thread idle for a ninth of the MSM; the plan cuts windows
// into chunks when that is cheaper.
constexpr int kMaxAutoWindow = 13;
inline size_t batch_size(uint32_t buckets) { return std::max<size_t>(16, std::min<size_t>(buckets / 4 + 1, 2048)); }
inline double plan_cost(size_t n, int c, int bits, size_t chunks, int threads) {
  const int windows = window_count(bits, c);
  const double nb = (double)(1u << (c - 1)), per_chunk = (double)n / (double)chunks;
  const size_t rounds = ((size_t)windows * chunks + (size_t)threads - 1) / (size_t)threads;
  double cost = (double)rounds * (per_chunk * (1.0 + 36.0 / (double)batch_size(1u << (c - 1))) + 1.5 * nb);
  if (bits - (windows - 1) * c < 8)  // projective top window: its chunks cost one more addition each
    cost += per_chunk * (double)((chunks + (size_t)threads - 1) / (size_t)threads);
  return cost;
}

struct Plan {
  int c;
  size_t chunks;
};

// The window size and chunk count with the smallest plan_cost (c <= kMaxAutoWindow, chunks up to
// 64 for many-core machines, each with at least 4 entries per bucket).
inline Plan choose_plan(size_t n, int bits, int threads) {
  if (n < 4) return {2, 1};
  Plan best{2, 1};
  double best_cost = plan_cost(n, 2, bits, 1, threads);
  for (int c = 2; c <= kMaxAutoWindow; c++)
    for (size_t ch = 1; ch <= 64; ch++) {
      if (ch > 1 && n / ch < 4 * ((size_t)1 << (c - 1))) break;
      double cost = plan_cost(n, c, bits, ch, threads);
      if (cost < best_cost * 0.999) best_cost = cost, best = {c, ch};
    }
  return best;
}

template <class T>
struct is_prime_field : std::false_type {};
template <class P>
struct is_prime_field<Fp<P>> : std::true_type {};

// Adds a batch of affine points into affine buckets with one inversion:
// for each pending pair (bucket b, point p), bucket[b] = bucket[b] + p, where no bucket
// appears twice in the batch. Exceptional cases (empty bucket, equal x) are done directly.
template <class Aff>
struct BatchAdder {
  using F = typename Aff::Field;
  std::vector<F> den, scratch;
  std::vector<uint32_t> pb;  // bucket index
  std::vector<Aff> pp;       // point to add (already negated when needed)
  std::vector<uint8_t> kind; // 0 = slope addition, 1 = doubling
  std::vector<uint64_t> work; // the IFMA path's scratch (msm/ifma_batch.hpp)

  void reserve(size_t m) {
    den.resize(m);
    scratch.resize(m);
    pb.reserve(m);
    pp.reserve(m);
    kind.reserve(m);
  }
  void clear() {
    pb.clear();
    pp.clear();
    kind.clear();
  }
  size_t size() const { return pb.size(); }

  // Queues bucket[b] += p; returns false when it was done at once (no inversion needed).
  bool push(Aff* buckets, uint32_t b, const Aff& p) {
    Aff& a = buckets[b];
    if (a.is_infinity()) {
      a = p;
      return false;
    }
    if (a.x == p.x) {
      if (a.y == p.y && !a.y.is_zero()) {  // doubling: lambda = 3x^2 / 2y
        den[pb.size()] = a.y.dbl();
        kind.push_back(1);
      } else {  // P + (-P)
        a = Aff::infinity();
        return false;
      }
    } else {
      den[pb.size()] = p.x - a.x;
      kind.push_back(0);
    }
    pb.push_back(b);
    pp.push_back(p);
    return true;
  }

  // bucket[pb[k]] += pp[k] for the k-th queued pair, den[k] already inverted.
  PM_INLINE void apply(Aff* buckets, size_t k) {
    Aff& a = buckets[pb[k]];
    const Aff& p = pp[k];
    F lambda;
    if (kind[k] == 0) {
      lambda = (p.y - a.y) * den[k];
    } else {
      F x2 = a.x.sqr();
      lambda = (x2.dbl() + x2) * den[k];
    }
    F x3 = lambda.sqr() - a.x - p.x;
    F y3 = lambda * (a.x - x3) - a.y;
    a.x = x3;
    a.y = y3;
  }

  void flush(Aff* buckets) {
    size_t m = pb.size();
    if (m == 0) return;
#ifdef PM_HAVE_IFMA
    // AVX-512 IFMA: 8 additions at a time, G1 and G2 (PM_NO_IFMA=1 keeps the scalar code below)
    if constexpr (ifma::Width<F>::W > 0) {
      if (m >= 16 && ifma::available()) {
        ifma::batch_add<typename ifma::Width<F>::Params, ifma::Width<F>::W>(buckets, pb.data(), pp.data(),
                                                                             den.data(), kind.data(), m, work);
        for (size_t k = 0; k < m; k++)
          if (kind[k]) apply(buckets, k);  // doublings: den[k] now holds the inverse
        clear();
        return;
      }
    }
#endif
    F::batch_inverse(den.data(), m, scratch.data());
    // Two additions side by side: their products are independent (the buckets of a batch are
    // distinct), so the core overlaps the two dependency chains instead of waiting on one.
    size_t k = 0;
    // (G1 only: with Fq2 coordinates the pair does not fit the registers and G2 got 25% slower.)
    for (; is_prime_field<F>::value && k + 1 < m; k += 2) {
      if (kind[k] | kind[k + 1]) {
        apply(buckets, k);
        apply(buckets, k + 1);
        continue;
      }
      Aff& a0 = buckets[pb[k]];
      Aff& a1 = buckets[pb[k + 1]];
      const Aff& p0 = pp[k];
      const Aff& p1 = pp[k + 1];
      F l0 = (p0.y - a0.y) * den[k];
      F l1 = (p1.y - a1.y) * den[k + 1];
      F x0 = l0.sqr() - a0.x - p0.x;
      F x1 = l1.sqr() - a1.x - p1.x;
      F y0 = l0 * (a0.x - x0) - a0.y;
      F y1 = l1 * (a1.x - x1) - a1.y;
      a0.x = x0;
      a0.y = y0;
      a1.x = x1;
      a1.y = y1;
    }
    for (; k < m; k++) apply(buckets, k);
    clear();
  }
};

// sum_{b=1}^{L} b * B[b] for affine buckets B[1..L] (L a power of two; B is overwritten), with
// batch-affine additions instead of the running sum's two projective additions per bucket
// (~27 field products against ~6 plus a share of an inversion). With h = L/2:
//   sum_{b<=L} b B[b] = sum_{j<=h} j (B[j] + B[h+j]) + h * sum_{j<=h} B[h+j],
// so level by level: B[j] += B[h+j] for j <= h (one batch, distinct buckets), down to L = kRunLen,
// summed with the running sum; the upper half of every level is left untouched by the levels
// below it, so afterwards each segment B[h+1..2h] is summed by a pairwise tree (all segments
// together, one batch per tree round) into T_h, and the result is the running sum plus
// sum_h h T_h (Horner: one doubling per level). L - kRunLen + L/2 additions in all.
template <class Aff, class P>
P bucket_sum(Aff* B, uint32_t L, BatchAdder<Aff>& adder, size_t batch) {
  constexpr uint32_t kRunLen = 32;
  auto add = [&](uint32_t dst, uint32_t src) {
    if (B[src].is_infinity()) return;
    adder.push(B, dst, B[src]);
    if (adder.size() >= batch) adder.flush(B);
  };
  uint32_t len = L;
  for (; len > kRunLen; len /= 2) {
    const uint32_t h = len / 2;
    for (uint32_t j = 1; j <= h; j++) add(j, h + j);
    adder.flush(B);
  }
  P running = P::infinity(), low = P::infinity();
  for (uint32_t b = len; b >= 1; b--) {
    running = running.add_mixed(B[b]);
    low = low.add(running);
  }
  if (len == L) return low;
  for (uint32_t s = 1; s < L / 2; s *= 2) {  // tree rounds over the segments [h+1, 2h], h >= len
    for (uint32_t h = std::max(len, 2 * s); h < L; h *= 2)
      for (uint32_t j = 0; j + s < h; j += 2 * s) add(h + 1 + j, h + 1 + j + s);
    adder.flush(B);
  }
  P acc = P::infinity();
  for (uint32_t h = L / 2; h >= len; h /= 2) acc = acc.dbl().add_mixed(B[h + 1]);
  for (uint32_t h = len; h > 1; h /= 2) acc = acc.dbl();
  return acc.add(low);
}

}  // namespace msm_detail

// Signed-digit recoding of canonical 4-limb scalars into `windows` digits of c bits (see
// window_count: the top digit is left unsigned, at most 2^(c-1)).
inline void recode_signed(const uint64_t s[4], int c, int windows, int16_t* out, size_t stride) {
  int carry = 0;
  const int half = 1 << (c - 1), full = 1 << c;
  for (int w = 0; w < windows; w++) {
    int bit = w * c;
    int limb = bit / 64, off = bit % 64;
    uint64_t v = 0;
    if (limb < 4) {
      v = s[limb] >> off;
      if (off + c > 64 && limb + 1 < 4) v |= s[limb + 1] << (64 - off);
    }
    int d = (int)(v & (uint64_t)(full - 1)) + carry;
    if (d >= half && w + 1 < windows) {
      d -= full;
      carry = 1;
    } else {
      carry = 0;
    }
    out[(size_t)w * stride] = (int16_t)d;
  }
}

template <class C, class Aff, class P>
P msm(const Aff* points, const uint8_t* scalars, size_t n, bool scalars_montgomery, int threads,
      int window_bits, bool glv = true, size_t chunks_hint = 0) {
  using Fr = typename C::Fr;
  static_assert(Fr::N == 4, "scalars are 4 limbs");
  threads = resolve_threads(threads);
  if (n == 0) return P::infinity();

  // 1. canonical scalars; split off zeros and ones.
  std::vector<uint64_t> canon(4 * n);
  std::vector<uint8_t> cls(n);  // 0 skip, 1 one, 2 general
  parallel_for(0, n, threads, [&](size_t lo, size_t hi) {
    for (size_t i = lo; i < hi; i++) {
      uint64_t* s = &canon[4 * i];
      std::memcpy(s, scalars + 32 * i, 32);
      if (scalars_montgomery) {
        Fr f = Fr::from_limbs(s);
        Fr c = f.from_mont();
        std::memcpy(s, c.l, 32);
      }
      if (points[i].is_infinity() || (s[0] | s[1] | s[2] | s[3]) == 0)
        cls[i] = 0;
      else if (s[0] == 1 && (s[1] | s[2] | s[3]) == 0)
        cls[i] = 1;
      else
        cls[i] = 2;
    }
  });
  std::vector<uint32_t> idx;
  idx.reserve(n);
  for (size_t i = 0; i < n; i++)
    if (cls[i] == 2) idx.push_back((uint32_t)i);
  size_t m = idx.size();

  // 2. the scalar-one points: plain mixed additions, split over threads.
  std::vector<P> ones_part((size_t)threads, P::infinity());
  {
    std::vector<uint32_t> ones;
    for (size_t i = 0; i < n; i++)
      if (cls[i] == 1) ones.push_back((uint32_t)i);
    size_t chunks = std::min<size_t>((size_t)threads, ones.size());
    parallel_tasks(chunks, threads, [&](size_t t) {
      size_t lo = ones.size() * t / chunks, hi = ones.size() * (t + 1) / chunks;
      P acc = P::infinity();
      for (size_t k = lo; k < hi; k++) acc = acc.add_mixed(points[ones[k]]);
      ones_part[t] = acc;
    });
  }
  P result = P::infinity();
  for (auto& p : ones_part) result = result.add(p);
  if (m == 0) return result;

  // 3. signed digits, window-major. With GLV, entry 2k is point idx[k] with digits of |k1| and
  // entry 2k+1 is phi(point idx[k]) with digits of |k2|; neg[] holds the signs of k1 and k2.
  using Glv = typename C::Glv;
  const int bits = glv ? Glv::BITS : Fr::Params::BITS;
  const size_t me = glv ? 2 * m : m;  // entries
  msm_detail::Plan plan = window_bits > 0 ? msm_detail::Plan{std::min(window_bits, 16), 0}
                                           : msm_detail::choose_plan(me, bits, threads);
  int c = std::max(plan.c, 2);
  const int windows = msm_detail::window_count(bits, c);
  std::vector<int16_t> digits((size_t)windows * me);
  std::vector<uint8_t> neg(glv ? me : 0);  // GLV: entry k's point is negated
  parallel_for(0, m, threads, [&](size_t lo, size_t hi) {
    for (size_t k = lo; k < hi; k++) {
      if (!glv) {
        recode_signed(&canon[4 * idx[k]], c, windows, &digits[k], m);
        continue;
      }
      uint64_t k1[4], k2[4];
      bool n1, n2;
      glv_decompose<Glv>(&canon[4 * idx[k]], k1, n1, k2, n2);
      recode_signed(k1, c, windows, &digits[2 * k], me);
      recode_signed(k2, c, windows, &digits[2 * k + 1], me);
      // the signs of k1, k2 stay apart from the digits: a 16-bit digit -2^15 has no negation
      neg[2 * k] = n1;
      neg[2 * k + 1] = n2;
    }
  });
  std::vector<uint64_t>().swap(canon);
  using Fq = typename C::Fq;
  const Fq beta = Fq::from_limbs(std::is_same_v<typename Aff::Field, Fq> ? Glv::BETA_G1 : Glv::BETA_G2);

  // 4. one task per (window, chunk of entries): batch-affine bucket accumulation, then the
  // bucket reduction (bucket_sum). Windows alone leave threads idle when there are few windows for many
  // threads (GLV halves the windows: 10 at 2^16 on BN254): the entries are then also cut into
  // chunks with their own buckets, each chunk paying one more reduction (2^(c-1) bucket steps),
  // so a chunk gets at least 4 entries per bucket. chunks_hint > 0 forces the count (tests).
  const uint32_t nb = 1u << (c - 1);
  uint32_t top_max = 1;  // the largest |digit| of the top window
  for (size_t k = 0, base = (size_t)(windows - 1) * me; k < me; k++) {
    int d = digits[base + k];
    top_max = std::max<uint32_t>(top_max, (uint32_t)(d < 0 ? -d : d));
  }
  size_t chunks = chunks_hint > 0 ? chunks_hint
                  : plan.chunks > 0
                      ? plan.chunks
                      : std::max<size_t>(1, std::min<size_t>((2 * (size_t)threads + windows - 1) / windows,
                                                             me / (4 * (size_t)nb)));
  chunks = std::min(chunks, std::max<size_t>(1, me));
  std::vector<P> part((size_t)windows * chunks, P::infinity());
  parallel_tasks((size_t)windows * chunks, threads, [&](size_t task) {
    const size_t w = task / chunks, ch = task % chunks;
    const size_t k_lo = me * ch / chunks, k_hi = me * (ch + 1) / chunks;
    std::vector<Aff> buckets(nb + 1, Aff::infinity());
    // The top window's digits take few values (|digit| <= top_max): a batch sized for all
    // nb buckets would collide on nearly every entry there and spill into the projective
    // overflow buckets (measured: 8.7% of all entries at 2^16 with GLV). Its batch is sized for
    // the buckets it can hit; when those are too few to amortise an inversion, its points go
    // straight into projective buckets (mixed additions, ~11 field products each).
    const uint32_t nb_w = (int)w == windows - 1 ? std::min<uint32_t>(nb, top_max) : nb;
    const bool direct = nb_w < 256;
    const size_t BATCH = msm_detail::batch_size(nb_w);
    msm_detail::BatchAdder<Aff> adder;
    const size_t red_batch = std::max<size_t>(BATCH, 1024);  // for bucket_sum
    adder.reserve(red_batch + 1);
    // A point whose bucket already has an addition pending in the current batch is deferred to
    // the next batch; if it collides again (or the deferred list is full) it goes into a
    // projective overflow bucket (linear cost even when all scalars are equal).
    std::vector<uint32_t> busy_stamp(nb + 1, 0);
    std::vector<P> overflow;
    std::vector<std::pair<uint32_t, Aff>> deferred, retry;
    deferred.reserve(BATCH);
    retry.reserve(BATCH);
    uint32_t stamp = 1;
    auto to_overflow = [&](uint32_t b, const Aff& p) {
      if (overflow.empty()) overflow.assign(nb + 1, P::infinity());
      overflow[b] = overflow[b].add_mixed(p);
    };
    auto flush_once = [&] {
      adder.flush(buckets.data());
      stamp++;
      retry.swap(deferred);
      for (auto& e : retry) {
        if (busy_stamp[e.first] == stamp)
          to_overflow(e.first, e.second);
        else if (adder.push(buckets.data(), e.first, e.second))
          busy_stamp[e.first] = stamp;
      }
      retry.clear();
    };
    const int16_t* dg = &digits[w * me];
#ifdef PM_HAVE_IFMA
    // With IFMA, phi(P)'s x = beta x is computed for 256 entries at a time, 8 products per vector
    // (a base-field product per odd entry per window otherwise: ~8% of the scalar work).
    constexpr int kPhiW = ifma::Width<typename Aff::Field>::W;
    const bool phi_vec = kPhiW > 0 && glv && ifma::available();
    constexpr size_t kPhiBlock = 256;
    std::vector<typename Aff::Field> phix(phi_vec ? kPhiBlock / 2 : 0);
    std::vector<const uint64_t*> phisrc(phi_vec ? kPhiBlock / 2 : 0);
    size_t phi_lo = 0, phi_hi = 0;
#endif
    for (size_t k = k_lo; k < k_hi; k++) {
      int d = dg[k];
      if (glv && neg[k]) d = -d;
      if (k + 16 < k_hi) {
        int dn = dg[k + 16];
        __builtin_prefetch(&buckets[(size_t)(dn > 0 ? dn : -dn)]);
      }
      if (d == 0) continue;
      Aff p0 = glv ? points[idx[k >> 1]] : points[idx[k]];
#ifdef PM_HAVE_IFMA
      if (phi_vec && (k & 1)) {
        if constexpr (kPhiW > 0) {
          if (k >= phi_hi) {  // the odd entries of [phi_lo, phi_hi), k's block
            phi_lo = k & ~(size_t)1;
            phi_hi = std::min(phi_lo + kPhiBlock, k_hi);
            size_t cnt = 0;
            for (size_t j = phi_lo + 1; j < phi_hi; j += 2)
              phisrc[cnt++] = reinterpret_cast<const uint64_t*>(&points[idx[j >> 1]].x);
            ifma::mul_by_base<typename ifma::Width<typename Aff::Field>::Params, kPhiW>(
                reinterpret_cast<uint64_t*>(phix.data()), phisrc.data(), cnt, beta.l);
          }
          p0.x = phix[(k - phi_lo) >> 1];
        }
      } else
#endif
      if (glv && (k & 1)) p0 = glv_phi(p0, beta);
      uint32_t b = (uint32_t)(d > 0 ? d : -d);
      Aff p = d > 0 ? p0 : p0.neg();
      if (direct) {
        to_overflow(b, p);
        continue;
      }
      if (busy_stamp[b] == stamp) {
        if (deferred.size() < BATCH)
          deferred.emplace_back(b, p);
        else
          to_overflow(b, p);
        continue;
      }
      if (adder.push(buckets.data(), b, p)) busy_stamp[b] = stamp;
      while (adder.size() >= BATCH) flush_once();
    }
    while (adder.size() > 0 || !deferred.empty()) flush_once();
    // the projective overflow buckets join the affine ones (one batch: each bucket once)
    if (!overflow.empty()) {
      std::vector<uint32_t> ob;
      for (uint32_t b = 1; b <= nb; b++)
        if (!overflow[b].is_infinity()) ob.push_back(b);
      std::vector<P> oj(ob.size());
      std::vector<Aff> oa(ob.size());
      for (size_t i = 0; i < ob.size(); i++) oj[i] = overflow[ob[i]];
      P::batch_to_affine(oj.data(), oa.data(), ob.size());
      for (size_t i = 0; i < ob.size(); i++) {
        if (oa[i].is_infinity()) continue;
        adder.push(buckets.data(), ob[i], oa[i]);
        if (adder.size() >= BATCH) adder.flush(buckets.data());
      }
      adder.flush(buckets.data());
    }
    uint32_t len = 1;  // a power of two covering the buckets this window can use
    while (len < nb_w) len *= 2;
    P acc = msm_detail::bucket_sum<Aff, P>(buckets.data(), len, adder, red_batch);
    part[task] = acc;
  });

  P total = P::infinity();
  for (int w = windows - 1; w >= 0; w--) {
    for (int i = 0; i < c; i++) total = total.dbl();
    for (size_t ch = 0; ch < chunks; ch++) total = total.add(part[(size_t)w * chunks + ch]);
  }
  return total.add(result);
}

// Reference: sum of scalar_mul, for tests.
template <class C, class Aff, class P>
P msm_naive(const Aff* points, const uint8_t* scalars, size_t n, bool scalars_montgomery) {
  using Fr = typename C::Fr;
  P acc = P::infinity();
  for (size_t i = 0; i < n; i++) {
    uint8_t s[32];
    std::memcpy(s, scalars + 32 * i, 32);
    if (scalars_montgomery) Fr::from_limbs(reinterpret_cast<const uint64_t*>(s)).to_canonical(s);
    acc = acc.add(scalar_mul(P::from_affine(points[i]), s));
  }
  return acc;
}

}  // namespace pm
