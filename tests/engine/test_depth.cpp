// L2 market data: the level updates a command reports must, applied in order, reproduce the
// engine's own books exactly, with one update per changed level per command.
#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <tuple>

#include "engine/engine.hpp"
#include "tests/support/random_commands.hpp"

using namespace gpux;

namespace {

// By symbol: the engine reuses the ids of instruments it unlisted. `hours`: a one-hour
// symbol's hour book (docs/hours.md), apart from its window book.
using LevelKey = std::tuple<std::string, bool, Side, Price>;
struct Shown {
  Qty qty;
  std::uint32_t orders;
  bool operator==(const Shown&) const = default;
};

void apply(const Engine& engine, const DepthBuffer& depth, Seq seq, std::map<LevelKey, Shown>& mirror) {
  std::set<LevelKey> seen;
  for (const LevelUpdate& u : depth) {
    const LevelKey key{std::string(engine.symbol(u.instrument)), u.hours, u.side, u.price};
    REQUIRE(u.seq == seq);
    REQUIRE(seen.insert(key).second);  // once per level per command
    if (u.orders == 0) {
      REQUIRE(u.qty == 0);
      mirror.erase(key);
    } else {
      REQUIRE(u.qty > 0);
      mirror[key] = Shown{u.qty, u.orders};
    }
  }
}

std::map<LevelKey, Shown> books_of(const Engine& engine) {
  std::map<LevelKey, Shown> out;
  std::vector<LevelView> levels;
  std::vector<InstrumentId> listed;
  engine.instruments(listed);
  for (const InstrumentId id : listed)
    for (const BookKind kind : {BookKind::window, BookKind::hours})
      for (Side side : {Side::buy, Side::sell}) {
        engine.levels(id, side, levels, kind);
        for (const LevelView& l : levels)
          out[{std::string(engine.symbol(id)), kind == BookKind::hours, side, l.price}] = Shown{l.qty, l.orders};
      }
  return out;
}

}  // namespace

// Without fresh windows, three books that live throughout; with them, books are listed, take
// and give back pages of levels, are emptied and unlisted all along (engine/book.hpp).
TEST_CASE("depth updates replayed on an empty mirror reproduce every book", "[depth]") {
  const bool fresh_windows = GENERATE(false, true);
  CAPTURE(fresh_windows);
  Engine engine(Catalog::builtin(), EngineConfig{1u << 14});
  EventBuffer events;
  DepthBuffer depth;
  std::map<LevelKey, Shown> mirror;
  Ts ts = kRandomStart;
  const auto commands = random_commands(40'000, 7, 1, ts, fresh_windows);
  std::size_t updates = 0;
  std::size_t most_pages = 0;
  std::size_t hour_levels = 0;
  for (const Command& c : commands) {
    events.clear();
    depth.clear();
    engine.process(c, events, &depth);
    apply(engine, depth, c.seq, mirror);
    updates += depth.size();
    for (const LevelUpdate& u : depth) hour_levels += u.hours;
    most_pages = std::max(most_pages, engine.memory().level_pages);
    if (c.seq % 97 == 0) REQUIRE(mirror == books_of(engine));
  }
  REQUIRE(mirror == books_of(engine));
  REQUIRE(updates > 10'000);
  if (fresh_windows) CHECK(most_pages > 20);  // many books held pages at once
  if (fresh_windows) CHECK(hour_levels > 1'000);  // hour books too
}

TEST_CASE("depth shows iceberg clips, not hidden quantity, and reports emptied levels", "[depth]") {
  Engine engine(Catalog::builtin());
  EventBuffer events;
  DepthBuffer depth;
  const char* symbol = "H100.MEM1@2026-12-01T00Z+24h";
  auto order = [&](Seq seq, const char* account, Side side, Price price, Qty qty, Qty display) {
    Command c = make_command(CommandType::new_order, seq, kRandomStart);
    c.account.assign(account);
    const std::string cl = std::to_string(seq);
    c.cl_id.assign(cl);
    c.instrument.assign(symbol);
    c.side = side;
    c.price = PriceField{true, true, price};
    c.qty = qty;
    c.has_display_qty = display > 0;
    c.display_qty = display;
    events.clear();
    depth.clear();
    engine.process(c, events, &depth);
  };
  order(1, "maker", Side::sell, 21500, 800, 80);
  REQUIRE(depth.size() == 1);
  CHECK(depth[0].side == Side::sell);
  CHECK(depth[0].price == 21500);
  CHECK(depth[0].qty == 80);
  CHECK(depth[0].orders == 1);

  order(2, "maker", Side::sell, 21600, 16, 0);
  // A buy that takes 3 clips of the iceberg and stops there: one update, the refilled clip.
  order(3, "taker", Side::buy, 21500, 240, 0);
  REQUIRE(depth.size() == 1);
  CHECK(depth[0].qty == 80);
  CHECK(depth[0].orders == 1);

  // A sweep through both levels, resting the rest at 21600 on the bid side: the 21500 ask
  // level is gone, the 21600 ask level is gone, and a 21600 bid level appears.
  order(4, "taker", Side::buy, 21600, 600, 0);
  REQUIRE(depth.size() == 3);
  CHECK((depth[0].side == Side::sell && depth[0].price == 21500 && depth[0].orders == 0));
  CHECK((depth[1].side == Side::sell && depth[1].price == 21600 && depth[1].orders == 0));
  CHECK((depth[2].side == Side::buy && depth[2].price == 21600 && depth[2].qty == 24 && depth[2].orders == 1));
}
