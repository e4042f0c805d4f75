// The whole server over loopback, on every backend (tests/support/gateway_client.hpp): market
// data. A subscription's snapshot, the level updates and public trades after it, and snapshots
// taken while the engine is busy agreeing with the updates around them.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/gateway_client.hpp"
#include "tests/support/live_orders.hpp"

using namespace gpux;
using namespace gpux::gateway;
using namespace gpux::protocol;
using namespace gpux::test;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

// ==== market data ============================================================================

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
