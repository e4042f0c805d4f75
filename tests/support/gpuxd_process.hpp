// gpuxd as a child process, for the tests that run the real server: the crash test
// (tests/fault/) and the replication tests (tests/replication/). It starts gpuxd with a journal
// and the options those tests vary, captures its log (stdout and stderr) line by line with the
// time each line arrived, waits for "listening on", and signals, reaps and describes it. The
// child dies with the test (PR_SET_PDEATHSIG), and the destructor kills one still running.
// No Catch2 macros: failures come back as values with the log in a string.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/types.hpp"

namespace gpux::test {

class GpuxdProcess {
 public:
  using SteadyClock = std::chrono::steady_clock;

  struct Options {
    std::string binary;   // the gpuxd to run
    std::string journal;  // --journal (empty: none)
    std::uint16_t port = 0;  // --port (0: any free port, read back from the log)
    bool async = false;
    std::string io = "epoll";
    std::uint64_t snapshot_every = 0;
    std::uint64_t segment_mb = 1;
    std::uint32_t max_orders = 100000;
    rlim_t fsize = 0;  // RLIMIT_FSIZE for the child (0: none)
    bool risk = true;  // risk checks (docs/ledger.md); off for loads that trade without a ledger
    std::vector<std::string> extra;  // more arguments, appended (--nats ..., --node ...)
    std::chrono::milliseconds start_timeout{20000};
  };

  struct Line {
    SteadyClock::time_point at;  // when the test read it
    std::string text;
  };

  GpuxdProcess() = default;
  ~GpuxdProcess();
  GpuxdProcess(const GpuxdProcess&) = delete;
  GpuxdProcess& operator=(const GpuxdProcess&) = delete;

  // Starts gpuxd and waits for its "listening on" line; false (with its log in `error`) when
  // it exits first or says nothing for `start_timeout`. Call once per object.
  bool start(const Options& o, std::string& error);

  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }
  Seq recovered() const { return recovered_; }  // "recovered to seq N" (-1: no journal)
  void signal(int sig);

  // Whether it still runs (reaping it when not).
  bool alive();
  // Waits for the exit; the wait status, or nullopt after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  std::string log();
  bool logged(std::string_view text);
  // The first line containing `text`, waiting for it at most `timeout` (or until gpuxd's output
  // ends); nullopt when none came.
  std::optional<Line> wait_for(std::string_view text, std::chrono::milliseconds timeout);
  std::vector<Line> lines();

 private:
  const Line* find_locked(std::string_view text) const;
  std::string log_locked() const;

  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::uint16_t port_ = 0;
  Seq recovered_ = -1;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Line> lines_;
  bool eof_ = false;
};

// "exit 3", "signal Killed", for messages.
std::string describe_status(int status);

}  // namespace gpux::test
