// The whole server over loopback, on every backend: an in-process gpuxd (engine, pipeline,
// sessions, transport) and blocking POSIX-socket clients that speak the wire protocol.
// Login and refusals, every command and its execution reports, both sides' fills, market data,
// isolation between accounts, operator commands, cancel-on-disconnect, malformed frames,
// fragmentation, throttling, slow consumers and idle timeouts.
// Every read has a deadline (at most 2 s) and a watchdog aborts a hung test. Catch2 is called
// only from the test's thread; the server's threads only record their log lines.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/support/watchdog.hpp"
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/engine.hpp"
#include "gateway/session/accounts.hpp"
#include "schemas/codec.hpp"
#include "gateway/pipeline/pipeline.hpp"
#include "gateway/session/sessions.hpp"
#include "gateway/transport/transport.hpp"
#include "tests/support/live_orders.hpp"
#include "tests/support/server.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wire_client.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

using Bytes = std::vector<std::uint8_t>;
using SteadyClock = std::chrono::steady_clock;

constexpr milliseconds kWait = 2000ms;  // the longest any single read waits

// ---- backends and the watchdog -------------------------------------------------------------



#define GATEWAY_BACKEND(var) GPUX_EACH_BACKEND(var, 30)

// ---- instruments and commands ----------------------------------------------------------------

Ts now_ns() {
  timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<Ts>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// Two days ahead (tests/support/live_orders.hpp): far from the horizon's gate, whatever day the
// tests run.
const std::string& h100() {
  static const std::string s = test::live_symbol("H100.MEM1");  // lot 8, tick 10, ref 21000
  return s;
}
const std::string& h200() {
  static const std::string s = test::live_symbol("H200.MEM1");  // lot 8, tick 10, ref 30000
  return s;
}

Command limit(std::string_view cl, Side side, Price price, Qty qty, const std::string& symbol = h100()) {
  return test::live_new(cl, symbol, side, price, qty);
}

Command with_tif(Command c, Tif tif) {
  c.has_tif = true;
  c.tif = tif;
  return c;
}

Command market(std::string_view cl, Side side, Qty qty, const std::string& symbol = h100()) {
  Command c = limit(cl, side, 0, qty, symbol);
  c.price = PriceField{false, false, 0};
  c.order_type = OrderType::market;
  return c;
}

Command cancel_id(OrderId id) {
  Command c = make_command(CommandType::cancel, 0, 0);
  c.has_order_id = true;
  c.order_id = id;
  return c;
}

Command cancel_cl(std::string_view cl) {
  Command c = make_command(CommandType::cancel, 0, 0);
  c.has_cl_id = true;
  c.cl_id.assign(cl);
  return c;
}

Command replace_cl(std::string_view cl, Price price, Qty qty, std::string_view new_cl = {}) {
  Command c = make_command(CommandType::replace, 0, 0);
  c.has_cl_id = true;
  c.cl_id.assign(cl);
  if (!new_cl.empty()) {
    c.has_new_cl_id = true;
    c.new_cl_id.assign(new_cl);
  }
  c.price = PriceField{true, true, price};
  c.qty = qty;
  return c;
}

Command replace_id(OrderId id, Price price, Qty qty) {
  Command c = replace_cl("x", price, qty);
  c.has_cl_id = false;
  c.has_order_id = true;
  c.order_id = id;
  return c;
}

Command mass_cancel(std::string_view instrument_name = {}, std::string_view product = {}) {
  Command c = make_command(CommandType::mass_cancel, 0, 0);
  if (!instrument_name.empty()) {
    c.has_instrument = true;
    c.instrument.assign(instrument_name);
  }
  if (!product.empty()) {
    c.has_product = true;
    c.product.assign(product);
  }
  return c;
}

Command halt(bool on, std::string_view instrument_name, std::string_view product = {}) {
  Command c = mass_cancel(instrument_name, product);
  c.type = on ? CommandType::halt : CommandType::resume;
  return c;
}

Command kill(bool on, std::string_view account) {
  Command c = make_command(on ? CommandType::kill : CommandType::unkill, 0, 0);
  c.account.assign(account);
  return c;
}

std::string_view sv(const flatbuffers::String* s) { return s ? std::string_view(s->data(), s->size()) : std::string_view(); }

// ---- frames as received ----------------------------------------------------------------------

using gpux::test::Frame;

const char* reason_name(wire::Reason r) { return wire::EnumNameReason(r); }

// A readable one-line account of a frame, for failure messages.
std::string describe(const Frame& f) {
  if (f.storage.empty()) return "(no frame)";
  std::ostringstream o;
  o << wire::EnumNameBody(f.type());
  switch (f.type()) {
    case wire::Body::ProtocolReject:
      o << " " << reason_name(f.as<wire::ProtocolReject>()->reason()) << " (" << sv(f.as<wire::ProtocolReject>()->text())
        << ")";
      break;
    case wire::Body::LoginRefused:
      o << " " << reason_name(f.as<wire::LoginRefused>()->reason()) << " (" << sv(f.as<wire::LoginRefused>()->text())
        << ")";
      break;
    case wire::Body::Rejected:
      o << " cl_id=" << sv(f.as<wire::Rejected>()->cl_id()) << " " << reason_name(f.as<wire::Rejected>()->reason());
      break;
    case wire::Body::Accepted:
      o << " order_id=" << f.as<wire::Accepted>()->order_id() << " cl_id=" << sv(f.as<wire::Accepted>()->cl_id());
      break;
    case wire::Body::Canceled:
      o << " order_id=" << f.as<wire::Canceled>()->order_id() << " cl_id=" << sv(f.as<wire::Canceled>()->cl_id())
        << " " << reason_name(f.as<wire::Canceled>()->reason());
      break;
    case wire::Body::CancelRejected:
      o << " " << reason_name(f.as<wire::CancelRejected>()->reason());
      break;
    case wire::Body::ReplaceRejected:
      o << " " << reason_name(f.as<wire::ReplaceRejected>()->reason());
      break;
    case wire::Body::Fill:
      o << " order_id=" << f.as<wire::Fill>()->order_id() << " qty=" << f.as<wire::Fill>()->qty()
        << " leaves=" << f.as<wire::Fill>()->leaves();
      break;
    case wire::Body::BookUpdate:
      o << " seq=" << f.as<wire::BookUpdate>()->seq() << " price=" << f.as<wire::BookUpdate>()->level()->price();
      break;
    default:
      break;
  }
  return o.str();
}

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
class Client : public gpux::test::WireConnection {
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
  Read read(Frame& out, milliseconds timeout = kWait) {
    std::string error;
    const Read r = WireConnection::read(out, timeout, error);
    if (r == Read::bad) FAIL(error);
    return r;
  }

  // The next frame other than a heartbeat must be a T.
  template <class T>
  Msg<T> expect(milliseconds timeout = kWait) {
    const auto deadline = SteadyClock::now() + timeout;
    Msg<T> m;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
      const Read r = read(m.frame, std::max(left, milliseconds(0)));
      if (r == Read::timeout) FAIL("timed out after " << timeout.count() << " ms waiting for " << name<T>());
      if (r == Read::closed) FAIL("the connection closed while waiting for " << name<T>());
      if (m.frame.type() == wire::Body::Heartbeat) continue;
      if (m.frame.type() != body_of<T>())
        FAIL("expected " << name<T>() << ", got " << describe(m.frame));
      return m;
    }
  }

  // Skips anything else (kept in `skipped`) until a T arrives.
  template <class T>
  Msg<T> wait_for(milliseconds timeout = kWait) {
    const auto deadline = SteadyClock::now() + timeout;
    Msg<T> m;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
      const Read r = read(m.frame, std::max(left, milliseconds(0)));
      if (r == Read::timeout) FAIL("timed out after " << timeout.count() << " ms waiting for " << name<T>());
      if (r == Read::closed) FAIL("the connection closed while waiting for " << name<T>());
      if (m.frame.type() == body_of<T>()) return m;
      if (m.frame.type() != wire::Body::Heartbeat) skipped.push_back(m.frame);
    }
  }

  // Nothing but heartbeats, then the end of the stream.
  void expect_closed(milliseconds timeout = kWait) {
    const auto deadline = SteadyClock::now() + timeout;
    Frame f;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
      const Read r = read(f, std::max(left, milliseconds(0)));
      if (r == Read::closed) return;
      if (r == Read::timeout) FAIL("the server did not close the connection within " << timeout.count() << " ms");
      if (f.type() != wire::Body::Heartbeat) FAIL("expected the connection to close, got " << describe(f));
    }
  }

  // Nothing but heartbeats for `span`, and the connection stays up.
  void expect_quiet(milliseconds span) {
    const auto deadline = SteadyClock::now() + span;
    Frame f;
    for (;;) {
      const auto left = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
      if (left <= 0ms) return;
      const Read r = read(f, left);
      if (r == Read::timeout) return;
      if (r == Read::closed) FAIL("the connection closed unexpectedly");
      if (f.type() != wire::Body::Heartbeat) FAIL("expected nothing, got " << describe(f));
    }
  }

  // Reads and discards everything until the stream ends; false if it has not ended by
  // `timeout` (each read still waits at most kWait).
  bool drain_until_closed(milliseconds timeout, std::size_t* frames = nullptr) {
    const auto deadline = SteadyClock::now() + timeout;
    Frame f;
    while (SteadyClock::now() < deadline) {
      const Read r = read(f, kWait);
      if (r == Read::closed) return true;
      if (r == Read::timeout) return false;
      if (frames) ++*frames;
    }
    return false;
  }

  template <class T>
  static const char* name() {
    return wire::EnumNameBody(body_of<T>());
  }

  std::vector<Frame> skipped;
};

