pragma circom 2.0.0;
// PoRep-shaped partition, small size: 2^7-node sector, K = 2 challenges, 2 parents (domain 2^14).
include "porep/porep.circom";
component main {public [replicaId, commD, commR, challenge, parents]} = PoRepPartition(7, 2, 2);
