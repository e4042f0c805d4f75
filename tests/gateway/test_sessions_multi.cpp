// Sessions as traders use them (issue 14), over loopback on every backend: several sessions of
// one account, each hearing every report of the account's orders; cancel-on-disconnect per
// session; accounts still isolated; the per-account bound; and market-data sessions, which need
// no account, read public data only and hear no reports.
#include <catch2/catch.hpp>

#include <string>
#include <thread>

#include "tests/support/gateway_client.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;
using namespace std::chrono_literals;

namespace {

Client login_market_data(Server& server) {
  Client c = server.connect();
  c.send(c.enc.login_market_data());
  const auto a = c.expect<wire::LoginAccepted>();
  CHECK(a->role() == wire::Role::market_data);
  CHECK(sv(a->account()).empty());
  return c;
}

}  // namespace

TEST_CASE("gateway: two sessions of one account trade and each hears the other's reports", "[gateway][sessions]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client bot = server.login("lab-x");
  Client person = server.login("lab-x");
  Client y = server.login("lab-y");

  // The bot's order: both sessions hear it accepted and filled.
  const auto a = place(bot, limit("bot-1", Side::buy, 21000, 8));
  CHECK(person.expect<wire::Accepted>()->order_id() == a->order_id());
  y.send(limit("y-1", Side::sell, 21000, 8));
  y.expect<wire::Accepted>();
  CHECK(y.expect<wire::Fill>()->price() == 21000);
  CHECK(bot.expect<wire::Fill>()->order_id() == a->order_id());
  CHECK(person.expect<wire::Fill>()->order_id() == a->order_id());

  // The person's order: the bot hears it the same way.
  const auto b = place(person, limit("person-1", Side::sell, 21010, 8));
  CHECK(bot.expect<wire::Accepted>()->order_id() == b->order_id());
  y.send(limit("y-2", Side::buy, 21010, 8));
  y.expect<wire::Accepted>();
  y.expect<wire::Fill>();
  CHECK(person.expect<wire::Fill>()->order_id() == b->order_id());
  CHECK(bot.expect<wire::Fill>()->order_id() == b->order_id());

  // One account's orders: either session cancels the other's (cl_ids are the account's).
  const auto c = place(bot, limit("bot-2", Side::buy, 20990, 8));
  person.expect<wire::Accepted>();
  person.send(cancel_cl("bot-2"));
  CHECK(person.expect<wire::Canceled>()->order_id() == c->order_id());
  CHECK(bot.expect<wire::Canceled>()->order_id() == c->order_id());

  // Answers go to the asking session only.
  person.send(person.enc.list_orders());
  CHECK(person.wait_for<wire::OpenOrdersEnd>()->count() == 0);
  bot.expect_quiet(50ms);

  // Isolation between accounts is unchanged: lab-y heard only its own.
  y.expect_quiet(50ms);
  Client z = server.login("lab-z");
  place(z, limit("z-1", Side::buy, 20000, 8));
  bot.expect_quiet(30ms);
  person.expect_quiet(30ms);
}

TEST_CASE("gateway: cancel-on-disconnect cancels only the dropped session's orders", "[gateway][sessions]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client sub = server.login("lab-z");
  subscribe(sub);
  Client keeper = server.login("lab-x", true);  // asks for it too: its own orders are its own
  Client leaver = server.login("lab-x", true);

  const auto kept = place(keeper, limit("kept", Side::buy, 21000, 8));
  leaver.expect<wire::Accepted>();
  const auto gone = place(leaver, limit("gone", Side::buy, 20900, 8));
  keeper.expect<wire::Accepted>();
  for (int i = 0; i < 2; ++i) sub.expect<wire::BookUpdate>();

  leaver.close();
  // The keeper hears of the leaver's order, canceled for the disconnect, and of nothing else.
  const auto c = keeper.expect<wire::Canceled>();
  CHECK(c->order_id() == gone->order_id());
  CHECK(c->reason() == wire::Reason::disconnect);
  const auto u = sub.expect<wire::BookUpdate>();
  CHECK(u->level()->price() == 20900);
  CHECK(u->level()->qty() == 0);
  sub.expect_quiet(50ms);

  // The keeper's order rests still: a cross fills it.
  Client y = server.login("lab-y");
  y.send(limit("cross", Side::sell, 20900, 16));
  y.expect<wire::Accepted>();
  CHECK(y.expect<wire::Fill>()->price() == 21000);
  CHECK(keeper.expect<wire::Fill>()->order_id() == kept->order_id());

  // A session that reuses the dropped connection's id does not inherit its orders: a new
  // leaver's order, then the keeper drops; only the keeper's rests are canceled (none left),
  // and the new session's order stays.
  Client again = server.login("lab-x", true);
  const auto fresh = place(again, limit("fresh", Side::buy, 20800, 8));
  keeper.expect<wire::Accepted>();
  keeper.close();
  again.expect_quiet(100ms);
  again.send(cancel_cl("fresh"));
  CHECK(again.expect<wire::Canceled>()->order_id() == fresh->order_id());
}

