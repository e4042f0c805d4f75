// What the whole-server tests of tests/gateway/ share: an in-process gpuxd on a backend
// (Server), a blocking wire client whose failures fail the test (Client), builders for the
// commands a client sends, and an L2 book rebuilt from market data.
// Every read has a deadline (at most kWait) and GATEWAY_BACKEND puts a watchdog over each test
// case. Catch2 is called only from the test's thread; the server's threads only record their
// log lines.
#pragma once

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/command.hpp"
#include "gateway/session/sessions.hpp"
#include "gateway/transport/transport.hpp"
#include "schemas/codec.hpp"
#include "tests/support/server.hpp"
#include "tests/support/wire_client.hpp"

// Runs the rest of the test case once per backend, under a 30 s watchdog.
#define GATEWAY_BACKEND(var) GPUX_EACH_BACKEND(var, 30)

namespace gpux::test {

using Bytes = std::vector<std::uint8_t>;
using SteadyClock = std::chrono::steady_clock;

inline constexpr std::chrono::milliseconds kWait{2000};  // the longest any single read waits

// ---- instruments and commands ----------------------------------------------------------------

Ts now_ns();  // the wall clock, as the server stamps ts

// Two days ahead (tests/support/live_orders.hpp): far from the horizon's gate, whatever day the
// tests run.
const std::string& h100();  // lot 8, tick 10, ref 21000
const std::string& h200();  // lot 8, tick 10, ref 30000

Command limit(std::string_view cl, Side side, Price price, Qty qty, const std::string& symbol = h100());
Command with_tif(Command c, Tif tif);
Command market(std::string_view cl, Side side, Qty qty, const std::string& symbol = h100());
Command cancel_id(OrderId id);
Command cancel_cl(std::string_view cl);
Command replace_cl(std::string_view cl, Price price, Qty qty, std::string_view new_cl = {});
Command replace_id(OrderId id, Price price, Qty qty);
Command mass_cancel(std::string_view instrument_name = {}, std::string_view product = {});
Command halt(bool on, std::string_view instrument_name, std::string_view product = {});
Command kill(bool on, std::string_view account);

std::string_view sv(const flatbuffers::String* s);

// ---- frames as received ----------------------------------------------------------------------

const char* reason_name(wire::Reason r);

// A readable one-line account of a frame, for failure messages.
std::string describe(const Frame& f);

// A frame known to hold a T; valid as long as it lives.
template <class T>
struct Msg {
  Frame frame;
  const T* operator->() const { return frame.as<T>(); }
  const T& operator*() const { return *frame.as<T>(); }
};

template <class T>
constexpr wire::Body body_of() {
  return wire::BodyTraits<T>::enum_value;
}

// ---- the blocking test client ----------------------------------------------------------------

// The wire connection of tests/support with Catch2 conveniences: a failed connect or send, and
// a bad frame, fail the test.
class Client : public WireConnection {
 public:
  explicit Client(std::uint16_t port, int rcvbuf = 0) {
    std::string error;
    const bool ok = connect(port, error, rcvbuf);
    INFO(error);
    REQUIRE(ok);
  }

  void send(std::span<const std::uint8_t> frame) {
    const bool ok = write(frame);
    INFO("send: " << (ok ? "ok" : std::strerror(errno)));
    REQUIRE(ok);
  }
  void send(const Command& c) { send(enc.command(c)); }

  // Reads one frame, waiting at most `timeout`.
  Read read(Frame& out, std::chrono::milliseconds timeout = kWait) {
    std::string error;
    const Read r = WireConnection::read(out, timeout, error);
    if (r == Read::bad) FAIL(error);
    return r;
  }

  // The next frame other than a heartbeat must be a T.
  template <class T>
  Msg<T> expect(std::chrono::milliseconds timeout = kWait) {
    return next<T>(timeout, [&](const Frame& f) {
      if (f.type() != body_of<T>()) FAIL("expected " << name<T>() << ", got " << describe(f));
      return true;
    });
  }

