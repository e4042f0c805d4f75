// Engine snapshots (Engine::save_state / load_state, docs/snapshot.md): a restored engine must
// go on exactly as the saved one would have, byte for byte through the event writer, and no
// bytes may make a load crash or leave an inconsistent engine behind.
//
// Environment: GPUX_SNAPSHOT_SEEDS (default 100, 15 under ASan) random logs of
// GPUX_SNAPSHOT_COMMANDS (default 1000) commands each, from GPUX_SNAPSHOT_SEED (default 1);
// GPUX_SNAPSHOT_PERF=1 lets the hidden timing test run.
#include <catch2/catch.hpp>

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "engine/state_codec.hpp"
#include "tests/model/model.hpp"
#include "tests/model/random_log.hpp"
#include "tests/support/env.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/script.hpp"
#include "tools/orderlog/command_parser.hpp"

namespace {

using gpux::Catalog;
using gpux::Command;
using gpux::Engine;
using gpux::EngineConfig;
using Bytes = std::vector<std::uint8_t>;
using nlohmann::json;

#if defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kDefaultSeeds = 15;
#else
constexpr std::uint64_t kDefaultSeeds = 100;
#endif

using gpux::test::env_u64;

EngineConfig small_pool(std::uint32_t max_orders = 4096) {
  EngineConfig c;
  c.max_orders = max_orders;
  return c;
}

Bytes saved(const Engine& e) {
  Bytes b;
  e.save_state(b);
  return b;
}

// A fresh engine holding `bytes`; a test failure if they do not load.
std::unique_ptr<Engine> restored(const Bytes& bytes, EngineConfig config = small_pool()) {
  auto e = std::make_unique<Engine>(Catalog::builtin(), config);
  std::string error;
  const bool ok = e->load_state(bytes, error);
  INFO(error);
  REQUIRE(ok);
  return e;
}

using gpux::test::run;  // the events of one command as the event writer prints them

std::string run(Engine& e, std::span<const Command> cmds) {
  std::string out;
  for (const Command& c : cmds) out += run(e, c);
  return out;
}

using gpux::test::Script;

std::vector<json> parse_lines(const std::string& text) {
  std::vector<json> out;
  for (const std::string& line : gpux::test::split_lines(text)) out.push_back(json::parse(line));
  return out;
}

// Runs `setup`, saves, and runs `then` both in the engine that carries on and in one restored
// from the snapshot: the events must be the same bytes, and so must the final states. Returns
// the events of `then`.
std::vector<json> across_restore(std::string_view setup, std::string_view then, EngineConfig config = small_pool()) {
  Script script;
  Engine live(Catalog::builtin(), config);
  run(live, script(setup));
  const Bytes bytes = saved(live);
  auto back = restored(bytes, config);
  CHECK(saved(*back) == bytes);
  const std::vector<Command> later = script(then);
  const std::string expected = run(live, later);
  const std::string actual = run(*back, later);
  REQUIRE(actual == expected);
  CHECK(saved(*back) == saved(live));
  CHECK(back->state_digest() == live.state_digest());
  return parse_lines(actual);
}

std::vector<json> of_type(const std::vector<json>& events, std::string_view type) {
  std::vector<json> out;
  for (const json& e : events)
    if (e["type"] == type) out.push_back(e);
  return out;
}

// Writes a fresh checksum over the bytes before it, as if they had been saved that way.
void reseal(Bytes& b) {
  const std::uint64_t h = XXH3_64bits(b.data(), b.size() - 8);
  for (std::size_t i = 0; i < 8; ++i) b[b.size() - 8 + i] = static_cast<std::uint8_t>(h >> (8 * i));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Randomized: restores at random points of random logs change nothing.

TEST_CASE("snapshot: engines restored at random points of random logs go on exactly as the original", "[snapshot]") {
  const std::uint64_t seeds = env_u64("GPUX_SNAPSHOT_SEEDS", kDefaultSeeds);
  const std::uint64_t commands = env_u64("GPUX_SNAPSHOT_COMMANDS", 1000);
  const std::uint64_t first = env_u64("GPUX_SNAPSHOT_SEED", 1);
  std::uint64_t restores = 0, orders_restored = 0;
  for (std::uint64_t seed = first; seed < first + seeds; ++seed) {
    const Catalog catalog = Catalog::builtin();
    gpux::model::Model model(catalog);
    gpux::model::RandomLog gen(seed, catalog);
    gpux::CommandParser parser;
    std::vector<Command> cmds;
    while (cmds.size() < commands) {
      const gpux::model::LogLine line = gen.next(model);
      Command c;
      const gpux::ParseResult r = parser.parse(line.text, c);
      REQUIRE(r != gpux::ParseResult::error);
      if (r == gpux::ParseResult::blank) continue;
      model.process(c);  // the generator aims at the model's resting orders
      cmds.push_back(c);
    }

    Engine a(catalog, small_pool());
    std::vector<std::string> expected;
    for (const Command& c : cmds) expected.push_back(run(a, c));

    // A chain of restores: the engine at each cut is saved and replaced by a fresh one loaded
    // from its bytes, which runs on to the next cut, and after the last to the end.
    std::mt19937_64 rng(seed);
    std::vector<std::size_t> cuts(3);
    for (std::size_t& cut : cuts) cut = std::uniform_int_distribution<std::size_t>(0, cmds.size())(rng);
    std::sort(cuts.begin(), cuts.end());
    auto engine = std::make_unique<Engine>(catalog, small_pool());
    std::size_t at = 0;
    const auto run_to = [&](std::size_t end) {
      for (; at < end; ++at) {
        const std::string actual = run(*engine, cmds[at]);
        if (actual != expected[at]) {
          FAIL("seed " << seed << ", cuts " << cuts[0] << " " << cuts[1] << " " << cuts[2] << ", command " << at
                       << " (seq " << cmds[at].seq << ")\nexpected:\n" << expected[at] << "actual:\n" << actual);
        }
      }
    };
    for (const std::size_t cut : cuts) {
      run_to(cut);
      const Bytes bytes = saved(*engine);
      orders_restored += engine->resting_orders();
      engine = restored(bytes);
      ++restores;
      INFO("seed " << seed << ", restored before command " << cut);
      REQUIRE(saved(*engine) == bytes);
    }
    run_to(cmds.size());
    INFO("seed " << seed);
    REQUIRE(saved(*engine) == saved(a));
    REQUIRE(engine->state_digest() == a.state_digest());
  }
  CHECK(restores == 3 * seeds);
  if (seeds >= 10) CHECK(orders_restored > 0);
}

// ---------------------------------------------------------------------------------------------
// Targeted: each piece of state survives a restore.

TEST_CASE("snapshot: an iceberg restored mid-clip keeps its clip, then refills behind its level", "[snapshot]") {
  const auto events = across_restore(R"(
{"type":"new","ts":$T,"account":"I","cl_id":"ice","instrument":"$I","side":"sell","price":"2.1","qty":48,"display_qty":16}
{"type":"new","ts":$T,"account":"N","cl_id":"n","instrument":"$I","side":"sell","price":"2.1","qty":16}
{"type":"new","ts":$T,"account":"B","cl_id":"b","instrument":"$I","side":"buy","price":"2.1","qty":8,"tif":"ioc"}
)",
                                     R"(
{"type":"new","ts":$T+1,"account":"B","cl_id":"b2","instrument":"$I","side":"buy","price":"2.1","qty":40,"tif":"ioc"}
)");
  const auto trades = of_type(events, "trade");
  REQUIRE(trades.size() == 3);
  CHECK(trades[0]["qty"] == 8);  // the rest of the clip the restore caught half used
  CHECK(trades[0]["sell_order_id"] == 1);
  CHECK(trades[1]["qty"] == 16);
  CHECK(trades[1]["sell_order_id"] == 2);
  CHECK(trades[2]["qty"] == 16);
  CHECK(trades[2]["sell_order_id"] == 1);
  CHECK(trades[2]["sell_leaves"] == 16);
}

TEST_CASE("snapshot: gtd expiry and gate closure run after a restore, together at equal deadlines", "[snapshot]") {
  // $W's gate closes at $G; a gtd order on $I expires at exactly $G too, another earlier.
  const auto events = across_restore(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"w","instrument":"$W","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"g1","instrument":"$I","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+1000}
{"type":"new","ts":$T,"account":"B","cl_id":"g2","instrument":"$I","side":"sell","price":"2.2","qty":8,"tif":"gtd","expire_ts":$G}
{"type":"new","ts":$T,"account":"B","cl_id":"keep","instrument":"$I","side":"sell","price":"2.3","qty":8}
)",
                                     R"(
{"type":"clock","ts":$T+999}
{"type":"clock","ts":$G}
{"type":"new","ts":$G,"account":"A","cl_id":"late","instrument":"$W","side":"buy","price":"2.0","qty":8}
)");
  const auto expired = of_type(events, "expired");
  REQUIRE(expired.size() == 3);
  CHECK(expired[0]["order_id"] == 2);
  CHECK(expired[0]["reason"] == "gtd");
  CHECK(expired[1]["order_id"] == 1);
  CHECK(expired[1]["reason"] == "gate_closed");
  CHECK(expired[2]["order_id"] == 3);
  CHECK(expired[2]["reason"] == "gtd");
  CHECK(events.back()["reason"] == "window_closed");
}

