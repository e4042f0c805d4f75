#include "tools/gpux/session.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "tools/client/render_json.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/demo_market.hpp"

namespace gpux {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr auto kAnswerTimeout = 3s;

}  // namespace

void fail(const char* command, const std::string& message) {
  std::fprintf(stderr, "gpux %s: %s\n", command, message.c_str());
}

void print_message(const wire::Envelope& env, bool json, client::TextForm form, bool stamped) {
  const std::string line = json ? client::to_json(env) : client::to_text(env, form);
  if (line.empty()) return;
  const std::string stamp = stamped && !json ? utc_time_of_day(wall_clock_ns()) + " " : "";
  std::printf("%s%s\n", stamp.c_str(), line.c_str());
  std::fflush(stdout);
}

void Session::on_message(std::function<void(const wire::Envelope&)> fn) {
  client.on_message([this, fn = std::move(fn)](const wire::Envelope& env) {
    reports_.feed(env, client.frame(), [&](const wire::Envelope& e) {
      // A reconnect's own answers: stderr says where we are, and the missed reports follow.
      if (e.body_type() == wire::Body::LoginAccepted) return;
      if (e.body_type() == wire::Body::ResendDone && reconnect_resend_) {
        reconnect_resend_ = false;
        return;
      }
      if (e.body_type() == wire::Body::ProtocolReject) protocol_reject = true;
      fn(e);
    });
  });
}

bool Session::open(const char* command, const SessionOptions& options) {
  command_ = command;
  std::string error;
  if (!client::parse_servers(options.server, servers_, error)) {
    fail(command, "--server: " + error);
    return false;
  }
  credentials_ = {options.account, options.token, false};
  market_data_ = options.market_data && !options.account_given;
  if (market_data_) {
    const bool ok = connect_market_data();
    if (!ok) fail(command, client.error());
    return ok;
  }
  // One server: one attempt, as ever; a list: give a standby time to take over.
  const bool ok = servers_.size() == 1 ? client.connect(servers_[0].host, servers_[0].port) &&
                                             client.login(options.account, options.token)
                                       : client.connect_primary(servers_, credentials_) >= 0;
  if (!ok) fail(command, client.error());
  return ok;
}

bool Session::connect_market_data() {
  for (const client::Server& server : servers_) {
    client.reset();
    if (client.connect(server.host, server.port) && client.login_market_data()) return true;
  }
  return false;
}

bool Session::resend(Seq since) {
  reports_ = client::ReportFilter(since);
  reports_.resending();
  reconnect_resend_ = false;
  return client.resend(since);
}

bool Session::stream(const std::function<void()>& every_100ms) {
  bool stop = false;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) stop = true;
  });
  asio::steady_timer ticker(io);
  std::function<void()> tick = [&] {
    ticker.expires_after(100ms);
    ticker.async_wait([&](boost::system::error_code ec) {
      if (ec) return;
      every_100ms();
      tick();
    });
  };
  if (every_100ms) tick();
  for (;;) {
    client.run_until([&] { return stop; });
    if (stop || servers_.size() < 2) break;
    fail(command_, client.error() + "; looking for the primary");
    client::FailoverOptions failover;
    failover.deadline = 30s;
    failover.stop = [&] { return stop; };
    if (market_data_) {  // any server serves market data: try the list until one does
      bool back = false;
      for (auto until = std::chrono::steady_clock::now() + 30s; !stop && std::chrono::steady_clock::now() < until;) {
        if ((back = connect_market_data())) break;
        std::this_thread::sleep_for(250ms);
      }
      if (!back || stop) break;
      std::fprintf(stderr, "gpux %s: reconnected\n", command_);
      if (resume && !resume()) break;
      continue;
    }
    reconnect_resend_ = resend_reports;
    const int used = resend_reports ? client.reconnect(servers_, credentials_, reports_, failover)
                                    : client.connect_primary(servers_, credentials_, failover);
    if (used < 0 || stop) break;
    std::fprintf(stderr, "gpux %s: reconnected to %s\n", command_, servers_[used].text().c_str());
    if (resume && !resume()) break;
  }
  signals.cancel();
  ticker.cancel();
  return stop;
}

int Session::lost(const char* command) {
  fail(command, client.error());
  return kFailed;
}

int Session::await(const char* command, const std::function<bool()>& answered) {
  if (client.run_until([&] { return answered() || protocol_reject; }, kAnswerTimeout) && !protocol_reject) return 0;
  if (protocol_reject) {
    fail(command, client.error());
    return kRefused;
  }
  fail(command, !client.connected() ? client.error() : "no answer from the server within 3 s");
  return kFailed;
}

}  // namespace gpux
