// pmtool info: engine build and CUDA devices.
#include <cstdio>

#include "commands.h"
#include "proofmarket.h"

int cmd_info(int, char**) {
  pm_engine_info info;
  pm_status st = pm_engine_info_get(&info);
  if (st.code != PM_OK) {
    std::fprintf(stderr, "pmtool info: %s\n", st.message);
    return 1;
  }
  std::printf("abi version:   %d\n", info.abi_version);
  std::printf("build:         %s\n", info.build);
  std::printf("cpu threads:   %d\n", info.cpu_threads);
  std::printf("cuda compiled: %s\n", info.cuda_compiled ? "yes" : "no");
  std::printf("cuda devices:  %d\n", info.cuda_devices);
  for (int i = 0; i < info.cuda_devices; i++) {
    pm_device_info d;
    st = pm_cuda_device_info(&d, i);
    if (st.code != PM_OK) {
      std::printf("  [%d] error: %s\n", i, st.message);
      continue;
    }
    std::printf("  [%d] %s, %.1f GiB, %d SMs, compute %d.%d\n", i, d.name, d.memory_bytes / 1073741824.0, d.sm_count,
                d.cc_major, d.cc_minor);
  }
  return 0;
}
