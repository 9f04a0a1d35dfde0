pragma circom 2.0.0;
// PoRep-shaped partition, large size: 2^10-node sector, K = 6 challenges, 2 parents (domain 2^16).
include "porep/porep.circom";
component main {public [replicaId, commD, commR, challenge, parents]} = PoRepPartition(10, 6, 2);