TEST_CASE("snapshot: a restore after a gate closed keeps the instrument closed and listed", "[snapshot]") {
  const auto events = across_restore(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"w","instrument":"$W","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"i","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"clock","ts":$G}
)",
                                     R"(
{"type":"new","ts":$G+1,"account":"B","cl_id":"x","instrument":"$W","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$G+1,"account":"B","cl_id":"y","instrument":"$I","side":"sell","price":"2.0","qty":8}
)");
  CHECK(events[0]["reason"] == "window_closed");
  CHECK(of_type(events, "trade").size() == 1);
}

TEST_CASE("snapshot: halts, resumes and kills survive a restore", "[snapshot]") {
  // $J is halted before anything lists it; H200.MEM1 ($K's product) is halted as a product.
  const auto events = across_restore(R"(
{"type":"new","ts":$T,"account":"K","cl_id":"k","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"a","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"k1","instrument":"$K","side":"buy","price":"2.9","qty":8}
{"type":"halt","ts":$T,"instrument":"$I"}
{"type":"halt","ts":$T,"instrument":"$J"}
{"type":"halt","ts":$T,"product":"H200.MEM1"}
{"type":"halt","ts":$T,"instrument":"H100.IAD1@2026-12-01T00Z+24h"}
{"type":"resume","ts":$T,"instrument":"H100.IAD1@2026-12-01T00Z+24h"}
{"type":"kill","ts":$T,"account":"K"}
)",
                                     R"(
{"type":"new","ts":$T,"account":"B","cl_id":"1","instrument":"$I","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"2","instrument":"$J","side":"sell","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"3","instrument":"$K","side":"sell","price":"2.9","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"k1","price":"2.9","qty":16}
{"type":"new","ts":$T,"account":"K","cl_id":"4","instrument":"H100.IAD1@2026-12-01T00Z+24h","side":"sell","price":"2.2","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"5","instrument":"H100.IAD1@2026-12-01T00Z+24h","side":"sell","price":"2.2","qty":8}
{"type":"resume","ts":$T,"instrument":"$I"}
{"type":"unkill","ts":$T,"account":"K"}
{"type":"new","ts":$T,"account":"K","cl_id":"6","instrument":"$I","side":"sell","price":"2.0","qty":8}
)");
  CHECK(events[0]["reason"] == "halted");
  CHECK(events[1]["reason"] == "halted");
  CHECK(events[2]["reason"] == "halted");
  CHECK(events[3]["type"] == "replace_rejected");
  CHECK(events[3]["reason"] == "halted");
  CHECK(events[4]["reason"] == "killed");
  CHECK(events[5]["type"] == "accepted");
  CHECK(events.back()["type"] == "trade");
  CHECK(events.back()["buy_order_id"] == 2);  // K's own bid went with the kill
}

TEST_CASE("snapshot: the band moved by the last trade survives a restore", "[snapshot]") {
  // A trade at 2.1830 moves H100.MEM1's band from [1.0500, 3.1500] to [1.0920, 3.2740].
  const auto events = across_restore(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"a","instrument":"$I","side":"sell","price":"2.183","qty":16}
{"type":"new","ts":$T,"account":"B","cl_id":"b","instrument":"$I","side":"buy","price":"2.183","qty":8}
)",
                                     R"(
{"type":"new","ts":$T,"account":"C","cl_id":"c1","instrument":"$I","side":"buy","price":"3.275","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c2","instrument":"$I","side":"buy","price":"1.0910","qty":8}
{"type":"new","ts":$T,"account":"C","cl_id":"c3","instrument":"$I","side":"buy","order_type":"market","qty":8}
)");
  CHECK(events[0]["reason"] == "price_band");
  CHECK(events[1]["reason"] == "price_band");
  CHECK(events[2]["price"] == "3.2740");
}

