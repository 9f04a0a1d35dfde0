pragma circom 2.0.0;

// Example circuit used by tests and the quick start (one instance per curve).
//
// Proves knowledge of a non-trivial factorisation a * b = n (both factors in [2, 2^64 + 1])
// and of a private vector in[4], and outputs a MiMC-style mix of that vector keyed by `key`:
//
//   x = key
//   for i in 0..3, for r in 0..ROUNDS-1:  x = (x + in[i] + C[r])^5
//   out = x + n
//
// Public inputs: n, key.  Private inputs: a, b, in[4].  Output: out.
// The x^5 mixing is "hash-like" only; it is not a vetted hash function.

include "circomlib/circuits/bitify.circom";

// Round constant r: a fixed, field-independent sequence (small integers, valid in any field).
function roundConstant(r) {
    var c = 0x5a17;
    for (var i = 0; i <= r; i++) {
        c = (c * 1103515245 + 12345) % 2147483648;
    }
    return c;
}

template MixRound(r) {
    signal input x;
    signal input v;
    signal output y;
    signal t2;
    signal t4;
    var t = x + v + roundConstant(r);
    t2 <== t * t;
    t4 <== t2 * t2;
    y <== t4 * t;
}

template Example(ROUNDS) {
    signal input n;       // public: the product
    signal input key;     // public: mixing key
    signal input a;       // private factor
    signal input b;       // private factor
    signal input in[4];   // private vector
    signal output out;

    // Factors are at least 2 and below 2^64 + 2, so a * b cannot wrap around the field.
    component ra = Num2Bits(64);
    ra.in <== a - 2;
    component rb = Num2Bits(64);
    rb.in <== b - 2;
    n === a * b;

    component rounds[4 * ROUNDS];
    signal acc[4 * ROUNDS + 1];
    acc[0] <== key;
    for (var i = 0; i < 4; i++) {
        for (var r = 0; r < ROUNDS; r++) {
            var k = i * ROUNDS + r;
            rounds[k] = MixRound(r);
            rounds[k].x <== acc[k];
            rounds[k].v <== in[i];
            acc[k + 1] <== rounds[k].y;
        }
    }
    out <== acc[4 * ROUNDS] + n;
}
