// `gpux-bench e2e`: gpuxd as a child process, started with flags that suit a benchmark, and
// the CPU accounting of its threads.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gpux::bench {

// gpuxd beside the running gpux-bench (the install layout) or one directory up (the build
// tree: build/gpuxd and build/bench/gpux-bench); empty when neither exists.
std::string find_gpuxd();

struct ServerConfig {
  std::string gpuxd;            // path of the executable
  std::string io;               // uring | epoll
  std::uint32_t accounts = 0;   // bench-0 .. bench-(accounts-1), token kBenchToken
  std::uint32_t max_connections = 1024;
  int gateway_cpu = -1;  // --gateway-cpu, --engine-cpu (-1: not given)
  int engine_cpu = -1;
  std::vector<std::string> extra_args;
};

constexpr const char* kBenchToken = "bench";

std::string bench_account(std::uint32_t i);

class Server {
 public:
  // Writes an accounts file into a temporary directory, starts gpuxd on 127.0.0.1 with port 0,
  // and returns once its log names the port it listens on; nullptr with `error` set otherwise.
  static std::unique_ptr<Server> start(const ServerConfig& config, std::string& error);
  ~Server();

  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& backend() const { return backend_; }  // what gpuxd says it runs

  // SIGTERM, then waits (SIGKILL after 5 s). Returns true when gpuxd exited with status 0.
  bool stop(std::string& error);
  std::string log_tail() const;

 private:
  Server() = default;
  std::string dir_, log_path_, backend_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// CPU use of one thread from /proc/PID/task/TID: time on a CPU and time spent runnable but
// waiting for one (both from schedstat, in ns), and involuntary context switches.
struct ThreadTimes {
  std::uint64_t run_ns = 0;
  std::uint64_t wait_ns = 0;
  std::uint64_t preemptions = 0;

  static ThreadTimes of(pid_t pid, pid_t tid);
  ThreadTimes since(const ThreadTimes& before) const {
    return {run_ns - before.run_ns, wait_ns - before.wait_ns, preemptions - before.preemptions};
  }
};

// gpuxd's threads: the main thread is the gateway; the others are the engine and an idle
// signal waiter, so their sum is the engine's.
struct ServerTimes {
  ThreadTimes gateway, engine;

  static ServerTimes of(pid_t pid);
  ServerTimes since(const ServerTimes& before) const {
    return {gateway.since(before.gateway), engine.since(before.engine)};
  }
};

}  // namespace gpux::bench
