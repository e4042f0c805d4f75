// Memory follows contents (docs/engine-memory.md): an instrument holds pages while orders rest
// on it, stays listed while it has a last trade and an open gate, and is forgotten otherwise.
// Thousands of instruments created and emptied must leave the engine's accounting where it
// was, and the heap within a small bound of it; the heap figures are printed (WARN) for the
// docs.
#include <catch2/catch.hpp>

#include <malloc.h>

#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "engine/level_pages.hpp"
#include "engine/symbol.hpp"
#include "tools/orderlog/event_writer.hpp"

using namespace gpux;

namespace {

constexpr Ts kStart = 1795219200000000000;  // 2026-11-21T00:00Z
constexpr std::int64_t kStartHour = kStart / kNsPerHour;
constexpr int kInstruments = 20'000;

// The glibc heap in use (the test binary is not linked with jemalloc). AddressSanitizer's
// allocator bypasses it, so sanitizer builds check the engine's own accounting only.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kHeapMeasured = false;
#else
constexpr bool kHeapMeasured = true;
#endif
std::int64_t heap_bytes() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<std::int64_t>(m.uordblks + m.hblkhd);
}

class Market {
 public:
  Market() : engine(Catalog::builtin(), EngineConfig{1u << 16}) { depth.reserve(1 << 12); }

  void run(Command c) {
    c.seq = ++seq;
    c.ts = ts;
    events.clear();
    depth.clear();
    engine.process(c, events, &depth);
  }
  // Returns the order_id, or 0 when the order was not accepted.
  OrderId order(const std::string& symbol, const char* account, Side side, Price price, Tif tif = Tif::gtc) {
    Command c = make_command(CommandType::new_order, 0, 0);
    c.account.assign(account);
    c.cl_id.assign(std::to_string(seq + 1));
    c.instrument.assign(symbol);
    c.side = side;
    c.price = PriceField{true, true, price};
    c.qty = 8;
    c.tif = tif;
    c.has_tif = true;
    run(c);
    return events.size() > 0 && events[0].type == EventType::accepted ? events[0].order_id : 0;
  }
  void cancel(const char* account, OrderId id) {
    Command c = make_command(CommandType::cancel, 0, 0);
    c.account.assign(account);
    c.has_order_id = true;
    c.order_id = id;
    run(c);
  }
  void clock(Ts t) {
    ts = t;
    run(make_command(CommandType::clock, 0, 0));
  }
  std::vector<std::string> listed() const {
    std::vector<InstrumentId> ids;
    engine.instruments(ids);
    std::vector<std::string> out;
    for (const InstrumentId id : ids) out.emplace_back(engine.symbol(id));
    return out;
  }

  Engine engine;
  EventBuffer events{1 << 12};
  DepthBuffer depth;
  Seq seq = 0;
  Ts ts = kStart;
};

// An H100.MEM1 window no other cycle uses: `i` picks its length.
std::string window(std::int64_t start_hour, int i) { return format_symbol("H100.MEM1", start_hour, 1 + i); }

struct Measured {
  EngineMemory before;
  EngineMemory after;
  std::int64_t heap_before;
  std::int64_t heap_after;
};

// Runs `cycle` once to warm up (first-use allocations are not what is measured), then
// kInstruments times between two measurements.
template <class Cycle>
Measured measure(Market& m, Cycle&& cycle) {
  cycle(-1);
  Measured r;
  r.before = m.engine.memory();
  r.heap_before = heap_bytes();
  for (int i = 0; i < kInstruments; ++i) cycle(i);
  r.heap_after = heap_bytes();
  r.after = m.engine.memory();
  return r;
}