// ---- the in-process server -------------------------------------------------------------------

SessionConfig test_sessions() {
  SessionConfig c;
  c.orders_per_sec = 1e7;  // no throttling unless a test asks for it
  c.burst = 1e7;
  c.heartbeat = 1000ms;
  c.idle_timeout = 10'000ms;
  c.login_timeout = 5'000ms;
  c.clock_interval = 20ms;  // expiries come quickly without traffic
  return c;
}

TransportConfig test_transport() { return gpux::test::loopback_transport(); }

// The in-process gpuxd with the test client's conveniences.
class Server : public gpux::test::InProcessServer {
 public:
  explicit Server(const std::string& backend, const SessionConfig& sessions = test_sessions(),
                  const TransportConfig& transport = test_transport(), const std::string& journal_dir = {})
      : InProcessServer(backend, gpux::test::ServerSetup{sessions, transport, journal_dir}), session_config_(sessions) {}

  const SessionConfig& config() const { return session_config_; }

  Client connect(int rcvbuf = 0) { return Client(port(), rcvbuf); }

  // Connects and logs in; the LoginAccepted is checked and consumed.
  Client login(std::string_view account, bool cancel_all_on_disconnect = false, int rcvbuf = 0) {
    Client c = connect(rcvbuf);
    c.send(c.enc.login(account, token_of(account), cancel_all_on_disconnect));
    const auto a = c.expect<wire::LoginAccepted>();
    REQUIRE(sv(a->account()) == account);
    return c;
  }

  // Logs in again after the account's previous session dropped: the server may not have
  // noticed the drop yet, which it answers with already_logged_in.
  Client relogin(std::string_view account) {
    const auto deadline = SteadyClock::now() + kWait;
    for (;;) {
      Client c = connect();
      c.send(c.enc.login(account, token_of(account)));
      Frame f;
      Client::Read r;
      do r = c.read(f); while (r == Client::Read::frame && f.type() == wire::Body::Heartbeat);
      REQUIRE(r == Client::Read::frame);
      if (f.type() == wire::Body::LoginAccepted) return c;
      INFO(describe(f));
      REQUIRE(f.type() == wire::Body::LoginRefused);
      REQUIRE(f.as<wire::LoginRefused>()->reason() == wire::Reason::already_logged_in);
      REQUIRE(SteadyClock::now() < deadline);
      std::this_thread::sleep_for(10ms);
    }
  }

 private:
  static std::string token_of(std::string_view account) {
    return account == "ops" ? "ops-demo" : account == "audit" ? "audit-demo" : "demo";
  }

  SessionConfig session_config_;
};

// After this returns, every command `c` sent before has been sequenced and everything the
// engine produced for it routed: a cancel of a cl_id nobody uses comes back rejected, and its
// report follows all earlier output in the outbound ring. Skips what arrives before.
void sync(Client& c) {
  static int n = 0;
  const std::string cl = test::live_numbered("sync-", ++n);
  c.send(cancel_cl(cl));
  for (;;) {
    const auto r = c.wait_for<wire::CancelRejected>();
    if (sv(r->cl_id()) == cl) {
      REQUIRE(r->reason() == wire::Reason::unknown_order);
      return;
    }
  }
}

// Sends a new order and returns its Accepted.
Msg<wire::Accepted> place(Client& c, const Command& order) {
  c.send(order);
  auto a = c.expect<wire::Accepted>();
  REQUIRE(sv(a->cl_id()) == order.cl_id.view());
  return a;
}

// ---- an L2 book rebuilt from market data ---------------------------------------------------

struct L2 {
  std::map<Price, std::pair<Qty, std::uint32_t>, std::greater<>> bids;
  std::map<Price, std::pair<Qty, std::uint32_t>> asks;

  bool operator==(const L2&) const = default;

  static L2 of(const wire::BookSnapshot& s) {
    L2 b;
    bool bids_best_first = true, asks_best_first = true, all_live = true;
    for (flatbuffers::uoffset_t i = 0; i < s.bids()->size(); ++i) {
      const wire::Level* l = s.bids()->Get(i);
      if (i > 0 && l->price() >= s.bids()->Get(i - 1)->price()) bids_best_first = false;
      if (l->orders() == 0 || l->qty() <= 0) all_live = false;
      b.bids[l->price()] = {l->qty(), l->orders()};
    }
    for (flatbuffers::uoffset_t i = 0; i < s.asks()->size(); ++i) {
      const wire::Level* l = s.asks()->Get(i);
      if (i > 0 && l->price() <= s.asks()->Get(i - 1)->price()) asks_best_first = false;
      if (l->orders() == 0 || l->qty() <= 0) all_live = false;
      b.asks[l->price()] = {l->qty(), l->orders()};
    }
    if (!bids_best_first) FAIL_CHECK("snapshot bids are not best (highest) first");
    if (!asks_best_first) FAIL_CHECK("snapshot asks are not best (lowest) first");
    if (!all_live) FAIL_CHECK("a snapshot level has no orders or no quantity");
    return b;
  }

  void apply(const wire::BookUpdate& u) {
    const wire::Level& l = *u.level();
    if (u.side() == wire::Side::buy) {
      if (l.orders() == 0) bids.erase(l.price());
      else bids[l.price()] = {l.qty(), l.orders()};
    } else {
      if (l.orders() == 0) asks.erase(l.price());
      else asks[l.price()] = {l.qty(), l.orders()};
    }
  }

  std::string str() const {
    std::ostringstream o;
    o << "bids:";
    for (const auto& [p, l] : bids) o << " " << l.first << "@" << p << "(" << l.second << ")";
    o << " asks:";
    for (const auto& [p, l] : asks) o << " " << l.first << "@" << p << "(" << l.second << ")";
    return o.str();
  }
};

Msg<wire::BookSnapshot> subscribe(Client& c, const std::string& symbol = h100()) {
  c.send(c.enc.subscribe(symbol));
  auto s = c.expect<wire::BookSnapshot>();
  REQUIRE(sv(s->instrument()) == symbol);
  REQUIRE(s->bids() != nullptr);
  REQUIRE(s->asks() != nullptr);
  return s;
}

// A frame with a hand-made envelope: any body type, any table.
Bytes raw_frame(std::span<const std::uint8_t> envelope) {
  Bytes out(kFrameHeader + envelope.size());
  const auto n = static_cast<std::uint32_t>(envelope.size());
  out[0] = static_cast<std::uint8_t>(n);
  out[1] = static_cast<std::uint8_t>(n >> 8);
  out[2] = static_cast<std::uint8_t>(n >> 16);
  out[3] = static_cast<std::uint8_t>(n >> 24);
  std::copy(envelope.begin(), envelope.end(), out.begin() + kFrameHeader);
  return out;
}

Bytes header(std::uint32_t n) {
  return {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n >> 16),
          static_cast<std::uint8_t>(n >> 24)};
}

template <class Make>
Bytes envelope_frame(Make make) {
  flatbuffers::FlatBufferBuilder fbb;
  const auto env = make(fbb);
  fbb.Finish(env, wire::EnvelopeIdentifier());
  return raw_frame({fbb.GetBufferPointer(), fbb.GetSize()});
}

void expect_reject_then_close(Client& c, wire::Reason reason) {
  const auto r = c.expect<wire::ProtocolReject>();
  INFO("ProtocolReject text: " << sv(r->text()));
  CHECK(r->reason() == reason);
  c.expect_closed();
}

}  // namespace

// ==== login ===================================================================================

TEST_CASE("gateway: login is accepted with the account's role", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);

  Client x = server.connect();
  x.send(x.enc.login("lab-x", "demo"));
  const auto a = x.expect<wire::LoginAccepted>();
  CHECK(a->version() == kSchemaVersion);
  CHECK(sv(a->account()) == "lab-x");
  CHECK(a->role() == wire::Role::trader);
  CHECK(a->heartbeat_ms() == static_cast<std::uint32_t>(server.config().heartbeat.count()));

  Client ops = server.connect();
  ops.send(ops.enc.login("ops", "ops-demo"));
  const auto o = ops.expect<wire::LoginAccepted>();
  CHECK(sv(o->account()) == "ops");
  CHECK(o->role() == wire::Role::operator_);

  // Logged in means trading.
  const auto acc = place(x, limit("b1", Side::buy, 21000, 8));
  CHECK(acc->order_id() > 0);
}

