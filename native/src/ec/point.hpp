// Short Weierstrass points y^2 = x^3 + b (a = 0) over a field F (Fp or Fp2).
//
//  - Affine<F, B>: exactly {F x; F y;} — the zkey / snarkjs LEM layout; (0, 0) is infinity.
//  - Jacobian<F, B>: (X, Y, Z) with x = X/Z^2, y = Y/Z^3; Z = 0 is infinity.
//
// Formulas from the Explicit-Formulas Database (https://hyperelliptic.org/EFD/g1p/
// auto-shortw-jacobian-0.html): doubling "dbl-2009-l", addition "add-2007-bl", mixed addition
// "madd-2007-bl". Exceptional cases (equal or opposite inputs, infinity) are handled explicitly.
// B supplies `static F b()`, the curve coefficient in Montgomery form.
#pragma once
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace pm {

template <class F, class B>
struct Affine {
  using Field = F;
  F x, y;

  static Affine infinity() {
    Affine a;
    a.x = F::zero();
    a.y = F::zero();
    return a;
  }
  static Affine make(const F& x, const F& y) {
    Affine a;
    a.x = x;
    a.y = y;
    return a;
  }
  bool is_infinity() const { return x.is_zero() && y.is_zero(); }
  bool is_on_curve() const {
    if (is_infinity()) return true;
    return y.sqr() == x.sqr() * x + B::b();
  }
  Affine neg() const { return is_infinity() ? *this : make(x, y.neg()); }
  bool operator==(const Affine& o) const { return x == o.x && y == o.y; }
  bool operator!=(const Affine& o) const { return !(*this == o); }
};

template <class F, class B>
struct Jacobian {
  using Field = F;
  using AffineT = Affine<F, B>;
  F X, Y, Z;

  static Jacobian infinity() {
    Jacobian p;
    p.X = F::one();
    p.Y = F::one();
    p.Z = F::zero();
    return p;
  }
  static Jacobian from_affine(const AffineT& a) {
    if (a.is_infinity()) return infinity();
    Jacobian p;
    p.X = a.x;
    p.Y = a.y;
    p.Z = F::one();
    return p;
  }
  bool is_infinity() const { return Z.is_zero(); }

  AffineT to_affine() const {
    if (is_infinity()) return AffineT::infinity();
    F zi = Z.inv(), zi2 = zi.sqr();
    return AffineT::make(X * zi2, Y * zi2 * zi);
  }
  // Converts many points with one field inversion.
  static void batch_to_affine(const Jacobian* in, AffineT* out, size_t n) {
    std::vector<F> z(n), scratch(n);
    for (size_t i = 0; i < n; i++) z[i] = in[i].Z;
    F::batch_inverse(z.data(), n, scratch.data());
    for (size_t i = 0; i < n; i++) {
      if (in[i].is_infinity()) {
        out[i] = AffineT::infinity();
        continue;
      }
      F zi2 = z[i].sqr();
      out[i] = AffineT::make(in[i].X * zi2, in[i].Y * zi2 * z[i]);
    }
  }

  bool operator==(const Jacobian& o) const {  // X1 Z2^2 == X2 Z1^2 and Y1 Z2^3 == Y2 Z1^3
    if (is_infinity() || o.is_infinity()) return is_infinity() == o.is_infinity();
    F z1z1 = Z.sqr(), z2z2 = o.Z.sqr();
    if (X * z2z2 != o.X * z1z1) return false;
    return Y * z2z2 * o.Z == o.Y * z1z1 * Z;
  }
  bool operator!=(const Jacobian& o) const { return !(*this == o); }
  bool is_on_curve() const {  // Y^2 = X^3 + b Z^6
    if (is_infinity()) return true;
    F z2 = Z.sqr(), z6 = z2.sqr() * z2;
    return Y.sqr() == X.sqr() * X + B::b() * z6;
  }

  Jacobian neg() const {
    Jacobian r = *this;
    r.Y = Y.neg();
    return r;
  }

  // dbl-2009-l
  Jacobian dbl() const {
    if (is_infinity()) return *this;
    F A = X.sqr(), Bq = Y.sqr(), C = Bq.sqr();
    F D = ((X + Bq).sqr() - A - C).dbl();
    F E = A.dbl() + A, Fv = E.sqr();
    Jacobian r;
    r.X = Fv - D.dbl();
    r.Y = E * (D - r.X) - C.dbl().dbl().dbl();
    r.Z = (Y * Z).dbl();
    return r;
  }

  // add-2007-bl
  Jacobian add(const Jacobian& q) const {
    if (is_infinity()) return q;
    if (q.is_infinity()) return *this;
    F Z1Z1 = Z.sqr(), Z2Z2 = q.Z.sqr();
    F U1 = X * Z2Z2, U2 = q.X * Z1Z1;
    F S1 = Y * q.Z * Z2Z2, S2 = q.Y * Z * Z1Z1;
    F H = U2 - U1;
    F r = (S2 - S1).dbl();
    if (H.is_zero()) {
      if (r.is_zero()) return dbl();
      return infinity();
    }
    F I = H.dbl().sqr(), J = H * I, V = U1 * I;
    Jacobian o;
    o.X = r.sqr() - J - V.dbl();
    o.Y = r * (V - o.X) - (S1 * J).dbl();
    o.Z = ((Z + q.Z).sqr() - Z1Z1 - Z2Z2) * H;
    return o;
  }

  // madd-2007-bl (the second operand affine, Z2 = 1)
  Jacobian add_mixed(const AffineT& q) const {
    if (q.is_infinity()) return *this;
    if (is_infinity()) return from_affine(q);
    F Z1Z1 = Z.sqr();
    F U2 = q.x * Z1Z1, S2 = q.y * Z * Z1Z1;
    F H = U2 - X;
    F r = (S2 - Y).dbl();
    if (H.is_zero()) {
      if (r.is_zero()) return dbl();
      return infinity();
    }
    F HH = H.sqr(), I = HH.dbl().dbl(), J = H * I, V = X * I;
    Jacobian o;
    o.X = r.sqr() - J - V.dbl();
    o.Y = r * (V - o.X) - (Y * J).dbl();
    o.Z = (Z + H).sqr() - Z1Z1 - HH;
    return o;
  }
  Jacobian sub_mixed(const AffineT& q) const { return add_mixed(q.neg()); }

  Jacobian& operator+=(const Jacobian& q) { return *this = add(q); }
};

// Double-and-add scalar multiplication by a 32-byte little-endian canonical scalar.
template <class P>
P scalar_mul(const P& p, const uint8_t* scalar32le) {
  P r = P::infinity();
  for (int i = 255; i >= 0; i--) {
    r = r.dbl();
    if ((scalar32le[i / 8] >> (i % 8)) & 1) r = r.add(p);
  }
  return r;
}

}  // namespace pm
