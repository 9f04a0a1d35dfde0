pragma circom 2.0.0;

// Multiplication chain for benchmarks: N non-linear constraints.
//
//   c[0] = a * b,  c[i] = c[i-1] * b,  out = c[N-1]
//
// Public input: a.  Private input: b.  Output: out.  With N = 2^k - 3 the Groth16 domain
// (constraints + public inputs + outputs + 1) is exactly 2^k, as in the reference figures of
// issue 4.  Main components are generated per size by bench/prepare.ts.
template Chain(N) {
    signal input a;
    signal input b;
    signal output out;
    signal c[N];
    c[0] <== a * b;
    for (var i = 1; i < N; i++) {
        c[i] <== c[i - 1] * b;
    }
    out <== c[N - 1];
}
