#!/usr/bin/env python3
"""Generates native/src/curves/glv_generated.hpp: the GLV endomorphism constants of BN254 and
BLS12-381 (Gallant, Lambert, Vanstone, "Faster point multiplication on elliptic curves with
efficient endomorphisms", CRYPTO 2001).

    python3 native/src/curves/gen_glv.py > native/src/curves/glv_generated.hpp

On y^2 = x^3 + b over a field holding a primitive cube root of unity beta (Fq does, for both
curves), phi(x, y) = (beta x, y) is an endomorphism; on the prime-order subgroup it acts as
multiplication by a root lambda of lambda^2 + lambda + 1 = 0 mod r. For each curve this picks
lambda (the smaller root), then for G1 and for G2 (the same formula with beta in Fq acting on
Fq2 coordinates) the cube root beta with phi(P) = [lambda]P, checked on the generators.
Decomposition: k = k1 + k2 lambda (mod r) with |k1|, |k2| about sqrt(r), from a short basis
(a1, b1), (a2, b2) of the lattice {(x, y): x + y lambda = 0 mod r} found by the extended
Euclidean algorithm (GLV paper, section 4):
    c1 = round(b2 k / r), c2 = round(-b1 k / r), k1 = k - c1 a1 - c2 a2, k2 = -c1 b1 - c2 b2,
with c_i computed as (k * g_i) >> 256, g1 = round(2^256 b2 / r), g2 = round(-2^256 b1 / r)
(off by at most one from the exact rounding, which the bound GLV_BITS allows for; it is checked
here on 200000 random and edge-case scalars and in native/test/test_math.cpp)."""
import random
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
_stdout, sys.stdout = sys.stdout, open("/dev/null", "w")  # gen_constants prints its header on import
try:
    from gen_constants import CURVES  # noqa: E402
finally:
    sys.stdout = _stdout


def inv(a, p):
    return pow(a, p - 2, p)


def fq2(p):
    def mul(a, b):
        return ((a[0] * b[0] - a[1] * b[1]) % p, (a[0] * b[1] + a[1] * b[0]) % p)

    def add(a, b):
        return ((a[0] + b[0]) % p, (a[1] + b[1]) % p)

    def sub(a, b):
        return ((a[0] - b[0]) % p, (a[1] - b[1]) % p)

    def inv2(a):
        n = inv((a[0] * a[0] + a[1] * a[1]) % p, p)
        return (a[0] * n % p, -a[1] * n % p)

    return mul, add, sub, inv2


def ec_ops(p, ext):
    if ext:
        mul, add, sub, finv = fq2(p)
        zero = (0, 0)
        three = (3, 0)
        scal = lambda s, a: ((s * a[0]) % p, (s * a[1]) % p)  # noqa: E731
    else:
        mul = lambda a, b: a * b % p  # noqa: E731
        add = lambda a, b: (a + b) % p  # noqa: E731
        sub = lambda a, b: (a - b) % p  # noqa: E731
        finv = lambda a: inv(a, p)  # noqa: E731
        zero = 0
        three = 3
        scal = lambda s, a: s * a % p  # noqa: E731

    def ecadd(P, Q):
        if P is None:
            return Q
        if Q is None:
            return P
        if P[0] == Q[0]:
            if add(P[1], Q[1]) == zero:
                return None
            lam = mul(mul(three, mul(P[0], P[0])), finv(add(P[1], P[1])))
        else:
            lam = mul(sub(Q[1], P[1]), finv(sub(Q[0], P[0])))
        x = sub(sub(mul(lam, lam), P[0]), Q[0])
        return (x, sub(mul(lam, sub(P[0], x)), P[1]))

    def ecmul(P, k):
        R = None
        while k:
            if k & 1:
                R = ecadd(R, P)
            P = ecadd(P, P)
            k >>= 1
        return R

    def phi(P, beta):
        return (scal(beta, P[0]), P[1])

    return ecmul, phi