void check_returned(const Measured& r, const char* what) {
  CHECK(r.after.listed_instruments == 0);
  CHECK(r.after.level_pages == 0);
  CHECK(r.after.directory_pages == 0);
  CHECK(r.after.spare_pages <= LevelPagePool::kMaxSpare);
  if (!kHeapMeasured) return;
  const std::int64_t grown = r.heap_after - r.heap_before;
  WARN(what << ": " << kInstruments << " instruments created and emptied; heap " << r.heap_before << " -> "
            << r.heap_after << " bytes, " << static_cast<double>(grown) / kInstruments
            << " bytes per instrument; slots " << r.after.instrument_slots);
  // The bound: 2 MiB in all, about 100 bytes per instrument (the flat level arrays this
  // replaced kept 51,674).
  CHECK(grown < (std::int64_t{2} << 20));
}

}  // namespace

TEST_CASE("memory: orders canceled on 20,000 fresh windows leave nothing behind", "[engine][memory]") {
  Market m;
  const Measured r = measure(m, [&](int i) {
    const std::string w = window(kStartHour + 48 + (i & 1023), i + 1);
    m.cancel("maker", m.order(w, "maker", Side::sell, 21000));
  });
  check_returned(r, "order + cancel");
  // One slot, reused every time: the cancel retires it, the next call frees it.
  CHECK(r.after.instrument_slots == r.before.instrument_slots);
}

TEST_CASE("memory: traded windows stay listed until their gate closes, then go", "[engine][memory]") {
  Market m;
  // Each window starts within the next two hours, and the clock moves an hour every 100
  // windows: about 200 are listed at a time, each with its last trade price and no orders.
  std::size_t most_listed = 0;
  const Measured r = measure(m, [&](int i) {
    const std::int64_t hour = m.ts / kNsPerHour;
    const std::string w = window(hour + 1 + (i & 1), i + 1);
    REQUIRE(m.order(w, "maker", Side::sell, 21000) != 0);
    REQUIRE(m.order(w, "taker", Side::buy, 21000) != 0);
    REQUIRE(m.events.size() == 2);  // accepted, trade: nothing rests
    most_listed = std::max(most_listed, m.engine.memory().listed_instruments);
    if (i % 100 == 99) m.clock(m.ts + kNsPerHour);
  });
  CHECK(r.after.listed_instruments > 0);
  CHECK(r.after.level_pages == 0);
  CHECK(most_listed <= 400);
  m.clock(m.ts + 3 * kNsPerHour);  // past every gate
  Measured closed = r;
  closed.after = m.engine.memory();
  closed.heap_after = heap_bytes();
  check_returned(closed, "order + fill, then gate closures");
  CHECK(closed.after.instrument_slots <= most_listed + 2);
}

TEST_CASE("memory: orders resting until their gate closes take their books with them", "[engine][memory]") {
  Market m;
  const Measured r = measure(m, [&](int i) {
    const std::int64_t hour = m.ts / kNsPerHour;
    const std::string w = window(hour + 1, i + 1);
    REQUIRE(m.order(w, "maker", Side::sell, 21000 + 640 * (i % 3)) != 0);  // 0, 1 or 2 pages up
    REQUIRE(m.order(w, "taker", Side::buy, 20000) != 0);
    if (i % 100 == 99) m.clock(m.ts + kNsPerHour);
  });
  m.clock(m.ts + 3 * kNsPerHour);
  Measured closed = r;
  closed.after = m.engine.memory();
  closed.heap_after = heap_bytes();
  check_returned(closed, "orders expiring at their gate");
  CHECK(m.engine.resting_orders() == 0);
}

