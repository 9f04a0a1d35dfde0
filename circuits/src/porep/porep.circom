pragma circom 2.0.0;
// A PoRep-SHAPED circuit: one partition of a synthetic sealed sector. It has the structure and
// the shape of work of Filecoin's SDR PoRep circuit (per challenged node: Merkle inclusion proofs,
// a labeling check from the node's parents and the replica id, the encoding check), at sizes
// that prove in seconds. It is NOT Filecoin's circuit: no SHA-256, no column commitments over
// layers, no octree, circomlib's Poseidon (BN254 constants reduced into BLS12-381's scalar field).
//
// Sector of 2^DEPTH nodes; three Poseidon binary Merkle trees over it:
//   data tree    (root commD)     leaves: data[i]
//   label tree   (root commC)     leaves: label[i] = Poseidon(replicaId, i, label[p0(i)], label[p1(i)])
//   replica tree (root commRLast) leaves: replica[i] = data[i] + label[i]   (the encoding; key = label)
//   commR = Poseidon(commC, commRLast)
// Per challenged node c (K per partition) with parents p[0..P-1] (public; any earlier nodes):
//   inclusion of data[c] in commD and of replica[c] in commRLast,
//   inclusion of label[p[j]] in commC for every parent,
//   labeling:  label = Poseidon(replicaId, c, label[p[0]], ..., label[p[P-1]])
//   encoding:  replica[c] = data[c] + label.
include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/bitify.circom";

// Root of the Poseidon binary Merkle tree whose leaf number `index` (DEPTH bits) is `leaf`.
template MerkleRoot(DEPTH) {
    signal input leaf;
    signal input index;
    signal input siblings[DEPTH];
    signal output root;

    component bits = Num2Bits(DEPTH);   // also range-checks index < 2^DEPTH
    bits.in <== index;
    component h[DEPTH];
    signal cur[DEPTH + 1];
    signal left[DEPTH];
    cur[0] <== leaf;
    for (var i = 0; i < DEPTH; i++) {
        // bit 0: the running node is the left child; bit 1: it is the right child
        left[i] <== cur[i] + bits.out[i] * (siblings[i] - cur[i]);
        h[i] = Poseidon(2);
        h[i].inputs[0] <== left[i];
        h[i].inputs[1] <== cur[i] + siblings[i] - left[i];
        cur[i + 1] <== h[i].out;
    }
    root <== cur[DEPTH];
}

template PoRepPartition(DEPTH, K, P) {
    // public
    signal input replicaId;
    signal input commD;
    signal input commR;
    signal input challenge[K];
    signal input parents[K][P];
    // private
    signal input commC;
    signal input commRLast;
    signal input data[K];
    signal input replica[K];
    signal input dataPath[K][DEPTH];
    signal input replicaPath[K][DEPTH];
    signal input parentLabel[K][P];
    signal input parentPath[K][P][DEPTH];

    component commRHash = Poseidon(2);
    commRHash.inputs[0] <== commC;
    commRHash.inputs[1] <== commRLast;
    commRHash.out === commR;

    component dataProof[K];
    component replicaProof[K];
    component parentProof[K][P];
    component labeling[K];
    for (var k = 0; k < K; k++) {
        dataProof[k] = MerkleRoot(DEPTH);
        dataProof[k].leaf <== data[k];
        dataProof[k].index <== challenge[k];
        dataProof[k].siblings <== dataPath[k];
        dataProof[k].root === commD;

        replicaProof[k] = MerkleRoot(DEPTH);
        replicaProof[k].leaf <== replica[k];
        replicaProof[k].index <== challenge[k];
        replicaProof[k].siblings <== replicaPath[k];
        replicaProof[k].root === commRLast;

        labeling[k] = Poseidon(2 + P);
        labeling[k].inputs[0] <== replicaId;
        labeling[k].inputs[1] <== challenge[k];
        for (var j = 0; j < P; j++) {
            parentProof[k][j] = MerkleRoot(DEPTH);
            parentProof[k][j].leaf <== parentLabel[k][j];
            parentProof[k][j].index <== parents[k][j];
            parentProof[k][j].siblings <== parentPath[k][j];
            parentProof[k][j].root === commC;
            labeling[k].inputs[2 + j] <== parentLabel[k][j];
        }
        // the encoding: replica = data + key, with the node's label as the key
        replica[k] === data[k] + labeling[k].out;
    }
}
