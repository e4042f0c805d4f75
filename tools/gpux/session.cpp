#include "tools/gpux/session.hpp"

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>

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
    if (env.body_type() == wire::Body::ProtocolReject) protocol_reject = true;
    fn(env);
  });
}

bool Session::open(const char* command, const SessionOptions& options) {
  std::string host, error;
  std::uint16_t port = 0;
  if (!client::parse_server(options.server, host, port, error)) {
    fail(command, "--server: " + error);
    return false;
  }
  if (!client.connect(host, port) || !client.login(options.account, options.token)) {
    fail(command, client.error());
    return false;
  }
  return true;
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
  client.run_until([&] { return stop; });
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