TEST_CASE("memory: a burst of listed instruments leaves only their slots behind", "[engine][memory]") {
  // 20,000 windows traded at once, all listed together until their gates close: their slots
  // (sizeof(Instrument) plus each book's directory capacity) are kept for reuse.
  Market m;
  const Measured r = measure(m, [&](int i) {
    const std::string w = window(kStartHour + 2, i + 1);
    m.order(w, "maker", Side::sell, 21000);
    m.order(w, "taker", Side::buy, 21000);
  });
  CHECK(r.after.listed_instruments == kInstruments + 1);
  m.clock(kStart + 2 * kNsPerHour);
  const EngineMemory closed = m.engine.memory();
  CHECK(closed.listed_instruments == 0);
  CHECK(closed.level_pages == 0);
  CHECK(closed.instrument_slots == kInstruments + 1);
  if (kHeapMeasured) {
    const std::int64_t kept = heap_bytes() - r.heap_before;
    WARN("burst: " << kInstruments << " instruments listed at once keep " << kept << " bytes after their gates ("
                   << static_cast<double>(kept) / kInstruments << " per slot)");
    CHECK(kept < std::int64_t{kInstruments} * 1536);  // docs/engine-memory.md: 830 to 1,100 a slot
  }
  // Listing them again reuses the slots: nothing grows.
  for (int i = 0; i < 1000; ++i) m.order(window(kStartHour + 4, i + 1), "maker", Side::sell, 21000);
  CHECK(m.engine.memory().instrument_slots == kInstruments + 1);
}

TEST_CASE("memory: pages follow the resting prices, and come back when a level empties", "[engine][memory]") {
  Market m;
  const std::string w = window(kStartHour + 48, 24);
  const OrderId a = m.order(w, "maker", Side::sell, 21000);  // tick 2100: page 32
  CHECK(m.engine.memory().level_pages == 1);
  const OrderId b = m.order(w, "maker", Side::sell, 21100);  // tick 2110: page 32 too
  CHECK(m.engine.memory().level_pages == 1);
  const OrderId c = m.order(w, "maker", Side::buy, 12000);  // tick 1200: page 18, far below
  CHECK(m.engine.memory().level_pages == 2);
  const OrderId d = m.order(w, "maker", Side::sell, 31000);  // tick 3100: page 48, far above
  CHECK(m.engine.memory().level_pages == 3);
  m.cancel("maker", a);
  CHECK(m.engine.memory().level_pages == 3);  // b still rests on page 32
  m.cancel("maker", b);
  CHECK(m.engine.memory().level_pages == 2);
  m.cancel("maker", d);
  CHECK(m.engine.memory().level_pages == 1);
  CHECK(m.engine.memory().listed_instruments == 1);
  m.cancel("maker", c);
  const EngineMemory empty = m.engine.memory();
  CHECK(empty.level_pages == 0);
  CHECK(empty.spare_pages == 3);
  CHECK(empty.listed_instruments == 0);
  CHECK(empty.directory_pages == 0);
}

TEST_CASE("memory: a page emptied and filled again within one command reports each level once",
          "[engine][memory][depth]") {
  Market m;
  const std::string w = window(kStartHour + 48, 24);
  m.order(w, "maker", Side::sell, 20500);  // tick 2050, alone on page 32
  // Takes the only ask, which empties the page, then rests 8 at 2060 on it: the page must not
  // go back to the pool in between, or the ask level's update would be lost or doubled.
  Command c = make_command(CommandType::new_order, 0, 0);
  c.account.assign("taker");
  c.cl_id.assign("t");
  c.instrument.assign(w);
  c.side = Side::buy;
  c.price = PriceField{true, true, 20600};
  c.qty = 16;
  m.run(c);
  REQUIRE(m.depth.size() == 2);
  CHECK((m.depth[0].side == Side::sell && m.depth[0].price == 20500 && m.depth[0].orders == 0));
  CHECK((m.depth[1].side == Side::buy && m.depth[1].price == 20600 && m.depth[1].qty == 8));
  CHECK(m.engine.memory().level_pages == 1);
}