TEST_CASE("gateway: an account holds at most --max-sessions-per-account sessions", "[gateway][sessions]") {
  GATEWAY_BACKEND(backend);
  SessionConfig config = test_sessions();
  config.max_sessions_per_account = 2;
  Server server(backend, config);
  Client one = server.login("lab-x");
  Client two = server.login("lab-x");
  Client three = server.connect();
  three.send(three.enc.login("lab-x", "demo"));
  CHECK(three.expect<wire::LoginRefused>()->reason() == wire::Reason::too_many_sessions);
  three.expect_closed();
  // Other accounts are not affected, and the two sessions go on.
  server.login("lab-y");
  place(one, limit("one", Side::buy, 21000, 8));
  two.expect<wire::Accepted>();
  // A dropped session frees its place.
  two.close();
  Client again = server.relogin("lab-x");
  place(again, limit("again", Side::buy, 20990, 8));
  one.expect<wire::Accepted>();
}

TEST_CASE("gateway: a market-data session reads public data and nothing else", "[gateway][sessions]") {
  GATEWAY_BACKEND(backend);
  Server server(backend);
  Client md = login_market_data(server);
  const auto snap = subscribe(md);
  CHECK(snap->bids()->size() == 0);

  Client x = server.login("lab-x");
  Client y = server.login("lab-y");
  const auto a = place(x, limit("x-1", Side::buy, 21000, 8));
  // A book update, and no Accepted.
  const auto u = md.expect<wire::BookUpdate>();
  CHECK(u->level()->price() == 21000);
  y.send(limit("y-1", Side::sell, 21000, 8));
  y.expect<wire::Accepted>();
  y.expect<wire::Fill>();
  // The trade as a PublicTrade and the level's update; no Fill.
  bool trade = false, update = false;
  for (int i = 0; i < 2; ++i) {
    Frame f;
    REQUIRE(md.read(f) == Client::Read::frame);
    INFO(describe(f));
    if (f.type() == wire::Body::Heartbeat) { --i; continue; }
    CHECK((f.type() == wire::Body::PublicTrade || f.type() == wire::Body::BookUpdate));
    trade |= f.type() == wire::Body::PublicTrade;
    update |= f.type() == wire::Body::BookUpdate;
  }
  CHECK(trade);
  CHECK(update);
  CHECK(x.expect<wire::Fill>()->order_id() == a->order_id());

  // An operator's halt reaches every account's session, not market data.
  Client ops = server.login("ops");
  ops.send(halt(true, h100()));
  x.expect<wire::Halted>();
  ops.send(halt(false, h100()));
  x.expect<wire::Resumed>();
  y.expect<wire::Halted>();
  y.expect<wire::Resumed>();

  // Trading and account questions: read_only, and the session stays open.
  md.send(limit("md-1", Side::buy, 21000, 8));
  CHECK(md.expect<wire::ProtocolReject>()->reason() == wire::Reason::read_only);
  md.send(md.enc.list_orders());
  CHECK(md.expect<wire::ProtocolReject>()->reason() == wire::Reason::read_only);
  md.send(md.enc.balance());
  CHECK(md.expect<wire::ProtocolReject>()->reason() == wire::Reason::read_only);
  md.send(md.enc.resend(0));
  CHECK(md.expect<wire::ProtocolReject>()->reason() == wire::Reason::read_only);
  md.send(halt(true, h100()));
  CHECK(md.expect<wire::ProtocolReject>()->reason() == wire::Reason::read_only);

  // A public quote: priced against the books with no account.
  place(y, limit("y-ask", Side::sell, 21050, 16));
  md.expect<wire::BookUpdate>();
  md.send(md.enc.quote(h100(), Side::buy, 8));
  const auto q = md.expect<wire::QuoteReply>();
  CHECK(q->ok());
  // An hours subscription, and unsubscribes.
  md.send(md.enc.subscribe_hours("H100.MEM1"));
  md.expect<wire::HoursSnapshot>();
  md.send(md.enc.subscribe_hours("H100.MEM1", false));
  md.send(md.enc.subscribe(h100(), false));
  md.send(md.enc.heartbeat());
  place(y, limit("y-ask-2", Side::sell, 21060, 8));
  md.expect_quiet(50ms);
  // It held no account: lab-x's sessions are as many as before.
  Client x2 = server.login("lab-x");
}

TEST_CASE("gateway: market-data sessions are bounded by --max-market-data-sessions", "[gateway][sessions]") {
  GATEWAY_BACKEND(backend);
  SessionConfig config = test_sessions();
  config.max_market_data_sessions = 1;
  Server server(backend, config);
  Client one = login_market_data(server);
  Client two = server.connect();
  two.send(two.enc.login_market_data());
  CHECK(two.expect<wire::LoginRefused>()->reason() == wire::Reason::too_many_sessions);
  two.expect_closed();
  // Accounts log in as ever.
  server.login("lab-x");
  one.close();
  const auto deadline = SteadyClock::now() + kWait;
  for (;;) {
    Client c = server.connect();
    c.send(c.enc.login_market_data());
    Frame f;
    Client::Read r;
    do r = c.read(f); while (r == Client::Read::frame && f.type() == wire::Body::Heartbeat);
    REQUIRE(r == Client::Read::frame);
    if (f.type() == wire::Body::LoginAccepted) break;
    REQUIRE(f.type() == wire::Body::LoginRefused);
    REQUIRE(SteadyClock::now() < deadline);
    std::this_thread::sleep_for(10ms);
  }
}