TEST_CASE("gateway: login refusals close the connection", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);

  SECTION("a wrong token is bad_credentials") {
    Client c = server.connect();
    c.send(c.enc.login("lab-x", "not-the-token"));
    const auto r = c.expect<wire::LoginRefused>();
    CHECK(r->reason() == wire::Reason::bad_credentials);
    c.expect_closed();
    // The refused attempt holds nothing: the right token works afterwards.
    server.login("lab-x");
  }
  SECTION("an unknown account is bad_credentials") {
    Client c = server.connect();
    c.send(c.enc.login("nobody", "demo"));
    CHECK(c.expect<wire::LoginRefused>()->reason() == wire::Reason::bad_credentials);
    c.expect_closed();
  }
  SECTION("the operator's token does not open a trader account") {
    Client c = server.connect();
    c.send(c.enc.login("lab-x", "ops-demo"));
    CHECK(c.expect<wire::LoginRefused>()->reason() == wire::Reason::bad_credentials);
    c.expect_closed();
  }
  SECTION("another schema version is bad_version") {
    Client c = server.connect();
    c.send(c.enc.login("lab-x", "demo", false, kSchemaVersion + 1));
    CHECK(c.expect<wire::LoginRefused>()->reason() == wire::Reason::bad_version);
    c.expect_closed();
  }
  SECTION("a second session of the same account is already_logged_in, the first goes on") {
    Client first = server.login("lab-x");
    Client second = server.connect();
    second.send(second.enc.login("lab-x", "demo"));
    CHECK(second.expect<wire::LoginRefused>()->reason() == wire::Reason::already_logged_in);
    second.expect_closed();
    place(first, limit("still-here", Side::buy, 21000, 8));
  }
  SECTION("a second login on a logged-in session is refused") {
    Client c = server.login("lab-x");
    c.send(c.enc.login("lab-y", "demo"));
    expect_reject_then_close(c, wire::Reason::already_logged_in);
    // Neither account is held by the closed session.
    server.relogin("lab-x");
    server.login("lab-y");
  }
}

TEST_CASE("gateway: anything before login is refused with not_logged_in", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);

  SECTION("a new order") {
    Client c = server.connect();
    c.send(limit("early", Side::buy, 21000, 8));
    expect_reject_then_close(c, wire::Reason::not_logged_in);
  }
  SECTION("a subscribe") {
    Client c = server.connect();
    c.send(c.enc.subscribe(h100()));
    expect_reject_then_close(c, wire::Reason::not_logged_in);
  }
  SECTION("an operator command") {
    Client c = server.connect();
    c.send(halt(true, h100()));
    expect_reject_then_close(c, wire::Reason::not_logged_in);
  }
  // Nothing was submitted: the book is empty.
  Client sub = server.login("lab-z");
  const auto s = subscribe(sub);
  CHECK(s->bids()->size() == 0);
  CHECK(s->asks()->size() == 0);
}

// ==== commands and execution reports ============================================================

TEST_CASE("gateway: every command gets its execution reports", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client m = server.login("maker-1");
  Client x = server.login("lab-x");

  // A gtc limit order.
  const auto s1 = place(m, limit("s1", Side::sell, 21500, 16));
  CHECK(s1->order_id() > 0);
  CHECK(s1->seq() == s1->order_id());
  CHECK(s1->ts() > 0);
  CHECK(sv(s1->instrument()) == h100());
  CHECK(s1->side() == wire::Side::sell);
  CHECK(s1->order_type() == wire::OrderType::limit);
  CHECK(s1->price() == 21500);
  CHECK(s1->qty() == 16);
  CHECK(s1->tif() == wire::Tif::gtc);
  CHECK_FALSE(s1->expire_ts().has_value());
  CHECK_FALSE(s1->display_qty().has_value());
  CHECK_FALSE(s1->post_only());

  // A refused order.
  m.send(limit("bad", Side::sell, 21500, 12));
  const auto bad = m.expect<wire::Rejected>();
  CHECK(sv(bad->cl_id()) == "bad");
  CHECK(bad->reason() == wire::Reason::bad_qty);
  CHECK(bad->seq() > s1->seq());

  // Cancel by order_id, by cl_id, and of nothing.
  m.send(cancel_id(s1->order_id()));
  {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == s1->order_id());
    CHECK(sv(c->cl_id()) == "s1");
    CHECK(c->leaves() == 16);
    CHECK(c->reason() == wire::Reason::user);
  }
  const auto s2 = place(m, limit("s2", Side::sell, 21500, 16));
  m.send(cancel_cl("s2"));
  {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == s2->order_id());
    CHECK(sv(c->cl_id()) == "s2");
    CHECK(c->leaves() == 16);
    CHECK(c->reason() == wire::Reason::user);
  }
  m.send(cancel_cl("s2"));
  {
    const auto r = m.expect<wire::CancelRejected>();
    CHECK(sv(r->cl_id()) == "s2");
    CHECK_FALSE(r->order_id().has_value());
    CHECK(r->reason() == wire::Reason::unknown_order);
  }
  m.send(cancel_id(s1->order_id()));
  {
    const auto r = m.expect<wire::CancelRejected>();
    CHECK(r->order_id().value_or(-1) == s1->order_id());
    CHECK(r->reason() == wire::Reason::unknown_order);
  }

  // Replace: renamed and moved (priority lost), then shrunk in place (priority kept).
  const auto s3 = place(m, limit("s3", Side::sell, 21600, 16));
  m.send(replace_cl("s3", 21700, 24, "s3b"));
  {
    const auto r = m.expect<wire::Replaced>();
    CHECK(r->order_id() == s3->order_id());
    CHECK(sv(r->cl_id()) == "s3b");
    CHECK(r->price() == 21700);
    CHECK(r->qty() == 24);
    CHECK_FALSE(r->priority_kept());
  }
  m.send(replace_id(s3->order_id(), 21700, 8));
  {
    const auto r = m.expect<wire::Replaced>();
    CHECK(r->order_id() == s3->order_id());
    CHECK(sv(r->cl_id()) == "s3b");
    CHECK(r->qty() == 8);
    CHECK(r->priority_kept());
  }
  m.send(replace_cl("s3", 21700, 8));
  {
    const auto r = m.expect<wire::ReplaceRejected>();
    CHECK(sv(r->cl_id()) == "s3");
    CHECK(r->reason() == wire::Reason::unknown_order);
  }

  // An iceberg, hit by an ioc that sweeps it and is canceled for the rest.
  Command ice = limit("ice", Side::sell, 21500, 40);
  ice.has_display_qty = true;
  ice.display_qty = 16;
  const auto ia = place(m, ice);
  CHECK(ia->display_qty().value_or(0) == 16);
  x.send(with_tif(limit("x-ioc", Side::buy, 21500, 48), Tif::ioc));
  const auto xa = x.expect<wire::Accepted>();
  CHECK(xa->tif() == wire::Tif::ioc);
  Qty x_filled = 0, m_filled = 0;
  std::uint32_t x_fills = 0;
  while (x_filled < 40) {
    const auto f = x.expect<wire::Fill>();
    CHECK(f->order_id() == xa->order_id());
    CHECK(f->aggressor());
    CHECK(f->side() == wire::Side::buy);
    CHECK(f->price() == 21500);
    x_filled += f->qty();
    CHECK(f->leaves() == 48 - x_filled);
    ++x_fills;
  }
  CHECK(x_filled == 40);
  CHECK(x_fills == 3);  // the clip 16, then two refills: 16 and 8
  {
    const auto c = x.expect<wire::Canceled>();
    CHECK(c->order_id() == xa->order_id());
    CHECK(c->reason() == wire::Reason::ioc);
    CHECK(c->leaves() == 8);
  }
  while (m_filled < 40) {
    const auto f = m.expect<wire::Fill>();
    CHECK(f->order_id() == ia->order_id());
    CHECK_FALSE(f->aggressor());
    CHECK(f->side() == wire::Side::sell);
    m_filled += f->qty();
    CHECK(f->leaves() == 40 - m_filled);
  }

  // A market order: its protection price and ioc, a fill at the resting price, the rest canceled.
  x.send(market("x-mkt", Side::buy, 16));
  {
    const auto a = x.expect<wire::Accepted>();
    CHECK(a->order_type() == wire::OrderType::market);
    CHECK(a->tif() == wire::Tif::ioc);
    CHECK(a->price() >= 21700);
    const auto f = x.expect<wire::Fill>();
    CHECK(f->order_id() == a->order_id());
    CHECK(f->price() == 21700);
    CHECK(f->qty() == 8);
    CHECK(f->leaves() == 8);
    const auto c = x.expect<wire::Canceled>();
    CHECK(c->reason() == wire::Reason::ioc);
    CHECK(c->leaves() == 8);
    const auto mf = m.expect<wire::Fill>();
    CHECK(mf->order_id() == s3->order_id());
    CHECK(mf->leaves() == 0);
    CHECK(mf->seq() == f->seq());
  }

  // A gtd order expires on its own: the server's clock commands move time without traffic.
  Command g = with_tif(limit("g1", Side::buy, 20000, 8), Tif::gtd);
  g.has_expire_ts = true;
  g.expire_ts = now_ns() + 150'000'000;
  const auto ga = place(m, g);
  CHECK(ga->tif() == wire::Tif::gtd);
  CHECK(ga->expire_ts().value_or(0) == g.expire_ts);
  {
    const auto e = m.expect<wire::Expired>();
    CHECK(e->order_id() == ga->order_id());
    CHECK(sv(e->cl_id()) == "g1");
    CHECK(e->leaves() == 8);
    CHECK(e->reason() == wire::Reason::gtd);
    CHECK(e->ts() == g.expire_ts);
  }

  // Mass cancel: one instrument, one product, then everything.
  const auto m1 = place(m, limit("m1", Side::buy, 20000, 8));
  const auto m2 = place(m, limit("m2", Side::buy, 20010, 8));
  const auto m3 = place(m, limit("m3", Side::buy, 29000, 8, h200()));
  const auto m4 = place(m, limit("m4", Side::buy, 29010, 8, h200()));
  m.send(mass_cancel(h100()));
  for (const OrderId id : {m1->order_id(), m2->order_id()}) {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == id);  // ascending order_id
    CHECK(c->reason() == wire::Reason::mass);
  }
  m.send(mass_cancel({}, "H200.MEM1"));
  {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == m3->order_id());
    CHECK(c->reason() == wire::Reason::mass);
  }
  m.send(mass_cancel());
  {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == m4->order_id());
    CHECK(c->reason() == wire::Reason::mass);
  }
  // A mass cancel that finds nothing says nothing.
  m.send(mass_cancel());
  sync(m);
  CHECK(m.skipped.empty());
  x.expect_quiet(50ms);
}

