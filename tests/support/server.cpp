#include "tests/support/server.hpp"

#include <csignal>

#include <catch2/catch.hpp>

#include "gateway/storage/recovery.hpp"

namespace gpux::test {

using namespace gpux::gateway;
using namespace gpux::protocol;

bool uring_available() {
  static const bool available = [] {
    int error = 0;
    return make_uring_transport(TransportConfig{}, error) != nullptr;
  }();
  return available;
}

std::unique_ptr<Transport> make_transport(const std::string& backend, const TransportConfig& config) {
  std::unique_ptr<Transport> t;
  if (backend == "uring") {
    int error = 0;
    t = make_uring_transport(config, error);
  } else {
    t = make_epoll_transport(config);
  }
  REQUIRE(t != nullptr);
  return t;
}

TransportConfig loopback_transport() {
  TransportConfig c;
  c.host = "127.0.0.1";
  c.port = 0;
  c.max_connections = 64;
  return c;
}

namespace {

PipelineConfig pipeline_config(const ServerSetup& setup) {
  PipelineConfig c;
  c.journal = !setup.journal_dir.empty();
  c.snapshot_every = setup.snapshot_every;
  return c;
}

}  // namespace

InProcessServer::InProcessServer(const std::string& backend, const ServerSetup& setup)
    : setup_(setup),
      transport_(make_transport(backend, setup.transport)),
      accounts_(Accounts::demo()),
      engine_(Catalog::builtin(), EngineConfig{}),
      pipeline_(engine_, pipeline_config(setup), [t = transport_.get()] { t->wake(); }),
      sessions_(*transport_, pipeline_, accounts_, setup_.sessions, [this](std::string_view l) { record(l); }) {
  std::signal(SIGPIPE, SIG_IGN);  // as gpuxd: a peer's reset must not kill the process
  if (!setup.journal_dir.empty()) {
    const auto log = [this](std::string_view l) { record(l); };
    storage::Recovered recovered;
    std::string error;
    const bool recovered_ok = storage::recover(setup.journal_dir, engine_, recovered, error, log);
    INFO(error);
    REQUIRE(recovered_ok);
    pipeline_.resume_after(recovered.seq, recovered.ts);
    journaler_.emplace(pipeline_.journal(), gateway::JournalConfig{setup.journal_dir}, log);
    const bool opened = journaler_->open(recovered.seq + 1, error);
    INFO(error);
    REQUIRE(opened);
    history_.emplace(setup.journal_dir, engine_.catalog(), EngineConfig{}, [t = transport_.get()] { t->wake(); });
    sessions_.set_history(&*history_);
    sessions_.seed_books(engine_);
  }
  if (setup.risk_on) pipeline_.begin_with_risk_checks();
  REQUIRE(transport_->listen() == 0);
  REQUIRE(transport_->port() != 0);
  REQUIRE(std::string(transport_->name()) == backend);
  pipeline_.start();
  if (journaler_) journaler_->start();
  thread_ = std::thread([this] { transport_->run(sessions_); });
}

InProcessServer::~InProcessServer() {
  transport_->stop();
  thread_.join();
  pipeline_.stop();
  if (journaler_) journaler_->stop();
}

void InProcessServer::record(std::string_view line) {
  std::lock_guard lock(mutex_);
  log_.emplace_back(line);
}

std::string InProcessServer::log() const {
  std::lock_guard lock(mutex_);
  std::string all;
  for (const auto& l : log_) all += l + "\n";
  return all;
}

}  // namespace gpux::test
