// Once warm, the engine must not touch the heap: every global operator new in this binary is
// counted, and a long random run after warm-up must count none, with instruments listed,
// emptied, unlisted and closed all along (fresh windows: their slots, pages and table entries
// are reused), and the ledger moving (deposits, funds, risk checks on and off, resales). Nor
// must `gpux replay`'s per-line work around it: parsing a log line, writing an event.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "engine/engine.hpp"
#include "engine/symbol.hpp"
#include "tests/support/random_commands.hpp"
#include "tools/orderlog/command_parser.hpp"
#include "tools/orderlog/event_writer.hpp"

namespace {
std::atomic<std::uint64_t> g_allocations{0};
}

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
void* operator new[](std::size_t n, const std::nothrow_t& t) noexcept { return operator new(n, t); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace gpux;

TEST_CASE("a warm engine allocates nothing per command", "[alloc]") {
  Engine engine(Catalog::builtin(), EngineConfig{1u << 16});
  EventBuffer events(1 << 12);
  DepthBuffer depth;
  depth.reserve(1 << 12);
  Ts ts = kRandomStart;
  auto warm = random_commands(300'000, 1, 1, ts, true);
  // Warm also means having listed as many instruments at once as the run will (their slots are
  // what grows with that): 1,000 windows with an order each, then all canceled. The random run
  // lists at most a few hundred at a time. Risk checks off first: the random run may have left
  // them on, and the burst account holds no cash.
  warm.push_back(make_command(CommandType::risk, static_cast<Seq>(warm.size()) + 1, ts));
  for (int i = 0; i < 1000; ++i) {
    Command c = make_command(CommandType::new_order, static_cast<Seq>(warm.size()) + 1, ts);
    c.account.assign("burst");
    c.cl_id.assign(std::to_string(i));
    c.instrument.assign(format_symbol("H100.MEM1", ts / kNsPerHour + 48, 1 + i));
    c.side = Side::buy;
    c.price = PriceField{true, true, 20000};
    c.qty = 8;
    warm.push_back(c);
  }
  // And as many hour books: one divisible order over 6,000 hours lists the one-hour instrument
  // of each, with its hour book and a level page (the random run's 1,000-hour divisible orders
  // list up to a few thousand at a time).
  Command hours = make_command(CommandType::new_order, static_cast<Seq>(warm.size()) + 1, ts);
  hours.account.assign("burst");
  hours.cl_id.assign("hours");
  hours.instrument.assign(format_symbol("H100.MEM1", ts / kNsPerHour + 2, 6000));
  hours.side = Side::buy;
  hours.price = PriceField{true, true, 11000};  // below every random sell: it only rests
  hours.qty = 8;
  hours.divisible = true;
  warm.push_back(hours);
  // And as many ledger runs per account as the run will give it: its vectors of runs keep their
  // capacity, and a run adds hours ahead (past hours are kept, docs/ledger.md). Every other hour
  // of the next 4,000 deposited, then all withdrawn: the runs merge away, the capacity stays.
  for (const char* account : {"lab-a", "lab-b", "cloud-c", "cloud-d"}) {
    for (const CommandType type : {CommandType::deposit, CommandType::withdraw}) {
      for (std::int64_t h = 0; h < 4000; h += 2) {
        Command d = make_command(type, static_cast<Seq>(warm.size()) + 1, ts);
        d.account.assign(account);
        d.has_instrument = true;
        d.instrument.assign(format_symbol("H100.MEM1", ts / kNsPerHour + h, 1));
        d.qty = 8;
        warm.push_back(d);
      }
    }
  }
  Command burst_end = make_command(CommandType::mass_cancel, static_cast<Seq>(warm.size()) + 1, ts);
  burst_end.account.assign("burst");
  warm.push_back(burst_end);
  const auto measured = random_commands(300'000, 2, static_cast<Seq>(warm.size()) + 1, ts, true);

  std::uint64_t trades = 0, resting_max = 0, listed_max = 0, pages_max = 0, fresh_orders = 0;
  std::uint64_t divisible = 0, slices_max = 0, refused = 0, ledger = 0;
  for (const Command& c : warm) {
    events.clear();
    depth.clear();
    engine.process(c, events, &depth);
  }
  const std::uint64_t before = g_allocations.load();
  for (const Command& c : measured) {
    events.clear();
    depth.clear();
    engine.process(c, events, &depth);
    for (const Event& e : events) {
      trades += e.type == EventType::trade;
      fresh_orders += e.type == EventType::accepted && engine.symbol(e.instrument).starts_with("H100.MEM1@2026-11");
      divisible += e.type == EventType::accepted && e.divisible;
      refused += e.type == EventType::rejected && (e.reason == Reason::no_capacity || e.reason == Reason::no_credit);
      ledger += e.type == EventType::deposited || e.type == EventType::funded || e.type == EventType::withdrawn;
    }
    resting_max = std::max<std::uint64_t>(resting_max, engine.resting_orders());
    const EngineMemory m = engine.memory();
    listed_max = std::max<std::uint64_t>(listed_max, m.listed_instruments);
    pages_max = std::max<std::uint64_t>(pages_max, m.level_pages);
    slices_max = std::max<std::uint64_t>(slices_max, m.resting_slices);
  }
  const std::uint64_t during = g_allocations.load() - before;
  const EngineMemory end = engine.memory();
  INFO("trades " << trades << ", most resting " << resting_max << ", most listed " << listed_max << ", most pages "
                 << pages_max << ", slots " << end.instrument_slots << ", orders on fresh windows " << fresh_orders
                 << ", divisible orders " << divisible << ", most slices " << slices_max << ", refused by risk checks "
                 << refused << ", ledger moves " << ledger);
  CHECK(trades > 10'000);  // the run really matched
  CHECK(fresh_orders > 10'000);  // on windows that came and went
  CHECK(listed_max > 50);
  CHECK(divisible > 1'000);    // hour books came and went too
  CHECK(slices_max > 1'000);
  CHECK(refused > 1'000);  // risk checks were on, and refused
  CHECK(ledger > 1'000);
  CHECK(during == 0);
}

TEST_CASE("a warm order-log parser and event writer allocate nothing per line", "[alloc]") {
  Ts ts = kRandomStart;
  std::string log, error;
  for (const Command& c : random_commands(100'000, 3, 1, ts, true)) write_command(c, log, error);  // the few it cannot carry are left out
  log.append(kLinePadding, ' ');  // parse_padded reads past the last line
  Engine engine(Catalog::builtin(), EngineConfig{1u << 16});
  EventBuffer events(1 << 12);
  CommandParser parser;
  Command command;
  std::string out;
  out.reserve(1 << 20);  // as replay's output block: a mass cancel's events would grow a small one
  std::uint64_t lines = 0, written = 0, parsing = 0, writing = 0;
  for (std::size_t start = 0, nl; (nl = log.find('\n', start)) != std::string::npos; start = nl + 1) {
    const bool warm = ++lines > 1'000;  // the parser's buffers have grown by then
    std::uint64_t before = g_allocations.load();
    REQUIRE(parser.parse_padded(std::string_view(log).substr(start, nl - start), command) == ParseResult::command);
    if (warm) parsing += g_allocations.load() - before;
    events.clear();
    engine.process(command, events);
    out.clear();
    before = g_allocations.load();
    for (const Event& e : events) write_event(e, engine, out);
    if (warm) writing += g_allocations.load() - before;
    written += events.size();
  }
  INFO(lines << " lines, " << written << " events");
  CHECK(lines > 90'000);
  CHECK(written > lines);
  CHECK(parsing == 0);
  CHECK(writing == 0);
}
