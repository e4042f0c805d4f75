// gpuxd in-process, assembled as tools/gpuxd/main.cpp assembles it, on 127.0.0.1 and a free
// port: for the tests that talk to a real server over loopback. The destructor stops the
// transport, joins its thread, then stops the pipeline (and the journal thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/engine.hpp"
#include "gateway/session/accounts.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/session/sessions.hpp"
#include "gateway/transport/transport.hpp"
#include "tests/support/watchdog.hpp"
#include "gateway/pipeline/resend_worker.hpp"
#include "gateway/pipeline/journaler.hpp"

namespace gpux::test {

// Whether this kernel lets us use io_uring (the uring backend's tests are skipped otherwise).
bool uring_available();

// "uring" or "epoll"; REQUIREs that the backend could be made.
std::unique_ptr<gateway::Transport> make_transport(const std::string& backend, const gateway::TransportConfig& config);

gateway::TransportConfig loopback_transport();  // 127.0.0.1, any free port

struct ServerSetup {
  gateway::SessionConfig sessions{};
  gateway::TransportConfig transport = loopback_transport();
  // With a directory: recovery from it first, durable journaling, snapshots every
  // `snapshot_every` commands, and resends.
  std::string journal_dir;
  std::uint64_t snapshot_every = 7;
  // As gpuxd --risk on: a new exchange sequences `risk on` first (SPEC v2 §7). Off by default:
  // most tests trade without deposits or funds.
  bool risk_on = false;
};

class InProcessServer {
 public:
  InProcessServer(const std::string& backend, const ServerSetup& setup);
  ~InProcessServer();
  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  std::uint16_t port() const { return transport_->port(); }
  gateway::Pipeline& pipeline() { return pipeline_; }
  std::string log() const;  // the server's log lines so far

 private:
  void record(std::string_view line);

  mutable std::mutex mutex_;
  std::vector<std::string> log_;
  ServerSetup setup_;
  std::unique_ptr<gateway::Transport> transport_;
  gateway::Accounts accounts_;
  Engine engine_;
  gateway::Pipeline pipeline_;
  gateway::Sessions sessions_;
  std::optional<gateway::Journaler> journaler_;
  std::optional<gateway::ResendWorker> history_;
  std::thread thread_;
};

}  // namespace gpux::test

// Runs the rest of the test case once per backend (a Catch2 GENERATE), io_uring skipped with a
// warning where the kernel refuses it, under a watchdog of `watchdog_s` seconds.
#define GPUX_EACH_BACKEND(var, watchdog_s)                                          \
  const std::string var = GENERATE(as<std::string>{}, "uring", "epoll");            \
  if (var == "uring" && !gpux::test::uring_available()) {                           \
    WARN("io_uring unavailable here: the uring backend is skipped");                \
    return;                                                                         \
  }                                                                                 \
  CAPTURE(var);                                                                     \
  gpux::test::Watchdog watchdog_##var(std::chrono::seconds(watchdog_s))
