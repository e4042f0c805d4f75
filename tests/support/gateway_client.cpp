#include "tests/support/gateway_client.hpp"

#include <ctime>
#include <sstream>
#include <thread>

#include "tests/support/live_orders.hpp"

namespace gpux::test {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// ---- instruments and commands ----------------------------------------------------------------

Ts now_ns() {
  timespec t;
  clock_gettime(CLOCK_REALTIME, &t);
  return static_cast<Ts>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

const std::string& h100() {
  static const std::string s = live_symbol("H100.MEM1");  // lot 8, tick 10, ref 21000
  return s;
}
const std::string& h200() {
  static const std::string s = live_symbol("H200.MEM1");  // lot 8, tick 10, ref 30000
  return s;
}

Command limit(std::string_view cl, Side side, Price price, Qty qty, const std::string& symbol) {
  return live_new(cl, symbol, side, price, qty);
}

Command with_tif(Command c, Tif tif) {
  c.has_tif = true;
  c.tif = tif;
  return c;
}

Command market(std::string_view cl, Side side, Qty qty, const std::string& symbol) {
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

Command replace_cl(std::string_view cl, Price price, Qty qty, std::string_view new_cl) {
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

Command mass_cancel(std::string_view instrument_name, std::string_view product) {
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

Command halt(bool on, std::string_view instrument_name, std::string_view product) {
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

const char* reason_name(wire::Reason r) { return wire::EnumNameReason(r); }

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

// ---- the blocking test client ----------------------------------------------------------------

void Client::expect_closed(milliseconds timeout) {
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

void Client::expect_quiet(milliseconds span) {
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

bool Client::drain_until_closed(milliseconds timeout, std::size_t* frames) {
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

// ---- the in-process server -------------------------------------------------------------------

gateway::SessionConfig test_sessions() {
  gateway::SessionConfig c;
  c.orders_per_sec = 1e7;  // no throttling unless a test asks for it
  c.burst = 1e7;
  c.heartbeat = 1000ms;
  c.idle_timeout = 10'000ms;
  c.login_timeout = 5'000ms;
  c.clock_interval = 20ms;  // expiries come quickly without traffic
  return c;
}

gateway::TransportConfig test_transport() { return loopback_transport(); }

Client Server::login(std::string_view account, bool cancel_all_on_disconnect, int rcvbuf) {
  Client c = connect(rcvbuf);
  c.send(c.enc.login(account, token_of(account), cancel_all_on_disconnect));
  const auto a = c.expect<wire::LoginAccepted>();
  REQUIRE(sv(a->account()) == account);
  return c;
}

Client Server::relogin(std::string_view account) {
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
    REQUIRE(f.as<wire::LoginRefused>()->reason() == wire::Reason::too_many_sessions);
    REQUIRE(SteadyClock::now() < deadline);
    std::this_thread::sleep_for(10ms);
  }
}

std::string Server::token_of(std::string_view account) {
  return account == "ops" ? "ops-demo" : account == "audit" ? "audit-demo" : "demo";
}

void sync(Client& c) {
  static int n = 0;
  const std::string cl = live_numbered("sync-", ++n);
  c.send(cancel_cl(cl));
  for (;;) {
    const auto r = c.wait_for<wire::CancelRejected>();
    if (sv(r->cl_id()) == cl) {
      REQUIRE(r->reason() == wire::Reason::unknown_order);
      return;
    }
  }
}

Msg<wire::Accepted> place(Client& c, const Command& order) {
  c.send(order);
  auto a = c.expect<wire::Accepted>();
  REQUIRE(sv(a->cl_id()) == order.cl_id.view());
  return a;
}

// ---- an L2 book rebuilt from market data ---------------------------------------------------

L2 L2::of(const wire::BookSnapshot& s) {
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

void L2::apply(const wire::BookUpdate& u) {
  const wire::Level& l = *u.level();
  if (u.side() == wire::Side::buy) {
    if (l.orders() == 0) bids.erase(l.price());
    else bids[l.price()] = {l.qty(), l.orders()};
  } else {
    if (l.orders() == 0) asks.erase(l.price());
    else asks[l.price()] = {l.qty(), l.orders()};
  }
}

std::string L2::str() const {
  std::ostringstream o;
  o << "bids:";
  for (const auto& [p, l] : bids) o << " " << l.first << "@" << p << "(" << l.second << ")";
  o << " asks:";
  for (const auto& [p, l] : asks) o << " " << l.first << "@" << p << "(" << l.second << ")";
  return o.str();
}

Msg<wire::BookSnapshot> subscribe(Client& c, const std::string& symbol) {
  c.send(c.enc.subscribe(symbol));
  auto s = c.expect<wire::BookSnapshot>();
  REQUIRE(sv(s->instrument()) == symbol);
  REQUIRE(s->bids() != nullptr);
  REQUIRE(s->asks() != nullptr);
  return s;
}

void expect_reject_then_close(Client& c, wire::Reason reason) {
  const auto r = c.expect<wire::ProtocolReject>();
  INFO("ProtocolReject text: " << sv(r->text()));
  CHECK(r->reason() == reason);
  c.expect_closed();
}

}  // namespace gpux::test
