pragma circom 2.0.0;
// BLS12-381 instance of the example circuit (compile with --prime bls12381).
include "example.circom";
component main {public [n, key]} = Example(16);
