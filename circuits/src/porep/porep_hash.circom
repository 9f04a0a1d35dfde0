pragma circom 2.0.0;
// The two Poseidon instances of porep.circom (2 and 4 inputs), compiled on their own so that the
// synthetic-sector generator (src/porep/sector.ts) hashes with exactly the circuit's function.
include "circomlib/circuits/poseidon.circom";

template PoRepHash() {
    signal input two[2];
    signal input four[4];
    signal output h2;
    signal output h4;
    component a = Poseidon(2);
    a.inputs <== two;
    h2 <== a.out;
    component b = Poseidon(4);
    b.inputs <== four;
    h4 <== b.out;
}

component main = PoRepHash();
