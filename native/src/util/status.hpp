// Error handling shared by the whole engine: C++ code throws pm::Error, every extern "C" entry
// point wraps its body in pm::guard so no exception ever crosses the C ABI.
#pragma once
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "proofmarket.h"

namespace pm {

struct Error : std::runtime_error {
  pm_code code;
  Error(pm_code c, const std::string& msg) : std::runtime_error(msg), code(c) {}
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
[[noreturn]] inline void fail(pm_code code, const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  throw Error(code, buf);
}

inline pm_status make_status(pm_code code, const char* msg) {
  pm_status s;
  s.code = code;
  std::snprintf(s.message, sizeof s.message, "%s", msg ? msg : "");
  return s;
}

inline pm_status ok() { return make_status(PM_OK, ""); }

// Runs f() and turns whatever it throws into a pm_status. f may return void or pm_status.
template <class F>
pm_status guard(F&& f) noexcept {
  try {
    if constexpr (std::is_same_v<decltype(f()), pm_status>) {
      return f();
    } else {
      f();
      return ok();
    }
  } catch (const Error& e) {
    return make_status(e.code, e.what());
  } catch (const std::bad_alloc&) {
    return make_status(PM_ERR_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    std::string m = std::string("internal error: ") + e.what();
    return make_status(PM_ERR_INTERNAL, m.c_str());
  } catch (...) {
    return make_status(PM_ERR_INTERNAL, "internal error: unknown exception");
  }
}

}  // namespace pm