TEST_CASE("memory: a symbol listed again behaves exactly as one never listed", "[engine][memory]") {
  // `used` lists S and empties it; `fresh` does the same on another symbol. From then on both
  // get the same commands on S and must give the same events, the same state, the same bytes.
  const std::string s = window(kStartHour + 48, 24);
  const std::string other = window(kStartHour + 48, 25);
  Market used, fresh;
  used.cancel("maker", used.order(s, "maker", Side::sell, 21000));
  fresh.cancel("maker", fresh.order(other, "maker", Side::sell, 21000));
  CHECK(used.engine.state_digest() == fresh.engine.state_digest());
  auto same = [&](auto&& step) {
    step(used);
    step(fresh);
    std::string a, b;
    for (const Event& e : used.events) write_event(e, used.engine, a);
    for (const Event& e : fresh.events) write_event(e, fresh.engine, b);
    REQUIRE(a == b);
    REQUIRE(used.engine.state_digest() == fresh.engine.state_digest());
  };
  // The band is the product's again: 3.1500 is its top, 3.1600 outside it.
  same([&](Market& m) { m.order(s, "maker", Side::sell, 31600); });
  same([&](Market& m) { m.order(s, "maker", Side::sell, 31500); });
  same([&](Market& m) { m.order(s, "taker", Side::buy, 31500); });
  same([&](Market& m) { m.order(s, "taker", Side::buy, 40000); });  // the band moved with the trade
  CHECK(used.listed() == std::vector<std::string>{s});
}

TEST_CASE("memory: a traded symbol keeps its band while it is empty, until its gate closes", "[engine][memory]") {
  Market m;
  const std::string s = window(kStartHour + 2, 1);  // gate at 01:55
  m.order(s, "maker", Side::sell, 29000);
  m.order(s, "taker", Side::buy, 29000);  // trades at 2.9000: the band is [1.4500, 4.3500]
  REQUIRE(m.engine.resting_orders() == 0);
  CHECK(m.listed() == std::vector<std::string>{s});
  CHECK(m.order(s, "maker", Side::sell, 40000) != 0);  // outside the product's band, inside this one
  m.cancel("maker", m.events[0].order_id);
  CHECK(m.listed() == std::vector<std::string>{s});
  m.clock(kStart + 2 * kNsPerHour - 5 * kNsPerMinute);  // the gate
  CHECK(m.listed().empty());
  CHECK(m.engine.memory().instrument_slots == 1);
}

TEST_CASE("memory: ids named by a batch stay readable until the next call, and listing order is batch-proof",
          "[engine][memory]") {
  // 200 commands on 100 fresh windows: order + cancel, or on every third window order + fill,
  // which keeps it listed. Run one by one and in one batch, they list the same books in the same
  // order, with the same bytes.
  std::vector<Command> cmds;
  for (int i = 0; i < 100; ++i) {
    const std::string w = window(kStartHour + 48, i + 1);
    Command c = make_command(CommandType::new_order, 0, kStart);
    c.account.assign("maker");
    c.cl_id.assign(std::to_string(i));
    c.instrument.assign(w);
    c.side = Side::sell;
    c.price = PriceField{true, true, 21000};
    c.qty = 8;
    cmds.push_back(c);
    if (i % 3 == 0) {
      c.account.assign("taker");
      c.side = Side::buy;
    } else {
      c = make_command(CommandType::cancel, 0, kStart);
      c.account.assign("maker");
      c.has_cl_id = true;
      c.cl_id.assign(std::to_string(i));
    }
    cmds.push_back(c);
  }
  for (std::size_t i = 0; i < cmds.size(); ++i) cmds[i].seq = static_cast<Seq>(i + 1);

  Engine batched(Catalog::builtin(), EngineConfig{1u << 12});
  Engine single(Catalog::builtin(), EngineConfig{1u << 12});
  EventBuffer events(1 << 12);
  batched.process(cmds, events);
  std::size_t accepted = 0;
  for (const Event& e : events) {
    if (e.type != EventType::accepted) continue;
    CHECK(batched.symbol(e.instrument) == cmds[static_cast<std::size_t>(e.seq - 1)].instrument.view());
    ++accepted;
  }
  CHECK(accepted == 134);
  for (const Command& c : cmds) {
    events.clear();
    single.process(c, events);
  }
  std::vector<InstrumentId> a, b;
  batched.instruments(a);
  single.instruments(b);
  REQUIRE(a.size() == 34);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(batched.symbol(a[i]) == single.symbol(b[i]));
  CHECK(batched.state_digest() == single.state_digest());
}