TEST_CASE("snapshot: cl_id and order_id lookups, stp and post_only work after a restore", "[snapshot]") {
  const auto events = across_restore(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"po","instrument":"$I","side":"buy","price":"1.9","qty":8,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"agg","instrument":"$I","side":"buy","price":"1.8","qty":8,"stp":"cancel_aggressor"}
{"type":"new","ts":$T,"account":"A","cl_id":"ask","instrument":"$I","side":"sell","price":"2.1","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"old","instrument":"$I","side":"buy","price":"1.7","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"old","new_cl_id":"new","price":"1.7","qty":8}
)",
                                     R"(
{"type":"new","ts":$T,"account":"A","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"B","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"po","price":"2.1","qty":8}
{"type":"replace","ts":$T,"account":"A","cl_id":"agg","price":"2.1","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"old"}
{"type":"new","ts":$T,"account":"A","cl_id":"old","instrument":"$I","side":"buy","price":"1.7","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"new"}
{"type":"cancel","ts":$T,"account":"B","order_id":1}
{"type":"cancel","ts":$T,"account":"A","order_id":1}
{"type":"new","ts":$T,"account":"A","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"mass_cancel","ts":$T,"account":"A"}
)");
  CHECK(events[0]["reason"] == "duplicate_cl_id");
  CHECK(events[1]["type"] == "accepted");
  CHECK(events[2]["reason"] == "post_only");
  CHECK(events[4]["type"] == "canceled");  // agg's own stp stopped it at A's ask
  CHECK(events[4]["order_id"] == 3);
  CHECK(events[4]["reason"] == "stp");
  CHECK(events[5]["reason"] == "unknown_order");  // renamed away before the restore
  CHECK(events[6]["type"] == "accepted");
  CHECK(events[7]["order_id"] == 5);
  CHECK(events[8]["type"] == "cancel_rejected");
  CHECK(events[9]["type"] == "canceled");
  CHECK(events[10]["type"] == "accepted");
  // The mass cancel goes in ascending order_id, whatever the book order.
  const auto mass = of_type(events, "canceled");
  std::vector<std::int64_t> ids;
  for (const json& e : mass)
    if (e["reason"] == "mass") ids.push_back(e["order_id"].get<std::int64_t>());
  CHECK(ids == std::vector<std::int64_t>{2, 4, 12, 16});
}

TEST_CASE("snapshot: accounts and instruments keep their ids", "[snapshot]") {
  Script script;
  Engine live(Catalog::builtin(), small_pool());
  run(live, script(R"(
{"type":"kill","ts":$T,"account":"first"}
{"type":"new","ts":$T,"account":"second","cl_id":"x","instrument":"$K","side":"buy","price":"2.9","qty":8}
{"type":"new","ts":$T,"account":"third","cl_id":"x","instrument":"$I","side":"buy","price":"2.0","qty":8}
)"));
  auto back = restored(saved(live));
  std::vector<gpux::InstrumentId> listed;
  back->instruments(listed);
  REQUIRE(listed == std::vector<gpux::InstrumentId>{0, 1});
  CHECK(back->symbol(0) == gpux::test::kK);
  CHECK(back->symbol(1) == gpux::test::kI);
  CHECK(back->account_name(0) == "first");
  CHECK(back->account_name(2) == "third");
  CHECK(back->resting_orders() == 2);
}

TEST_CASE("snapshot: a full pool stays full after a restore", "[snapshot]") {
  const auto events = across_restore(R"(
{"type":"new","ts":$T,"account":"A","cl_id":"1","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"new","ts":$T,"account":"A","cl_id":"2","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                                     R"(
{"type":"new","ts":$T,"account":"A","cl_id":"3","instrument":"$I","side":"buy","price":"2.0","qty":8}
{"type":"cancel","ts":$T,"account":"A","cl_id":"1"}
{"type":"new","ts":$T,"account":"A","cl_id":"3","instrument":"$I","side":"buy","price":"2.0","qty":8}
)",
                                     small_pool(2));
  CHECK(events[0]["reason"] == "capacity");
  CHECK(events[2]["type"] == "accepted");
}

TEST_CASE("snapshot: an empty engine round-trips, and equal states give equal bytes", "[snapshot]") {
  Engine empty(Catalog::builtin(), small_pool());
  const Bytes bytes = saved(empty);
  CHECK(bytes.size() < 600);
  CHECK(saved(*restored(bytes)) == bytes);
  CHECK(Engine(Catalog::builtin(), small_pool(8)).state_digest() == empty.state_digest());
  across_restore("", R"({"type":"new","ts":$T,"account":"A","cl_id":"1","instrument":"$I","side":"buy","price":"2.0","qty":8})");

  // A halt then a resume of a symbol never traded leave the same state as a clock alone.
  Script s1, s2;
  Engine x(Catalog::builtin(), small_pool()), y(Catalog::builtin(), small_pool());
  run(x, s1(R"(
{"type":"halt","ts":$T,"instrument":"$J"}
{"type":"resume","ts":$T,"instrument":"$J"}
)"));
  run(y, s2(R"({"type":"clock","seq":2,"ts":$T})"));
  CHECK(saved(x) == saved(y));
}

namespace {

// The layout of docs/snapshot.md, field by field: one account, one instrument, one resting
// bid. The bad-input tests break one field at a time. `empty` instruments (symbol, last trade)
// come first, without orders.
struct Handmade {
  std::vector<std::pair<std::string, gpux::Price>> empty;
  std::string symbol = std::string(gpux::test::kI);
  std::uint64_t orders = 1;
  std::uint32_t order_account = 0;
  gpux::Price price = 20000;
  gpux::Qty shown = 8;

  Bytes bytes() const {
    Bytes out;
    gpux::snapshot::Writer w(out);
    w.raw("GPUXSNAP");
    w.u32(4);
    w.u64(0);  // size, patched below
    w.i64(1);  // seq
    w.i64(gpux::test::kT);
    w.u64(orders);
    w.u64(0);  // slices
    w.u64(2);  // the priority clock: the one order took 1
    const Catalog catalog = Catalog::builtin();
    w.u32(static_cast<std::uint32_t>(catalog.products().size()));
    for (const gpux::Product& p : catalog.products()) {
      w.str(p.id);
      for (std::int64_t v : {p.lot, p.tick, p.ref_price, p.band_pct, p.max_qty, p.max_hours, p.gate_minutes,
                             p.horizon_hours})
        w.i64(v);
      w.u8(0);  // not halted
    }
    w.u32(1);
    w.str("A");
    w.u8(0);   // not killed
    w.u8(0);   // risk checks off
    w.u32(0);  // no ledger entries (no cash, no holdings)
    w.u32(0);  // no halted symbols
    w.u32(static_cast<std::uint32_t>(empty.size() + 1));
    for (const auto& [s, last_trade] : empty) {
      w.str(s);
      w.i64(last_trade);
      w.u32(0);  // bid levels
      w.u32(0);  // ask levels
    }
    w.str(symbol);
    w.i64(0);  // no trade yet
    w.u32(1);  // bid levels
    w.i64(price);
    w.u32(1);  // orders at the level
    w.i64(1);  // order_id
    w.u32(order_account);
    w.str("c1");
    w.i64(8);  // open
    w.i64(shown);
    w.i64(0);  // display_qty
    w.u8(0);   // gtc
    w.i64(0);  // expire_ts
    w.u8(0);   // cancel_resting
    w.u8(0);   // not post_only
    w.u64(1);  // time priority
    w.u32(0);  // ask levels
    w.u32(0);  // divisible orders
    // Version 4: the sessions that entered resting orders (an order log's commands: session 0).
    if (orders) {
      w.u32(1);
      w.i64(1);  // order_id
      w.u32(0);  // session
    } else {
      w.u32(0);
    }
    w.patch_u64(12, out.size() + 8);
    w.u64(XXH3_64bits(out.data(), out.size()));
    return out;
  }
};

}  // namespace

TEST_CASE("snapshot: the documented layout is what save_state writes", "[snapshot]") {
  Script script;
  Engine e(Catalog::builtin(), small_pool());
  run(e, script(R"({"type":"new","ts":$T,"account":"A","cl_id":"c1","instrument":"$I","side":"buy","price":"2.0","qty":8})"));
  CHECK(saved(e) == Handmade{}.bytes());
}

TEST_CASE("snapshot: empty and closed instruments in a snapshot load, and are dropped", "[snapshot]") {
  // This engine never writes them (engines before docs/engine-memory.md did, in version 1).
  // Of these, only the one with a last trade and an open gate holds anything, with the one with
  // orders.
  Handmade old;
  old.empty = {{std::string(gpux::test::kJ), 0},                // emptied without a trade
               {"H100.MEM1@2026-11-21T00Z+1h", 21000},          // gate closed at $T-5min
               {std::string(gpux::test::kK), 29000}};           // traded, gate open
  auto e = restored(old.bytes());
  std::vector<gpux::InstrumentId> listed;
  e->instruments(listed);
  REQUIRE(listed.size() == 2);
  CHECK(e->symbol(listed[0]) == gpux::test::kK);
  CHECK(e->symbol(listed[1]) == gpux::test::kI);
  Handmade now;
  now.empty = {{std::string(gpux::test::kK), 29000}};
  CHECK(saved(*e) == now.bytes());
  // $K keeps the band of its last trade, [1.4500, 4.3500]: 1.46 is inside it, and below the
  // product's, which starts at 1.5000.
  const std::string events = run(*e, Script()(R"(
{"type":"new","seq":2,"ts":$T,"account":"A","cl_id":"k","instrument":"$K","side":"sell","price":"1.46","qty":8})"));
  CHECK(events.find("accepted") != std::string::npos);
}

TEST_CASE("snapshot: divisible orders, their slices and standing blocks restore exactly", "[snapshot][hours]") {
  // Owners' divisible sells over overlapping windows, a lab's standing block that cannot sweep
  // yet, a gtd divisible order, partly traded slices: restored after every command, the engine
  // goes on giving the same events and the same bytes as the one that never stopped.
  const std::string log = R"(
{"type":"new","ts":$T,"account":"O1","cl_id":"a","instrument":"H100.MEM1@2026-11-22T00Z+6h","side":"sell","price":"2.10","qty":16,"divisible":true}
{"type":"new","ts":$T,"account":"O2","cl_id":"b","instrument":"H100.MEM1@2026-11-22T02Z+6h","side":"sell","price":"2.00","qty":8,"divisible":true,"tif":"gtd","expire_ts":$T+1000}
{"type":"new","ts":$T,"account":"L","cl_id":"x","instrument":"H100.MEM1@2026-11-22T01Z+3h","side":"buy","price":"2.20","qty":8}
{"type":"new","ts":$T,"account":"L","cl_id":"y","instrument":"H100.MEM1@2026-11-22T00Z+10h","side":"buy","price":"2.20","qty":16,"display_qty":8}
{"type":"new","ts":$T,"account":"O3","cl_id":"c","instrument":"H100.MEM1@2026-11-22T06Z+4h","side":"sell","price":"2.05","qty":8,"divisible":true}
{"type":"new","ts":$T,"account":"O3","cl_id":"d","instrument":"H100.MEM1@2026-11-22T00Z+10h","side":"buy","price":"1.90","qty":8,"divisible":true}
{"type":"replace","ts":$T,"account":"O1","cl_id":"a","price":"2.10","qty":8}
{"type":"clock","ts":$T+2000}
{"type":"new","ts":$T+2000,"account":"O4","cl_id":"e","instrument":"H100.MEM1@2026-11-22T00Z+10h","side":"sell","price":"2.15","qty":16,"divisible":true}
{"type":"cancel","ts":$T+2000,"account":"O3","cl_id":"d"}
)";
  Script script;
  const std::vector<Command> cmds = script(log);
  Engine a(Catalog::builtin(), small_pool());
  std::vector<std::string> expected;
  for (const Command& c : cmds) expected.push_back(run(a, c));
  for (std::size_t cut = 1; cut < cmds.size(); ++cut) {
    Engine b(Catalog::builtin(), small_pool());
    for (std::size_t i = 0; i < cut; ++i) (void)run(b, cmds[i]);
    const Bytes bytes = saved(b);
    auto c = restored(bytes);
    INFO("restored before command " << cut);
    REQUIRE(saved(*c) == bytes);
    for (std::size_t i = cut; i < cmds.size(); ++i) CHECK(run(*c, cmds[i]) == expected[i]);
    CHECK(saved(*c) == saved(a));
  }
  const std::string all = [&] {
    std::string s;
    for (const std::string& e : expected) s += e;
    return s;
  }();
  CHECK(all.find("\"divisible\":true") != std::string::npos);
  CHECK(all.find("\"type\":\"trade\"") != std::string::npos);
  CHECK(a.memory().resting_slices > 0);
}

// ---------------------------------------------------------------------------------------------
// Bad input: refused with a reason, never a crash, and the engine left as it was.

namespace {

// An engine with a little of everything, and its snapshot.
std::unique_ptr<Engine> busy_engine() {
  Script script;
  auto e = std::make_unique<Engine>(Catalog::builtin(), small_pool());
  run(*e, script(R"(
{"type":"new","ts":$T,"account":"I","cl_id":"ice","instrument":"$I","side":"sell","price":"2.1","qty":48,"display_qty":16}
{"type":"new","ts":$T,"account":"B","cl_id":"b","instrument":"$I","side":"buy","price":"2.1","qty":8,"tif":"ioc"}
{"type":"new","ts":$T,"account":"A","cl_id":"g","instrument":"$W","side":"buy","price":"2.0","qty":8,"tif":"gtd","expire_ts":$T+1000,"post_only":true}
{"type":"new","ts":$T,"account":"A","cl_id":"w","instrument":"$K","side":"buy","price":"2.9","qty":16,"stp":"cancel_both"}
{"type":"halt","ts":$T,"instrument":"$J"}
{"type":"halt","ts":$T,"product":"B200.DAL1"}
{"type":"kill","ts":$T,"account":"K"}
)"));
  return e;
}

// Fails the test unless loading `bytes` fails with an error containing `words`, leaving the
// engine it was tried on as it was.
void refused(const Bytes& bytes, std::string_view words) {
  auto target = busy_engine();
  const Bytes before = saved(*target);
  std::string error;
  CHECK_FALSE(target->load_state(bytes, error));
  INFO("error: " << error);
  CHECK(error.find(words) != std::string::npos);
  CHECK(saved(*target) == before);
}

// Whatever a load accepted must be a consistent engine: it saves the same bytes again, and
// cancels by cl_id, expiries and mass cancels (every index, list and heap) take all its orders.
void check_consistent(Engine& e, const Bytes& bytes) {
  REQUIRE(saved(e) == bytes);
  struct Resting {
    std::string account;
    std::string cl_id;
  };
  std::vector<Resting> resting;
  std::vector<gpux::OrderView> views;
  std::vector<gpux::InstrumentId> listed;
  e.instruments(listed);
  for (const gpux::InstrumentId i : listed) {
    for (const gpux::Side side : {gpux::Side::buy, gpux::Side::sell}) {
      e.orders(i, side, views);
      for (const gpux::OrderView& v : views)
        resting.push_back({std::string(e.account_name(v.account)), std::string(v.cl_id)});
    }
  }
  REQUIRE(resting.size() == e.resting_orders());
  gpux::Seq seq = 1'000'000;
  gpux::EventBuffer events;
  const auto process = [&](gpux::CommandType type, gpux::Ts ts, const Resting* r) {
    Command c = gpux::make_command(type, ++seq, ts);
    if (r) c.account.assign(r->account);
    c.has_cl_id = r != nullptr;
    if (r) c.cl_id.assign(r->cl_id);
    events.clear();
    e.process(c, events);
  };
  for (std::size_t k = 0; k < resting.size(); k += 2) process(gpux::CommandType::cancel, gpux::test::kT, &resting[k]);
  process(gpux::CommandType::clock, 9'000'000'000'000'000'000, nullptr);
  for (const Resting& r : resting) process(gpux::CommandType::mass_cancel, 9'000'000'000'000'000'000, &r);
  CHECK(e.resting_orders() == 0);
}

}  // namespace

TEST_CASE("snapshot: every truncation is refused", "[snapshot]") {
  const Bytes bytes = saved(*busy_engine());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    INFO("first " << n << " of " << bytes.size() << " bytes");
    refused(Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n)), "truncated");
  }
  Bytes longer = bytes;
  longer.push_back(0);
  refused(longer, "followed by 1 more");
}

TEST_CASE("snapshot: bad magic, version and checksum are refused", "[snapshot]") {
  const Bytes bytes = saved(*busy_engine());
  Bytes b = bytes;
  b[0] = 'X';
  refused(b, "not a gpux snapshot");
  b = bytes;
  b[8] = 5;
  refused(b, "version 5");
  b = bytes;
  b[8] = 1;
  refused(b, "predates divisible orders");
  b = bytes;
  b[8] = 2;
  refused(b, "predates the ledger");
  b = bytes;
  b[bytes.size() / 2] ^= 1;
  refused(b, "checksum");
}

TEST_CASE("snapshot: random byte flips never crash a load, and what loads is consistent", "[snapshot]") {
  const Bytes bytes = saved(*busy_engine());
  std::mt19937_64 rng(7);
  std::size_t loaded = 0;
  for (std::size_t at = 0; at < bytes.size() - 8; ++at) {
    for (int trial = 0; trial < 3; ++trial) {
      Bytes b = bytes;
      b[at] ^= static_cast<std::uint8_t>(std::uniform_int_distribution<int>(1, 255)(rng));
      Engine raw(Catalog::builtin(), small_pool());
      std::string error;
      CHECK_FALSE(raw.load_state(b, error));  // the checksum (or the header) catches it
      // With the checksum made to match, only the content checks stand between the bytes and
      // the engine.
      reseal(b);
      Engine e(Catalog::builtin(), small_pool());
      INFO("byte " << at << " flipped");
      if (e.load_state(b, error)) {
        ++loaded;
        check_consistent(e, b);
      } else {
        CHECK_FALSE(error.empty());
      }
    }
  }
  CHECK(loaded > 0);  // flips in names, ids and times still make sense
}

TEST_CASE("snapshot: orders that cannot be are refused", "[snapshot]") {
  {
    Engine e(Catalog::builtin(), small_pool());
    std::string error;
    INFO(error);
    CHECK(e.load_state(Handmade{}.bytes(), error));
  }
  Handmade h;
  h.order_account = 1;
  refused(h.bytes(), "unknown account");
  h = Handmade{};
  h.symbol = "ZZZ@2026-12-01T00Z+24h";
  refused(h.bytes(), "not a symbol of the catalog");
  h = Handmade{};
  h.orders = 2;
  refused(h.bytes(), "header says 2");
  h = Handmade{};
  h.shown = 16;
  refused(h.bytes(), "bad shown");
  h = Handmade{};
  h.price = 20005;
  refused(h.bytes(), "bad buy level");
  h = Handmade{};
  h.price = std::int64_t{10} << 40;  // would make a page directory of 2^34 entries
  refused(h.bytes(), "outside the bands");
}

TEST_CASE("snapshot: a pool too small or another catalog is refused", "[snapshot]") {
  const Bytes bytes = saved(*busy_engine());
  {
    Engine tiny(Catalog::builtin(), small_pool(2));
    std::string error;
    CHECK_FALSE(tiny.load_state(bytes, error));
    CHECK(error.find("max_orders") != std::string::npos);
    CHECK(tiny.resting_orders() == 0);
  }
  Catalog other = Catalog::builtin();
  gpux::Product extra;
  extra.id = "X1";
  extra.ref_price = 10000;
  REQUIRE_FALSE(other.add(extra));
  Engine e(other, small_pool());
  std::string error;
  CHECK_FALSE(e.load_state(bytes, error));
  CHECK(error.find("another catalog") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Cost on a large book: GPUX_SNAPSHOT_PERF=1 gpux_tests "[snapshot-perf]" (hidden, and the
// variable keeps exclusion-only filters such as "~[gateway]", which match hidden tests, off it).

TEST_CASE("snapshot: save and load time with a million resting orders", "[.][snapshot-perf]") {
  if (!std::getenv("GPUX_SNAPSHOT_PERF")) return;
  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  constexpr int kOrders = 1'000'000;
  Engine e(Catalog::builtin());
  gpux::EventBuffer events(1 << 16);
  std::mt19937_64 rng(1);
  const char* symbols[] = {"H100.MEM1@2026-12-01T00Z+24h", "H200.MEM1@2026-12-01T00Z+24h",
                           "H100.MEM1@2026-12-02T00Z+24h"};
  for (int i = 0; i < kOrders; ++i) {
    Command c = gpux::make_command(gpux::CommandType::new_order, i + 1, gpux::test::kT);
    c.account.assign("acct" + std::to_string(rng() % 1000));
    c.cl_id.assign("order-" + std::to_string(i));
    const int which = static_cast<int>(rng() % 3);
    c.instrument.assign(symbols[which]);
    c.side = rng() % 2 ? gpux::Side::buy : gpux::Side::sell;
    const gpux::Price ref = which == 1 ? 30000 : 21000;
    const auto off = static_cast<gpux::Price>(10 + rng() % 500 * 10);
    c.price = {true, true, c.side == gpux::Side::buy ? ref - off : ref + off};
    c.qty = 8 * static_cast<gpux::Qty>(1 + rng() % 8);
    if (rng() % 10 == 0) {
      c.has_display_qty = c.qty > 8;
      c.display_qty = 8;
    }
    events.clear();
    e.process(c, events);
  }
  REQUIRE(e.resting_orders() == kOrders);
  Bytes bytes;
  e.save_state(bytes);  // warms the vector
  double save_ms = 1e9;
  for (int i = 0; i < 3; ++i) {
    const auto t0 = Clock::now();
    e.save_state(bytes);
    save_ms = std::min(save_ms, ms(Clock::now() - t0));
  }
  Engine back(Catalog::builtin());
  std::string error;
  const auto t0 = Clock::now();
  REQUIRE(back.load_state(bytes, error));
  const double load_ms = ms(Clock::now() - t0);
  Bytes again;
  back.save_state(again);
  CHECK(again == bytes);
  WARN(kOrders << " resting orders, " << bytes.size() << " bytes: save " << save_ms << " ms, load " << load_ms
               << " ms");
}
