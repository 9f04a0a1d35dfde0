// Minimal fork/join parallelism: parallel_for splits [begin, end) into one contiguous chunk per
// thread. Threads are created per call; every caller hands out work items of milliseconds or
// more, so creation cost (~tens of microseconds) is noise. Exceptions thrown by a chunk are
// re-thrown in the calling thread after all chunks finished.
#pragma once
#include <algorithm>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace pm {

inline int hw_threads() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : (int)n;
}

inline int resolve_threads(int threads) { return threads <= 0 ? hw_threads() : threads; }

// fn(size_t lo, size_t hi) handles [lo, hi). threads <= 0 means all cores.
template <class F>
void parallel_for(size_t begin, size_t end, int threads, F&& fn) {
  if (end <= begin) return;
  size_t n = end - begin;
  size_t nt = std::min<size_t>((size_t)resolve_threads(threads), n);
  if (nt <= 1) {
    fn(begin, end);
    return;
  }
  std::exception_ptr err;
  std::mutex mu;
  auto run = [&](size_t t) {
    size_t lo = begin + n * t / nt, hi = begin + n * (t + 1) / nt;
    try {
      if (lo < hi) fn(lo, hi);
    } catch (...) {
      std::lock_guard<std::mutex> g(mu);
      if (!err) err = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(nt - 1);
  for (size_t t = 1; t < nt; t++) pool.emplace_back(run, t);
  run(0);
  for (auto& th : pool) th.join();
  if (err) std::rethrow_exception(err);
}

// Runs fn(i) for every i in [0, count) spread over threads (each i is one task, dealt out
// dynamically: good for tasks of unequal cost, such as MSM windows).
template <class F>
void parallel_tasks(size_t count, int threads, F&& fn) {
  if (count == 0) return;
  size_t nt = std::min<size_t>((size_t)resolve_threads(threads), count);
  if (nt <= 1) {
    for (size_t i = 0; i < count; i++) fn(i);
    return;
  }
  std::mutex mu;
  size_t next = 0;
  std::exception_ptr err;
  auto run = [&]() {
    for (;;) {
      size_t i;
      {
        std::lock_guard<std::mutex> g(mu);
        if (next >= count || err) return;
        i = next++;
      }
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> g(mu);
        if (!err) err = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < nt; t++) pool.emplace_back(run);
  run();
  for (auto& th : pool) th.join();
  if (err) std::rethrow_exception(err);
}

}  // namespace pm
