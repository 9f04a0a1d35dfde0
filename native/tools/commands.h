// Subcommands of the standalone CLI `pmtool`. main() lives in pmtool.cpp; each command is a
// function in its own file and returns the process exit code (0 ok, 1 failure, 2 usage error).
#pragma once

int cmd_prove(int argc, char** argv);     // pmtool prove ZKEY WTNS PROOF PUBLIC [--device D]
int cmd_devsetup(int argc, char** argv);  // pmtool devsetup ...
int cmd_info(int argc, char** argv);      // pmtool info
int cmd_selftest(int argc, char** argv);  // pmtool selftest [--device cpu|cuda] [--seed S]
int cmd_bench(int argc, char** argv);     // pmtool bench [--device cpu|cuda] [--json FILE]
