// pmtool: the engine's standalone CLI (no Node needed): prove, devsetup, info, selftest, bench.
#include <cstdio>
#include <cstring>

#include "commands.h"

namespace {
void usage(FILE* f) {
  std::fprintf(f,
               "usage: pmtool <command> [args]\n"
               "  prove ZKEY WTNS PROOF PUBLIC [--device auto|cpu|cuda] [--threads N]\n"
               "        Groth16 proof of a snarkjs zkey + wtns; writes snarkjs proof.json/public.json\n"
               "  devsetup --r1cs R1CS --out ZKEY [--seed S]\n"
               "  devsetup --synthetic LOG2 --curve bn254|bls12-381 --out DIR [--seed S]\n"
               "        development keys (known toxic waste: tests and benchmarks only)\n"
               "  info      engine build and CUDA devices\n"
               "  selftest [--device cpu|cuda] [--seed S]\n"
               "  bench [--device cpu|cuda] [--json FILE]\n"
               "exit status: 0 ok, 1 failure (message on stderr), 2 usage error\n");
}
}  // namespace

// Fallbacks for commands whose files are not in this build (selftest.cpp / bench.cpp belong to
// the CUDA part); a strong definition in those files replaces these at link time.
__attribute__((weak)) int cmd_selftest(int, char**) {
  std::fprintf(stderr, "pmtool: selftest is not part of this build\n");
  return 1;
}
__attribute__((weak)) int cmd_bench(int, char**) {
  std::fprintf(stderr, "pmtool: bench is not part of this build\n");
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char* cmd = argv[1];
  // each command sees argv[0] = command name
  int sub_argc = argc - 1;
  char** sub_argv = argv + 1;
  if (!std::strcmp(cmd, "prove")) return cmd_prove(sub_argc, sub_argv);
  if (!std::strcmp(cmd, "devsetup")) return cmd_devsetup(sub_argc, sub_argv);
  if (!std::strcmp(cmd, "info")) return cmd_info(sub_argc, sub_argv);
  if (!std::strcmp(cmd, "selftest")) return cmd_selftest(sub_argc, sub_argv);
  if (!std::strcmp(cmd, "bench")) return cmd_bench(sub_argc, sub_argv);
  if (!std::strcmp(cmd, "help") || !std::strcmp(cmd, "--help") || !std::strcmp(cmd, "-h")) {
    usage(stdout);
    return 0;
  }
  std::fprintf(stderr, "pmtool: unknown command \"%s\"\n", cmd);
  usage(stderr);
  return 2;
}