TEST_CASE("gateway: a trade gives each side its own fill", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client m = server.login("maker-1");
  Client x = server.login("lab-x");

  const auto sell = place(m, limit("ask", Side::sell, 21500, 16));
  const auto buy = place(x, limit("bid", Side::buy, 21600, 24));  // crosses: 16 trade, 8 rest

  const auto xf = x.expect<wire::Fill>();
  CHECK(xf->order_id() == buy->order_id());
  CHECK(sv(xf->instrument()) == h100());
  CHECK(xf->side() == wire::Side::buy);
  CHECK(xf->aggressor());
  CHECK(xf->price() == 21500);  // the resting order's price
  CHECK(xf->qty() == 16);
  CHECK(xf->leaves() == 8);

  const auto mf = m.expect<wire::Fill>();
  CHECK(mf->order_id() == sell->order_id());
  CHECK(sv(mf->instrument()) == h100());
  CHECK(mf->side() == wire::Side::sell);
  CHECK_FALSE(mf->aggressor());
  CHECK(mf->price() == 21500);
  CHECK(mf->qty() == 16);
  CHECK(mf->leaves() == 0);

  // One trade: the same (seq, match) and time on both sides.
  CHECK(mf->seq() == xf->seq());
  CHECK(mf->match() == xf->match());
  CHECK(mf->ts() == xf->ts());
  CHECK(xf->seq() == buy->seq());

  // The rest of the buy trades later against a new sell: now the maker is the aggressor.
  const auto sell2 = place(m, limit("ask2", Side::sell, 21600, 8));
  const auto mf2 = m.expect<wire::Fill>();
  CHECK(mf2->order_id() == sell2->order_id());
  CHECK(mf2->aggressor());
  CHECK(mf2->price() == 21600);
  const auto xf2 = x.expect<wire::Fill>();
  CHECK(xf2->order_id() == buy->order_id());
  CHECK_FALSE(xf2->aggressor());
  CHECK(xf2->leaves() == 0);

  // Neither side saw anything of the other's.
  x.expect_quiet(50ms);
  m.expect_quiet(1ms);
}

// ==== market data ===============================================================================

TEST_CASE("gateway: market data: snapshot, then updates and public trades", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client m = server.login("maker-1");
  Client x = server.login("lab-x");
  Client sub = server.login("lab-z");

  place(m, limit("b1", Side::buy, 21000, 8));
  place(m, limit("b2", Side::buy, 21000, 16));
  place(m, limit("b3", Side::buy, 20900, 8));
  place(m, limit("a1", Side::sell, 21500, 24));
  Command ice = limit("a2", Side::sell, 21600, 64);
  ice.has_display_qty = true;
  ice.display_qty = 16;
  place(m, ice);
  sync(m);  // every level update of those orders is in the server's mirror now

  const auto snap = subscribe(sub);
  CHECK(snap->seq() > 0);
  L2 book = L2::of(*snap);
  L2 want;
  want.bids = {{21000, {24, 2}}, {20900, {8, 1}}};
  want.asks = {{21500, {24, 1}}, {21600, {16, 1}}};  // the iceberg shows its clip only
  INFO("snapshot: " << book.str());
  CHECK(book == want);
  // The other instrument is empty.
  {
    Client sub2 = server.login("lab-y");
    const auto s2 = subscribe(sub2, h200());
    CHECK(s2->bids()->size() == 0);
    CHECK(s2->asks()->size() == 0);
  }

  // A new level, then a trade: PublicTrade, then the level it changed.
  place(m, limit("b4", Side::buy, 21100, 8));
  {
    const auto u = sub.expect<wire::BookUpdate>();
    CHECK(u->seq() > snap->seq());
    CHECK(sv(u->instrument()) == h100());
    CHECK(u->side() == wire::Side::buy);
    CHECK(u->level()->price() == 21100);
    CHECK(u->level()->qty() == 8);
    CHECK(u->level()->orders() == 1);
    book.apply(*u);
  }
  x.send(limit("x1", Side::buy, 21500, 8));
  {
    const auto t = sub.expect<wire::PublicTrade>();
    CHECK(sv(t->instrument()) == h100());
    CHECK(t->price() == 21500);
    CHECK(t->qty() == 8);
    CHECK(t->aggressor() == wire::Side::buy);
    CHECK(t->match() == 1);
    const auto u = sub.expect<wire::BookUpdate>();
    CHECK(u->seq() == t->seq());
    CHECK(u->side() == wire::Side::sell);
    CHECK(u->level()->price() == 21500);
    CHECK(u->level()->qty() == 16);
    CHECK(u->level()->orders() == 1);
    book.apply(*u);
  }
  // A cancel that empties a level: orders == 0.
  m.send(cancel_cl("b3"));
  {
    const auto u = sub.expect<wire::BookUpdate>();
    CHECK(u->side() == wire::Side::buy);
    CHECK(u->level()->price() == 20900);
    CHECK(u->level()->orders() == 0);
    book.apply(*u);
  }
  // A sweep across two levels: two public trades, then each changed level once.
  x.send(with_tif(limit("x2", Side::buy, 21600, 24), Tif::ioc));
  {
    const auto t1 = sub.expect<wire::PublicTrade>();
    CHECK(t1->price() == 21500);
    CHECK(t1->qty() == 16);
    const auto t2 = sub.expect<wire::PublicTrade>();
    CHECK(t2->price() == 21600);
    CHECK(t2->qty() == 8);
    CHECK(t2->seq() == t1->seq());
    CHECK(t2->match() == t1->match() + 1);
    // Each changed level once, after the command.
    for (int i = 0; i < 2; ++i) {
      const auto u = sub.expect<wire::BookUpdate>();
      CHECK(u->seq() == t1->seq());
      book.apply(*u);
    }
  }
  want.bids = {{21100, {8, 1}}, {21000, {24, 2}}};
  want.asks = {{21600, {8, 1}}};  // what is left of the iceberg's clip
  INFO("rebuilt: " << book.str());
  CHECK(book == want);

  // A fresh snapshot agrees with the book rebuilt from the updates.
  sync(m);
  sync(x);
  Client sub3 = server.login("lab-y");
  CHECK(L2::of(*subscribe(sub3)) == book);

  // Unsubscribed: no more updates.
  sub.send(sub.enc.subscribe(h100(), false));
  sync(sub);
  place(m, limit("b5", Side::buy, 20000, 8));
  sync(m);
  sub.expect_quiet(100ms);
  sub3.expect<wire::BookUpdate>();  // still subscribed
}

