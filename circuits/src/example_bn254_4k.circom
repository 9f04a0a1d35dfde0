pragma circom 2.0.0;
// BN254 calibration circuit at ~2^12 constraints (3,974): the example circuit with 320 rounds.
// With example_bn254 (374) it gives the broker's latency model two sizes per curve.
include "example.circom";
component main {public [n, key]} = Example(320);
