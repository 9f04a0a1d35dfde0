pragma circom 2.0.0;
// BN254 (circom's default prime) instance of the example circuit.
include "example.circom";
component main {public [n, key]} = Example(20);