TEST_CASE("gateway: snapshots taken under load agree with the updates around them", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client m = server.login("maker-1");
  Client sub = server.login("lab-z");

  // Bursts of non-crossing orders and cancels from the maker; while the engine works through
  // each, the subscriber subscribes again and again, and each Subscribe brings a fresh
  // snapshot into its stream: snapshot, updates, snapshot, updates, ...
  std::mt19937 rng(7);
  std::vector<std::string> resting;
  int next = 0;
  constexpr int kRounds = 12;
  constexpr int kBurst = 1000;
  constexpr int kResubs = 20;
  int snapshots_asked = 0;
  for (int round = 0; round <= kRounds; ++round) {
    Bytes out;
    for (int i = 0; i < kBurst && round < kRounds; ++i) {
      std::span<const std::uint8_t> f;
      if (!resting.empty() && rng() % 3 == 0) {
        const std::size_t k = rng() % resting.size();
        f = m.enc.command(cancel_cl(resting[k]));
        resting.erase(resting.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        const bool buy = rng() % 2 == 0;
        const Price p = buy ? 20000 + 10 * Price(rng() % 50) : 21000 + 10 * Price(rng() % 50);
        const std::string cl = test::live_numbered("o", next++);
        f = m.enc.command(limit(cl, buy ? Side::buy : Side::sell, p, 8 * Qty(1 + rng() % 4)));
        resting.push_back(cl);
      }
      out.insert(out.end(), f.begin(), f.end());
    }
    if (round == kRounds) sync(m);  // the last snapshot is taken when the market is quiet
    else REQUIRE(m.write(out));
    // Re-subscribe at many points of the engine's work on the burst.
    const int resubs = round == kRounds ? 1 : kResubs;
    for (int k = 0; k < resubs; ++k) {
      sub.send(sub.enc.subscribe(h100()));
      ++snapshots_asked;
      std::this_thread::sleep_for(std::chrono::microseconds(30));
    }
  }

  // The subscriber's stream: snapshots, each followed by the updates routed after it.
  std::size_t stale = 0, updates = 0;
  int snapshots = 0;
  Seq snap_seq = 0, last_update_seq = 0;
  std::string first_stale;
  L2 book;
  while (snapshots < snapshots_asked) {
    Frame f;
    REQUIRE(sub.read(f) == Client::Read::frame);
    if (f.type() == wire::Body::Heartbeat) continue;
    if (f.type() == wire::Body::BookSnapshot) {
      const auto* s = f.as<wire::BookSnapshot>();
      const L2 next_book = L2::of(*s);
      if (snapshots > 0) {
        // Applying every update that followed a snapshot gives the next one.
        INFO("snapshot " << snapshots << ": " << next_book.str());
        INFO("rebuilt:    " << book.str());
        CHECK(book == next_book);
        CHECK(s->seq() >= snap_seq);
      }
      book = next_book;
      if (s->seq() < last_update_seq && first_stale.empty())
        first_stale = "snapshot seq " + std::to_string(s->seq()) + " after an update of seq " +
                      std::to_string(last_update_seq);
      snap_seq = s->seq();
      ++snapshots;
      continue;
    }
    REQUIRE(f.type() == wire::Body::BookUpdate);
    const auto* u = f.as<wire::BookUpdate>();
    book.apply(*u);
    ++updates;
    // An update routed after a snapshot was not in it: the snapshot's seq must be older, or a
    // client that drops updates up to the snapshot's seq (the usual recipe) loses this one.
    if (u->seq() <= snap_seq && stale++ == 0 && first_stale.empty())
      first_stale = "update seq " + std::to_string(u->seq()) + " after a snapshot of seq " + std::to_string(snap_seq) +
                    " (the update before it: seq " + std::to_string(last_update_seq) + ")";
    last_update_seq = u->seq();
  }
  INFO(updates << " updates, " << stale << " of them with a seq <= that of the snapshot before them");
  INFO("first: " << first_stale);
  CHECK(stale == 0);
  CHECK(updates > 0);
}

// ==== isolation =================================================================================

TEST_CASE("gateway: accounts are isolated from each other", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client x = server.login("lab-x");
  Client y = server.login("lab-y");

  const auto xo = place(x, limit("mine", Side::buy, 21000, 8));

  // lab-y can neither cancel nor replace lab-x's order, by order_id or by cl_id.
  y.send(cancel_id(xo->order_id()));
  CHECK(y.expect<wire::CancelRejected>()->reason() == wire::Reason::unknown_order);
  y.send(cancel_cl("mine"));
  CHECK(y.expect<wire::CancelRejected>()->reason() == wire::Reason::unknown_order);
  y.send(replace_id(xo->order_id(), 21010, 8));
  CHECK(y.expect<wire::ReplaceRejected>()->reason() == wire::Reason::unknown_order);
  y.send(mass_cancel());  // finds nothing of lab-y's
  sync(y);
  CHECK(y.skipped.empty());

  // lab-x heard nothing of it, and its order is intact: it trades in full.
  x.expect_quiet(50ms);
  const auto ya = place(y, limit("hit", Side::sell, 21000, 8));
  const auto yf = y.expect<wire::Fill>();
  CHECK(yf->order_id() == ya->order_id());
  CHECK(yf->qty() == 8);
  const auto xf = x.expect<wire::Fill>();
  CHECK(xf->order_id() == xo->order_id());
  CHECK(xf->qty() == 8);
  CHECK(xf->leaves() == 0);

  // The same cl_id in two accounts names two orders.
  const auto x2 = place(x, limit("same", Side::buy, 20000, 8));
  const auto y2 = place(y, limit("same", Side::buy, 20010, 8));
  CHECK(x2->order_id() != y2->order_id());
  y.send(cancel_cl("same"));
  CHECK(y.expect<wire::Canceled>()->order_id() == y2->order_id());

  // lab-x's own reports never reach lab-y: lab-x trades, cancels, is rejected; lab-y, which
  // then places an order, hears only about that order.
  x.send(limit("bad", Side::buy, 21000, 3));
  x.expect<wire::Rejected>();
  x.send(cancel_cl("same"));
  x.expect<wire::Canceled>();
  place(y, limit("y-last", Side::buy, 20000, 8));
  y.expect_quiet(50ms);
}

TEST_CASE("gateway: list_orders answers with the account's own open orders only", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client x = server.login("lab-x");
  Client y = server.login("lab-y");

  const auto plain = place(x, limit("plain", Side::buy, 20000, 16));
  Command ice = with_tif(limit("ice", Side::sell, 30000, 24, h200()), Tif::gtd);
  ice.has_expire_ts = true;
  ice.expire_ts = now_ns() + 3'600'000'000'000;
  ice.has_display_qty = true;
  ice.display_qty = 8;
  const auto iced = place(x, ice);
  const auto gone = place(x, limit("gone", Side::buy, 20010, 8));
  x.send(cancel_cl("gone"));
  x.expect<wire::Canceled>();
  place(y, limit("theirs", Side::buy, 20000, 8));

  x.send(x.enc.list_orders());
  const auto first = x.expect<wire::OpenOrder>();
  CHECK(first->order_id() == plain->order_id());
  CHECK(sv(first->cl_id()) == "plain");
  CHECK(sv(first->instrument()) == h100());
  CHECK(first->side() == wire::Side::buy);
  CHECK(first->price() == 20000);
  CHECK(first->qty() == 16);
  CHECK(first->shown() == 16);
  CHECK(first->tif() == wire::Tif::gtc);
  CHECK(!first->expire_ts().has_value());
  CHECK(!first->display_qty().has_value());
  const auto second = x.expect<wire::OpenOrder>();
  CHECK(second->order_id() == iced->order_id());
  CHECK(sv(second->instrument()) == h200());
  CHECK(second->side() == wire::Side::sell);
  CHECK(second->qty() == 24);
  CHECK(second->shown() == 8);
  CHECK(second->tif() == wire::Tif::gtd);
  CHECK(second->expire_ts() == ice.expire_ts);
  CHECK(second->display_qty() == 8);
  const auto end = x.expect<wire::OpenOrdersEnd>();
  CHECK(end->count() == 2);
  CHECK(end->seq() >= gone->seq());
  CHECK(first->seq() == end->seq());

  // One instrument only; an instrument with none of the account's orders; another account.
  x.send(x.enc.list_orders(h200()));
  CHECK(x.expect<wire::OpenOrder>()->order_id() == iced->order_id());
  CHECK(x.expect<wire::OpenOrdersEnd>()->count() == 1);
  x.send(x.enc.list_orders(test::live_symbol("B200.DAL1")));
  CHECK(x.expect<wire::OpenOrdersEnd>()->count() == 0);
  y.send(y.enc.list_orders());
  CHECK(sv(y.expect<wire::OpenOrder>()->cl_id()) == "theirs");
  CHECK(y.expect<wire::OpenOrdersEnd>()->count() == 1);

  // A fill shows in the next answer: the open quantity is what is left.
  place(y, limit("hit", Side::sell, 20000, 8));
  x.expect<wire::Fill>();
  x.send(x.enc.list_orders(h100()));
  const auto after = x.expect<wire::OpenOrder>();
  CHECK(after->qty() == 8);
  CHECK(x.expect<wire::OpenOrdersEnd>()->count() == 1);
}

// ==== operator commands =========================================================================

TEST_CASE("gateway: halt and resume are operator-only and reach every session", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client ops = server.login("ops");
  Client m = server.login("maker-1");
  Client z = server.login("lab-z");

  // A trader's operator commands are refused and change nothing; the reject does not close
  // the trader's session.
  Client x = server.login("lab-x");
  x.send(halt(true, h100()));
  CHECK(x.expect<wire::ProtocolReject>()->reason() == wire::Reason::not_operator);
  x.send(kill(true, "maker-1"));
  CHECK(x.expect<wire::ProtocolReject>()->reason() == wire::Reason::not_operator);
  x.send(halt(false, {}, "H100.MEM1"));
  CHECK(x.expect<wire::ProtocolReject>()->reason() == wire::Reason::not_operator);
  x.send(kill(false, "lab-x"));
  CHECK(x.expect<wire::ProtocolReject>()->reason() == wire::Reason::not_operator);
  place(x, limit("x-ok", Side::buy, 20000, 8));
  place(m, limit("ok", Side::buy, 21000, 8));
  z.expect_quiet(20ms);  // no Halted, no Killed went out

  // The operator's halt: Halted to every logged-in session, then new orders on it are rejected.
  ops.send(halt(true, h100()));
  for (Client* c : {&ops, &m, &z, &x}) {
    const auto h = c->expect<wire::Halted>();
    CHECK(sv(h->instrument()) == h100());
    CHECK(h->product() == nullptr);
    CHECK(h->seq() > 0);
  }
  m.send(limit("late", Side::buy, 21000, 8));
  {
    const auto r = m.expect<wire::Rejected>();
    CHECK(sv(r->cl_id()) == "late");
    CHECK(r->reason() == wire::Reason::halted);
  }
  // Other instruments trade; cancels go on while halted.
  place(m, limit("other", Side::buy, 29000, 8, h200()));
  m.send(cancel_cl("ok"));
  CHECK(m.expect<wire::Canceled>()->reason() == wire::Reason::user);

  // Resume reaches everyone too, and trading is back.
  ops.send(halt(false, h100()));
  for (Client* c : {&ops, &m, &z}) CHECK(sv(c->expect<wire::Resumed>()->instrument()) == h100());
  place(m, limit("back", Side::buy, 21000, 8));

  // A product halt names the product.
  ops.send(halt(true, {}, "H200.MEM1"));
  for (Client* c : {&ops, &m, &z}) {
    const auto h = c->expect<wire::Halted>();
    CHECK(h->instrument() == nullptr);
    CHECK(sv(h->product()) == "H200.MEM1");
  }
  m.send(limit("h200", Side::buy, 29000, 8, h200()));
  CHECK(m.expect<wire::Rejected>()->reason() == wire::Reason::halted);
}

TEST_CASE("gateway: kill by the operator cancels the account's orders", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client ops = server.login("ops");
  Client m = server.login("maker-1");
  Client x = server.login("lab-x");
  Client sub = server.login("lab-z");

  const auto o1 = place(m, limit("k1", Side::buy, 21000, 8));
  const auto o2 = place(m, limit("k2", Side::sell, 21500, 16, h100()));
  const auto xo = place(x, limit("x-stays", Side::buy, 20900, 8));
  sync(m);
  sync(x);
  L2 book = L2::of(*subscribe(sub));
  CHECK(book.bids.size() == 2);
  CHECK(book.asks.size() == 1);

  ops.send(kill(true, "maker-1"));
  {
    const auto k = ops.expect<wire::Killed>();
    CHECK(sv(k->account()) == "maker-1");
  }
  CHECK(sv(m.expect<wire::Killed>()->account()) == "maker-1");
  for (const OrderId id : {o1->order_id(), o2->order_id()}) {
    const auto c = m.expect<wire::Canceled>();
    CHECK(c->order_id() == id);
    CHECK(c->reason() == wire::Reason::kill);
  }
  // The book lost both of maker-1's levels and kept lab-x's.
  for (int i = 0; i < 2; ++i) book.apply(*sub.expect<wire::BookUpdate>());
  INFO(book.str());
  CHECK(book.bids == decltype(book.bids){{20900, {8, 1}}});
  CHECK(book.asks.empty());
  m.send(limit("k3", Side::buy, 21000, 8));
  CHECK(m.expect<wire::Rejected>()->reason() == wire::Reason::killed);
  // Another trader is not told, and its order is untouched.
  place(x, limit("x-probe", Side::buy, 20800, 8));
  x.send(cancel_id(xo->order_id()));
  CHECK(x.expect<wire::Canceled>()->reason() == wire::Reason::user);

  ops.send(kill(false, "maker-1"));
  CHECK(sv(ops.expect<wire::Unkilled>()->account()) == "maker-1");
  CHECK(sv(m.expect<wire::Unkilled>()->account()) == "maker-1");
  place(m, limit("k4", Side::buy, 21000, 8));
}

// ==== cancel-on-disconnect ======================================================================

TEST_CASE("gateway: a drop copy hears every account's reports and cannot trade", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client audit = server.login("audit");
  Client x = server.login("lab-x");
  Client y = server.login("lab-y");

  const auto xo = place(x, limit("x1", Side::buy, 21000, 8));
  const auto copy = audit.expect<wire::Accepted>();
  CHECK(copy->order_id() == xo->order_id());
  CHECK(sv(copy->account()) == "lab-x");
  CHECK(sv(xo->account()) == "lab-x");

  place(y, limit("y1", Side::sell, 21000, 8));
  CHECK(sv(audit.expect<wire::Accepted>()->account()) == "lab-y");
  const auto buy = audit.expect<wire::Fill>();
  const auto sell = audit.expect<wire::Fill>();
  CHECK(sv(buy->account()) == "lab-x");
  CHECK(buy->side() == wire::Side::buy);
  CHECK(sv(sell->account()) == "lab-y");
  CHECK(sell->side() == wire::Side::sell);
  CHECK(buy->seq() == sell->seq());
  CHECK(sv(x.expect<wire::Fill>()->account()) == "lab-x");
  CHECK(sv(y.expect<wire::Fill>()->account()) == "lab-y");

  x.send(limit("bad", Side::buy, 21000, 3));
  CHECK(sv(audit.expect<wire::Rejected>()->account()) == "lab-x");
  x.expect<wire::Rejected>();

  // Read-only: an order is refused, and nothing was sequenced for it.
  audit.send(limit("a1", Side::buy, 21000, 8));
  CHECK(audit.expect<wire::ProtocolReject>()->reason() == wire::Reason::read_only);
  x.expect_quiet(50ms);
}

TEST_CASE("gateway: without a journal a resend is refused, with a failed journal every command is", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client x = server.login("lab-x");
  x.send(x.enc.resend(0));
  CHECK(x.expect<wire::ProtocolReject>()->reason() == wire::Reason::resend_unavailable);

  const gpux::test::TempDir temp("gpux-gateway-failed-journal");
  Server journaled(backend, test_sessions(), test_transport(), temp.path());
  Client y = journaled.login("lab-y");
  journaled.pipeline().journal().fail();  // what the journal thread does on ENOSPC or EIO
  y.send(limit("y1", Side::buy, 21000, 8));
  const auto r = y.expect<wire::Rejected>();
  CHECK(r->reason() == wire::Reason::journal_unavailable);
  CHECK(r->seq() == 0);
  y.send(cancel_cl("y1"));
  CHECK(y.expect<wire::CancelRejected>()->reason() == wire::Reason::journal_unavailable);
}

TEST_CASE("gateway: with a journal, reports missed while away are resent, also after a restart", "[gateway]") {
  GATEWAY_BACKEND(backend);
  const gpux::test::TempDir temp("gpux-gateway-journal");
  const std::string& dir = temp.path();

  Seq accepted_seq = 0;
  OrderId resting = 0;
  {
    Server server(backend, test_sessions(), test_transport(), dir);
    {
      Client x = server.login("lab-x");
      const auto a = place(x, limit("x1", Side::buy, 21000, 24));
      accepted_seq = a->seq();
      resting = a->order_id();
    }
    // lab-x is away: half its order trades.
    Client y = server.login("lab-y");
    place(y, limit("y1", Side::sell, 21000, 8));
    const auto yf = y.expect<wire::Fill>();

    Client x = server.relogin("lab-x");
    x.send(x.enc.resend(accepted_seq));
    const auto missed = x.expect<wire::Fill>();
    CHECK(missed->seq() == yf->seq());
    CHECK(missed->order_id() == resting);
    CHECK(missed->leaves() == 16);
    const auto done = x.expect<wire::ResendDone>();
    CHECK(done->since_seq() == accepted_seq);
    CHECK(done->through_seq() >= yf->seq());

    // From 0: the whole story, in order.
    x.send(x.enc.resend(0));
    CHECK(x.expect<wire::Accepted>()->order_id() == resting);
    CHECK(x.expect<wire::Fill>()->seq() == yf->seq());
    x.expect<wire::ResendDone>();

    // Live reports go on after a resend.
    place(y, limit("y2", Side::sell, 21000, 8));
    CHECK(x.expect<wire::Fill>()->leaves() == 8);
  }

  // A restart recovers the book from the journal (and snapshots), and resends still work.
  Server server(backend, test_sessions(), test_transport(), dir);
  Client x = server.login("lab-x");
  x.send(x.enc.list_orders());
  const auto open = x.expect<wire::OpenOrder>();
  CHECK(open->order_id() == resting);
  CHECK(open->qty() == 8);
  x.expect<wire::OpenOrdersEnd>();
  x.send(x.enc.resend(0));
  CHECK(x.expect<wire::Accepted>()->order_id() == resting);
  CHECK(x.expect<wire::Fill>()->leaves() == 16);
  CHECK(x.expect<wire::Fill>()->leaves() == 8);
  x.expect<wire::ResendDone>();
  Client y = server.login("lab-y");
  place(y, limit("y3", Side::sell, 21000, 8));
  CHECK(x.expect<wire::Fill>()->leaves() == 0);
}

TEST_CASE("gateway: cancel-on-disconnect", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client sub = server.login("lab-z");
  Client y = server.login("lab-y");
  subscribe(sub);

  SECTION("cancel_all_on_disconnect=true: the dropped session's resting orders go") {
    Client x = server.login("lab-x", true);
    place(x, limit("gtc", Side::buy, 21000, 8));
    Command g = with_tif(limit("gtd", Side::buy, 20900, 8), Tif::gtd);
    g.has_expire_ts = true;
    g.expire_ts = now_ns() + 3'600'000'000'000;
    place(x, g);
    for (int i = 0; i < 2; ++i) CHECK(sub.expect<wire::BookUpdate>()->level()->orders() == 1);
    x.close();
    // Both levels empty out.
    L2 book;
    book.bids = {{21000, {8, 1}}, {20900, {8, 1}}};
    for (int i = 0; i < 2; ++i) book.apply(*sub.expect<wire::BookUpdate>());
    INFO(book.str());
    CHECK(book.bids.empty());
    // Nothing is left to cross with.
    y.send(with_tif(limit("cross", Side::sell, 20900, 16), Tif::ioc));
    y.expect<wire::Accepted>();
    const auto c = y.expect<wire::Canceled>();
    CHECK(c->reason() == wire::Reason::ioc);
    CHECK(c->leaves() == 16);
    // Logged in again, lab-x hears of nothing more.
    Client again = server.relogin("lab-x");
    again.expect_quiet(50ms);
  }
  SECTION("by default (false) gtc and gtd orders stay") {
    Client x = server.login("lab-x");
    const auto gtc = place(x, limit("gtc", Side::buy, 21000, 8));
    Command g = with_tif(limit("gtd", Side::buy, 20900, 8), Tif::gtd);
    g.has_expire_ts = true;
    g.expire_ts = now_ns() + 3'600'000'000'000;
    const auto gtd = place(x, g);
    for (int i = 0; i < 2; ++i) sub.expect<wire::BookUpdate>();
    x.close();
    // Once the account can log in again, the server has handled the drop.
    Client again = server.relogin("lab-x");
    sub.expect_quiet(50ms);
    y.send(limit("cross", Side::sell, 20900, 16));
    y.expect<wire::Accepted>();
    CHECK(y.expect<wire::Fill>()->price() == 21000);
    CHECK(y.expect<wire::Fill>()->price() == 20900);
    // The new session of the account gets the fills of the old one's orders.
    CHECK(again.expect<wire::Fill>()->order_id() == gtc->order_id());
    CHECK(again.expect<wire::Fill>()->order_id() == gtd->order_id());
  }
  SECTION("a truncated frame, then the drop: the partial frame is discarded, the orders canceled") {
    Client x = server.login("lab-x", true);
    place(x, limit("gtc", Side::buy, 21000, 8));
    sub.expect<wire::BookUpdate>();
    const auto frame = x.enc.command(limit("never", Side::buy, 20500, 8));
    REQUIRE(x.write(frame.first(frame.size() / 2)));
    std::this_thread::sleep_for(20ms);
    x.close();
    const auto u = sub.expect<wire::BookUpdate>();
    CHECK(u->level()->price() == 21000);
    CHECK(u->level()->orders() == 0);
    sub.expect_quiet(50ms);  // in particular no order at 20500
  }
}

// ==== malformed frames ==========================================================================

TEST_CASE("gateway: malformed frames are refused and close only their own connection", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client m = server.login("maker-1");
  Client sub = server.login("lab-z");
  subscribe(sub);
  place(m, limit("before", Side::buy, 21000, 8));
  sub.expect<wire::BookUpdate>();

  std::mt19937 rng(1234);
  auto random_bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& v : b) v = static_cast<std::uint8_t>(rng());
    return b;
  };
  ClientEncoder enc;
  auto valid_login = [&] {
    const auto f = enc.login("lab-x", "demo");
    return Bytes(f.begin(), f.end());
  };

  struct Case {
    const char* name;
    Bytes bytes;
    wire::Reason reason;
  };
  std::vector<Case> cases;
  {
    Bytes body = random_bytes(64);
    body[4] = 'Z';  // whatever else, not "GPUX"
    cases.push_back({"random bytes after a valid header", raw_frame(body), wire::Reason::wrong_identifier});
  }
  {
    Bytes junk = random_bytes(32);
    junk[3] = 0xA5;  // the "length" is far above the limit
    cases.push_back({"random bytes from the first byte", junk, wire::Reason::too_large});
  }
  {
    Bytes f = valid_login();
    REQUIRE(f.size() > kFrameHeader + 8);
    f[kFrameHeader + 4] = 'X';  // "XPUX"
    f[kFrameHeader + 5] = 'P';
    cases.push_back({"a wrong file identifier", f, wire::Reason::wrong_identifier});
  }
  {
    Bytes body = random_bytes(48);
    const std::uint32_t root = 0x7FFFFF00;  // the root table lies far outside the buffer
    std::memcpy(body.data(), &root, 4);
    std::memcpy(body.data() + 4, "GPUX", 4);
    cases.push_back({"the identifier, then garbage", raw_frame(body), wire::Reason::malformed});
  }
  cases.push_back({"an unknown union type", envelope_frame([](flatbuffers::FlatBufferBuilder& fbb) {
                     const auto hb = wire::CreateHeartbeat(fbb);
                     return wire::CreateEnvelope(fbb, static_cast<wire::Body>(200), hb.Union());
                   }),
                   wire::Reason::unknown_message});
  cases.push_back({"a server-to-client message", envelope_frame([](flatbuffers::FlatBufferBuilder& fbb) {
                     const auto fill = wire::CreateFill(fbb, 1, 2, 1, 5);
                     return wire::CreateEnvelope(fbb, wire::Body::Fill, fill.Union());
                   }),
                   wire::Reason::unknown_message});
  cases.push_back({"a NONE body", envelope_frame([](flatbuffers::FlatBufferBuilder& fbb) {
                     return wire::CreateEnvelope(fbb, wire::Body::NONE, 0);
                   }),
                   wire::Reason::unknown_message});
  {
    Bytes f = header(kMaxClientFrame + 1);
    const Bytes tail = random_bytes(16);
    f.insert(f.end(), tail.begin(), tail.end());
    cases.push_back({"a length header just above the limit", f, wire::Reason::too_large});
  }
  cases.push_back({"a length header of 4 GiB", header(0xFFFFFFFF), wire::Reason::too_large});
  cases.push_back({"a length header of 0", header(0), wire::Reason::too_large});
  {
    const auto f = enc.login("bad name!", "demo");
    cases.push_back({"a login whose account breaks the syntax", Bytes(f.begin(), f.end()), wire::Reason::bad_field});
  }
  {
    Command c = limit("x", Side::buy, 21000, 8);
    c.cl_id.assign("");
    const auto f = enc.command(c);
    cases.push_back({"an order with an empty cl_id", Bytes(f.begin(), f.end()), wire::Reason::bad_field});
  }

  for (bool logged_in : {false, true}) {
    for (const Case& c : cases) {
      CAPTURE(c.name, logged_in);
      Client bad = logged_in ? server.relogin("lab-x") : server.connect();
      REQUIRE(bad.write(c.bytes));
      expect_reject_then_close(bad, c.reason);
    }
  }

  {
    INFO("in one write: a valid order, a bad frame, another order: the first is acted on, the last ignored");
    Client bad = server.relogin("lab-x");
    Bytes out;
    auto f = bad.enc.command(limit("pre", Side::buy, 20500, 8));
    out.insert(out.end(), f.begin(), f.end());
    const Bytes zero = header(0);
    out.insert(out.end(), zero.begin(), zero.end());
    f = bad.enc.command(limit("post", Side::buy, 20600, 8));
    out.insert(out.end(), f.begin(), f.end());
    REQUIRE(bad.write(out));
    // The reject goes out at once, ahead of "pre"'s report, which is still in the engine and
    // is lost with the connection; the book shows that "pre" was acted on.
    expect_reject_then_close(bad, wire::Reason::too_large);
    const auto u = sub.expect<wire::BookUpdate>();
    CHECK(u->level()->price() == 20500);
  }
  {
    INFO("a truncated frame, then the client closes");
    Client bad = server.connect();
    const Bytes f = valid_login();
    REQUIRE(bad.write(std::span(f).first(f.size() - 3)));
    std::this_thread::sleep_for(20ms);
    bad.close();
  }
  {
    INFO("a truncated frame, then the client half-closes: the server closes, silently");
    Client bad = server.relogin("lab-x");
    const auto f = bad.enc.command(limit("half", Side::buy, 20000, 8));
    REQUIRE(bad.write(f.first(10)));
    bad.shutdown_write();
    bad.expect_closed();
  }

  // The other sessions noticed nothing and still work.
  m.expect_quiet(20ms);
  sub.expect_quiet(1ms);
  place(m, limit("after", Side::buy, 21010, 8));
  const auto u = sub.expect<wire::BookUpdate>();
  CHECK(u->level()->price() == 21010);
  // "before", "pre" and "after"; "post", "half" and the rest never reached the book.
  const L2 book = L2::of(*subscribe(sub));
  INFO(book.str());
  CHECK(book.bids.size() == 3);
  CHECK(book.bids.count(20600) == 0);
}

