// Fails a threaded test instead of letting it hang CI. After `limit` it runs `rescue` when one
// is given (say, closing the doorbells the test's threads wait on, so they return and the test
// can report), and aborts the process if the test is still running 10 s later; without a
// rescue it aborts at once.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

namespace gpux::test {

class Watchdog {
 public:
  explicit Watchdog(std::chrono::seconds limit, std::function<void()> rescue = {})
      : thread_([this, limit, rescue = std::move(rescue)] {
          std::unique_lock lock(mutex_);
          if (done_cv_.wait_for(lock, limit, [&] { return done_; })) return;
          fired_ = true;
          if (rescue) {
            rescue();
            if (done_cv_.wait_for(lock, std::chrono::seconds(10), [&] { return done_; })) return;
          }
          std::fputs("watchdog: test hung; aborting\n", stderr);
          std::abort();
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_one();
    thread_.join();
  }
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  bool fired() {
    std::lock_guard lock(mutex_);
    return fired_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

}  // namespace gpux::test
