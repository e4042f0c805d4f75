// The whole server over loopback, on every backend (tests/support/gateway_client.hpp): login
// and its refusals, and what each role may do: traders trade, only the operator halts, resumes
// and kills, and the drop copy hears every account's reports but cannot trade.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "tests/support/gateway_client.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

// ==== login ==================================================================================

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
  SECTION("a second session of the same account is accepted, and both trade") {
    Client first = server.login("lab-x");
    Client second = server.login("lab-x");
    place(first, limit("still-here", Side::buy, 21000, 8));
    second.expect<wire::Accepted>();
    place(second, limit("second", Side::buy, 20990, 8));
    first.expect<wire::Accepted>();
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

// ==== operator commands ======================================================================

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

// ==== drop copy ==============================================================================

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