TEST_CASE("gateway: frames split into 1-byte writes and merged into one write", "[gateway]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client c = server.connect();

  auto dribble = [&](std::span<const std::uint8_t> f) {
    for (std::size_t i = 0; i < f.size(); ++i) {
      REQUIRE(c.write(f.subspan(i, 1)));
      if (i % 8 == 7) std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  };
  {
    const auto login = c.enc.login("lab-x", "demo");
    dribble(Bytes(login.begin(), login.end()));
  }
  CHECK(sv(c.expect<wire::LoginAccepted>()->account()) == "lab-x");
  {
    const auto f = c.enc.command(limit("slow", Side::buy, 21000, 8));
    dribble(Bytes(f.begin(), f.end()));
  }
  const auto a = c.expect<wire::Accepted>();
  CHECK(sv(a->cl_id()) == "slow");
  CHECK(a->price() == 21000);

  // Three frames in one write, the last one split across two writes.
  Bytes batch;
  for (const char* cl : {"one", "two", "three"}) {
    const auto f = c.enc.command(limit(cl, Side::buy, 20000, 8));
    batch.insert(batch.end(), f.begin(), f.end());
  }
  REQUIRE(c.write(std::span(batch).first(batch.size() - 5)));
  std::this_thread::sleep_for(20ms);
  REQUIRE(c.write(std::span(batch).last(5)));
  for (const char* cl : {"one", "two", "three"}) CHECK(sv(c.expect<wire::Accepted>()->cl_id()) == cl);
}

// ==== throttling ================================================================================

TEST_CASE("gateway: a session over its rate is throttled", "[gateway]") {
  GATEWAY_BACKEND(backend);
  SessionConfig config = test_sessions();
  config.orders_per_sec = 5;
  config.burst = 3;
  Server server(backend, config);
  Client c = server.login("lab-x");

  // A trader's operator commands are refused without costing a token, and the session stays.
  for (int i = 0; i < 3; ++i) c.send(halt(true, h100()));
  for (int i = 0; i < 3; ++i) CHECK(c.expect<wire::ProtocolReject>()->reason() == wire::Reason::not_operator);

  // Four orders at once: the bucket holds three.
  Bytes batch;
  for (int i = 1; i <= 4; ++i) {
    const auto f = c.enc.command(limit(test::live_numbered("o", i), Side::buy, 20000 + 10 * i, 8));
    batch.insert(batch.end(), f.begin(), f.end());
  }
  REQUIRE(c.write(batch));
  std::vector<std::string> accepted;
  std::vector<std::string> throttled;
  for (int i = 0; i < 4; ++i) {
    Frame f;
    Client::Read r;
    do r = c.read(f); while (r == Client::Read::frame && f.type() == wire::Body::Heartbeat);
    REQUIRE(r == Client::Read::frame);
    INFO(describe(f));
    if (f.type() == wire::Body::Accepted) {
      accepted.emplace_back(sv(f.as<wire::Accepted>()->cl_id()));
    } else {
      REQUIRE(f.type() == wire::Body::Rejected);
      const auto* rj = f.as<wire::Rejected>();
      CHECK(rj->reason() == wire::Reason::throttled);
      CHECK(rj->seq() == 0);
      CHECK(rj->ts() == 0);
      throttled.emplace_back(sv(rj->cl_id()));
    }
  }
  std::sort(accepted.begin(), accepted.end());
  CHECK(accepted == std::vector<std::string>{"o1", "o2", "o3"});
  CHECK(throttled == std::vector<std::string>{"o4"});

  // A cancel with an empty bucket is throttled as a CancelRejected.
  c.send(cancel_cl("o1"));
  {
    const auto r = c.expect<wire::CancelRejected>();
    CHECK(r->reason() == wire::Reason::throttled);
    CHECK(sv(r->cl_id()) == "o1");
  }
  // So is a replace, as a ReplaceRejected, and a mass cancel, as a ProtocolReject that does
  // not close the connection.
  c.send(replace_cl("o2", 20100, 8));
  {
    const auto r = c.expect<wire::ReplaceRejected>();
    CHECK(r->reason() == wire::Reason::throttled);
    CHECK(r->seq() == 0);
  }
  c.send(mass_cancel());
  CHECK(c.expect<wire::ProtocolReject>()->reason() == wire::Reason::throttled);
  // The bucket refills at 5 per second: after 300 ms there is a token again.
  std::this_thread::sleep_for(300ms);
  c.send(cancel_cl("o1"));
  CHECK(c.expect<wire::Canceled>()->reason() == wire::Reason::user);
}

// ==== slow consumers ============================================================================

TEST_CASE("gateway: a subscriber that never reads is cut off while the trader goes on", "[gateway]") {
  GATEWAY_BACKEND(backend);
  TransportConfig transport = test_transport();
  transport.max_queued_bytes = 64 << 10;
  Server server(backend, test_sessions(), transport);
  Client m = server.login("maker-1");
  Client slow = server.login("lab-z", false, 4096);
  subscribe(slow);  // then never reads again

  // New-then-cancel pairs: each gives the subscriber a level update and the trader two reports,
  // which the trader reads batch by batch.
  constexpr int kBatch = 100;
  constexpr int kMaxBatches = 200;
  int batches = 0;
  bool cut = false;
  std::uint64_t reports = 0;
  for (; batches < kMaxBatches && !cut; ++batches) {
    Bytes out;
    for (int i = 0; i < kBatch; ++i) {
      const std::string cl = test::live_numbered("c", i);
      const Price p = 20000 + 10 * Price((batches * kBatch + i) % 100);
      auto f = m.enc.command(limit(cl, Side::buy, p, 8));
      out.insert(out.end(), f.begin(), f.end());
      f = m.enc.command(cancel_cl(cl));
      out.insert(out.end(), f.begin(), f.end());
    }
    REQUIRE(m.write(out));
    for (int i = 0; i < kBatch; ++i) {
      CHECK(sv(m.expect<wire::Accepted>()->cl_id()) == test::live_numbered("c", i));
      CHECK(m.expect<wire::Canceled>()->reason() == wire::Reason::user);
      reports += 2;
    }
    // Has the server given up on the subscriber? Its close queues a FIN behind the bytes the
    // subscriber has not read, so the client cannot tell yet: ask the server's log.
    cut = server.log().find("lab-z: slow consumer") != std::string::npos;
  }
  INFO("batches sent: " << batches << ", reports read: " << reports);
  INFO("server log:\n" << server.log());
  // Whether or not the hang-up showed yet, the subscriber's stream must end once read.
  std::size_t frames = 0;
  CHECK(slow.drain_until_closed(5000ms, &frames));
  CHECK(frames < std::size_t(batches) * kBatch * 2);  // it did not get everything
  CHECK(cut);
  CHECK(server.log().find("maker-1: slow consumer") == std::string::npos);

  // The trader goes on.
  place(m, limit("after", Side::buy, 21000, 8));
  // And a new subscriber gets a consistent snapshot.
  Client sub = server.login("lab-y");
  const auto s = subscribe(sub);
  CHECK(s->bids()->size() == 1);
}

// ==== timeouts ==================================================================================

TEST_CASE("gateway: heartbeats, idle timeout and login timeout", "[gateway]") {
  GATEWAY_BACKEND(backend);
  SessionConfig config = test_sessions();
  config.heartbeat = 50ms;
  config.idle_timeout = 300ms;
  config.login_timeout = 200ms;
  Server server(backend, config);

  Client silent = server.login("lab-x");
  Client chatty = server.login("lab-y");
  Client anonymous = server.connect();
  const auto start = SteadyClock::now();
  chatty.send(chatty.enc.heartbeat());

  // The silent session hears heartbeats while the server waits for it.
  {
    Frame f;
    REQUIRE(silent.read(f, 200ms) == Client::Read::frame);
    CHECK(f.type() == wire::Body::Heartbeat);
  }
  // The connection that never logged in goes at the login timeout.
  {
    const auto r = anonymous.expect<wire::ProtocolReject>();
    CHECK(r->reason() == wire::Reason::idle_timeout);
    anonymous.expect_closed();
    CHECK(SteadyClock::now() - start >= 150ms);
  }
  // The silent one goes at the idle timeout; the chatty one, sending heartbeats, stays.
  bool silent_gone = false;
  // (Until well past the idle timeout for the chatty one, and at most 1 s.)
  while (SteadyClock::now() - start < (silent_gone ? 500ms : 1000ms)) {
    chatty.send(chatty.enc.heartbeat());
    Frame f;
    if (!silent_gone) {
      const Client::Read r = silent.read(f, 25ms);
      if (r == Client::Read::frame && f.type() == wire::Body::ProtocolReject) {
        CHECK(f.as<wire::ProtocolReject>()->reason() == wire::Reason::idle_timeout);
        CHECK(SteadyClock::now() - start >= 250ms);
        silent.expect_closed();
        silent_gone = true;
      } else {
        INFO(describe(f));
        REQUIRE(r != Client::Read::closed);
        if (r == Client::Read::frame) CHECK(f.type() == wire::Body::Heartbeat);
      }
    } else {
      std::this_thread::sleep_for(25ms);
    }
  }
  CHECK(silent_gone);
  place(chatty, limit("alive", Side::buy, 21000, 8));
}