def cube_roots(p):
    # a generator of the cube roots of unity: g^((p-1)/3) for the first g that gives one != 1
    for g in range(2, 100):
        b = pow(g, (p - 1) // 3, p)
        if b != 1:
            return b, b * b % p
    raise SystemExit("no cube root of unity")


def lambda_roots(r):
    # roots of x^2 + x + 1 mod r: (-1 +- sqrt(-3)) / 2, sqrt by Tonelli-Shanks
    def sqrt(a):
        q, s = r - 1, 0
        while q % 2 == 0:
            q //= 2
            s += 1
        z = 2
        while pow(z, (r - 1) // 2, r) != r - 1:
            z += 1
        m, c, t, x = s, pow(z, q, r), pow(a, q, r), pow(a, (q + 1) // 2, r)
        while t != 1:
            i, tt = 0, t
            while tt != 1:
                tt = tt * tt % r
                i += 1
            b = pow(c, 1 << (m - i - 1), r)
            m, c, t, x = i, b * b % r, t * b * b % r, x * b % r
        return x

    s = sqrt(r - 3)
    i2 = inv(2, r)
    return sorted([(-1 + s) * i2 % r, (-1 - s) * i2 % r])


def short_basis(r, lam):
    # extended Euclid on (r, lam): remainders r_i with s_i r + t_i lam = r_i; stop at the first
    # r_{l+1} < sqrt(r); v1 = (r_{l+1}, -t_{l+1}), v2 = the shorter of (r_l, -t_l), (r_{l+2}, -t_{l+2})
    import math
    sq = math.isqrt(r)
    rs, ts = [r, lam], [0, 1]
    while rs[-1] >= sq:
        q = rs[-2] // rs[-1]
        rs.append(rs[-2] - q * rs[-1])
        ts.append(ts[-2] - q * ts[-1])
    q = rs[-2] // rs[-1]
    r2, t2 = rs[-2] - q * rs[-1], ts[-2] - q * ts[-1]
    a1, b1 = rs[-1], -ts[-1]
    cand = [(rs[-2], -ts[-2]), (r2, -t2)]
    a2, b2 = min(cand, key=lambda v: v[0] ** 2 + v[1] ** 2)
    for a, b in ((a1, b1), (a2, b2)):
        assert (a + b * lam) % r == 0
    return a1, b1, a2, b2


def decompose(k, r, lam, g1, g2, a1, b1, a2, b2):
    c1 = (k * g1) >> 256
    c2 = (k * g2) >> 256
    k1 = k - c1 * a1 - c2 * a2
    k2 = -c1 * b1 - c2 * b2
    assert (k1 + k2 * lam - k) % r == 0
    return k1, k2


def limbs(x, n):
    return "{" + ", ".join(f"0x{(x >> (64 * i)) & (2**64 - 1):016x}ULL" for i in range(n)) + "}"


def main():
    random.seed(1)
    out = [
        "// GENERATED by native/src/curves/gen_glv.py — do not edit by hand.",
        "// GLV endomorphism phi(x, y) = (beta x, y) = [lambda](x, y) and the lattice decomposition",
        "// k = k1 + k2 lambda (mod r); see gen_glv.py for the derivation and the checks made.",
        "#pragma once",
        "#include <cstdint>",
        "",
        "namespace pm {",
        "",
    ]
    for name, c in CURVES.items():
        p, r = c["q"], c["r"]
        n = (p.bit_length() + 63) // 64
        R = 1 << (64 * n)
        # the root of lambda^2 + lambda + 1 whose basis makes g1, g2 >= 0 (the C++ side assumes it)
        for lam in lambda_roots(r):
            a1, b1, a2, b2 = short_basis(r, lam)
            if b2 >= 0 and b1 <= 0:
                break
        else:
            raise SystemExit(f"{name}: no lambda with g1, g2 >= 0")
        betas = cube_roots(p)
        ecmul1, phi1 = ec_ops(p, False)
        ecmul2, phi2 = ec_ops(p, True)
        g1 = c["g1"]
        g2 = c["g2"]
        lg1 = ecmul1(g1, lam)
        beta_g1 = [b for b in betas if phi1(g1, b) == lg1]
        lg2 = ecmul2(g2, lam)
        beta_g2 = [b for b in betas if phi2(g2, b) == lg2]
        assert len(beta_g1) == 1 and len(beta_g2) == 1, name
        G1 = ((b2 << 256) + r // 2) // r
        G2 = ((-b1 << 256) + r // 2) // r
        # signs: the C++ side works with magnitudes and sign flags
        worst = 0
        edge = [0, 1, 2, r - 1, r - 2, lam, r - lam, lam + 1, lam - 1, (1 << 128), (1 << 128) - 1,
                (1 << 255) % r, r // 2, r // 2 + 1, (r - 1) // 3, a1, a2 % r, b1 % r, b2 % r]
        for k in edge + [random.randrange(r) for _ in range(200000)]:
            k1, k2 = decompose(k, r, lam, G1, G2, a1, b1, a2, b2)
            worst = max(worst, abs(k1).bit_length(), abs(k2).bit_length())
        bits = worst + 1  # one bit of headroom over everything seen
        mag = lambda v: abs(v)  # noqa: E731
        out += [
            f"struct {name}Glv {{",
            f"  // lambda: phi = [lambda] on G1 and G2; lambda^2 + lambda + 1 = 0 mod r",
            f"  static constexpr uint64_t LAMBDA[4] = {limbs(lam, 4)};",
            "  // beta (Montgomery form, in Fq): a primitive cube root of unity; phi(x, y) = (beta x, y)",
            f"  static constexpr uint64_t BETA_G1[{n}] = {limbs(beta_g1[0] * R % p, n)};",
            f"  static constexpr uint64_t BETA_G2[{n}] = {limbs(beta_g2[0] * R % p, n)};",
            "  // short lattice basis (a1, b1), (a2, b2): magnitudes and signs (1 = negative)",
            f"  static constexpr uint64_t A1[2] = {limbs(mag(a1), 2)};",
            f"  static constexpr uint64_t B1[2] = {limbs(mag(b1), 2)};",
            f"  static constexpr uint64_t A2[2] = {limbs(mag(a2), 2)};",
            f"  static constexpr uint64_t B2[2] = {limbs(mag(b2), 2)};",
            f"  static constexpr int A1_NEG = {int(a1 < 0)}, B1_NEG = {int(b1 < 0)}, A2_NEG = {int(a2 < 0)}, B2_NEG = {int(b2 < 0)};",
            "  // g1 = round(2^256 b2 / r), g2 = round(-2^256 b1 / r) (both >= 0 for these curves)",
            f"  static constexpr uint64_t G1[3] = {limbs(G1, 3)};",
            f"  static constexpr uint64_t G2[3] = {limbs(G2, 3)};",
            f"  // |k1|, |k2| < 2^BITS for every scalar k < r (largest seen: {worst} bits)",
            f"  static constexpr int BITS = {bits};",
            "};",
            "",
        ]
        assert G1 >= 0 and G2 >= 0 and max(mag(a1), mag(b1), mag(a2), mag(b2)) < (1 << 128)
        assert G1 < (1 << 192) and G2 < (1 << 192)
    out.append("}  // namespace pm")
    print("\n".join(out))


if __name__ == "__main__":
    main()
