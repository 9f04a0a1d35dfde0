pragma circom 2.0.0;
// BLS12-381 calibration circuit at ~2^12 constraints (3,974; compile with --prime bls12381): the
// example circuit with 320 rounds. With example_bls12381 (326) it gives the broker's latency
// model two sizes per curve.
include "example.circom";
component main {public [n, key]} = Example(320);