  // Skips anything else (kept in `skipped`) until a T arrives.
  template <class T>
  Msg<T> wait_for(std::chrono::milliseconds timeout = kWait) {
    return next<T>(timeout, [&](const Frame& f) {
      if (f.type() == body_of<T>()) return true;
      skipped.push_back(f);
      return false;
    });
  }

  // Reads frames until `take` (called with each one that is not a heartbeat: no test waits for
  // one) returns true, failing the test when `timeout` passes or the connection closes first.
  template <class T, class Take>
  Msg<T> next(std::chrono::milliseconds timeout, Take&& take) {
    const auto deadline = SteadyClock::now() + timeout;
    Msg<T> m;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
      const Read r = read(m.frame, std::max(left, std::chrono::milliseconds(0)));
      if (r == Read::timeout) FAIL("timed out after " << timeout.count() << " ms waiting for " << name<T>());
      if (r == Read::closed) FAIL("the connection closed while waiting for " << name<T>());
      if (m.frame.type() != wire::Body::Heartbeat && take(m.frame)) return m;
    }
  }

  // Nothing but heartbeats, then the end of the stream.
  void expect_closed(std::chrono::milliseconds timeout = kWait);

  // Nothing but heartbeats for `span`, and the connection stays up.
  void expect_quiet(std::chrono::milliseconds span);

  // Reads and discards everything until the stream ends; false if it has not ended by
  // `timeout` (each read still waits at most kWait).
  bool drain_until_closed(std::chrono::milliseconds timeout, std::size_t* frames = nullptr);

  template <class T>
  static const char* name() {
    return wire::EnumNameBody(body_of<T>());
  }

  std::vector<Frame> skipped;
};

// ---- the in-process server -------------------------------------------------------------------

// No throttling, heartbeats every second, generous timeouts, a clock command every 20 ms.
gateway::SessionConfig test_sessions();
gateway::TransportConfig test_transport();

// The in-process gpuxd with the test client's conveniences.
class Server : public InProcessServer {
 public:
  explicit Server(const std::string& backend, const gateway::SessionConfig& sessions = test_sessions(),
                  const gateway::TransportConfig& transport = test_transport(), const std::string& journal_dir = {},
                  bool risk_on = false)
      : InProcessServer(backend, ServerSetup{sessions, transport, journal_dir, 7, risk_on}), session_config_(sessions) {}

  const gateway::SessionConfig& config() const { return session_config_; }

  Client connect(int rcvbuf = 0) { return Client(port(), rcvbuf); }

  // Connects and logs in; the LoginAccepted is checked and consumed.
  Client login(std::string_view account, bool cancel_all_on_disconnect = false, int rcvbuf = 0);

  // Logs in again after the account's previous session dropped, waiting out too_many_sessions
  // while the server has not yet noticed the drop (a test that filled the account's sessions).
  Client relogin(std::string_view account);

 private:
  static std::string token_of(std::string_view account);

  gateway::SessionConfig session_config_;
};

// After this returns, every command `c` sent before has been sequenced and everything the
// engine produced for it routed: a cancel of a cl_id nobody uses comes back rejected, and its
// report follows all earlier output in the outbound ring. Skips what arrives before.
void sync(Client& c);

// Sends a new order and returns its Accepted.
Msg<wire::Accepted> place(Client& c, const Command& order);

// ---- an L2 book rebuilt from market data ---------------------------------------------------

struct L2 {
  std::map<Price, std::pair<Qty, std::uint32_t>, std::greater<>> bids;
  std::map<Price, std::pair<Qty, std::uint32_t>> asks;

  bool operator==(const L2&) const = default;

  // Also checks (FAIL_CHECK) that levels come best first and each has orders and quantity.
  static L2 of(const wire::BookSnapshot& s);
  void apply(const wire::BookUpdate& u);
  std::string str() const;
};

// Subscribes and returns the BookSnapshot that answers it.
Msg<wire::BookSnapshot> subscribe(Client& c, const std::string& symbol = h100());

// A ProtocolReject with `reason`, then the end of the stream.
void expect_reject_then_close(Client& c, wire::Reason reason);

}  // namespace gpux::test
