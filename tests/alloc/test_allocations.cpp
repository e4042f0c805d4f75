// Once warm, the engine must not touch the heap: every global operator new in this binary is
// counted, and a long random run after warm-up must count none.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "engine/engine.hpp"

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

namespace {

using namespace gpux;

constexpr Ts kT0 = 1795219200000000000;  // 2026-11-21T00:00Z

// A stream that exercises every command type while keeping a bounded population resting.
std::vector<Command> random_commands(std::size_t n, std::uint32_t seed, Seq first_seq, Ts& ts) {
  std::mt19937_64 rng(seed);
  const char* instruments[] = {"H100.MEM1@2026-12-01T00Z+24h", "H100.MEM1@2026-12-02T00Z+24h",
                               "GB200.MEM1@2027-01-01T00Z+720h"};
  const char* accounts[] = {"lab-a", "lab-b", "cloud-c", "cloud-d"};
  std::vector<Command> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    ts += static_cast<Ts>(rng() % 1000);
    const Seq seq = first_seq + static_cast<Seq>(i);
    const unsigned pick = rng() % 100;
    const unsigned inst = rng() % 3;
    const bool gb = inst == 2;
    const Qty lot = gb ? 72 : 8;
    const Price mid = gb ? 45000 : 21000;
    const std::string cl = "c" + std::to_string(rng() % 4000);
    Command c = make_command(CommandType::new_order, seq, ts);
    c.account.assign(accounts[rng() % 4]);
    if (pick < 55) {
      c.cl_id.assign(cl);
      c.instrument.assign(instruments[inst]);
      c.side = rng() % 2 ? Side::buy : Side::sell;
      c.price = PriceField{true, true, mid + (static_cast<Price>(rng() % 201) - 100) * 10};
      c.qty = lot * static_cast<Qty>(1 + rng() % 20);
      const unsigned kind = rng() % 10;
      if (kind == 0) c.tif = Tif::ioc, c.has_tif = true;
      if (kind == 1) c.tif = Tif::gtd, c.has_tif = true, c.has_expire_ts = true, c.expire_ts = ts + 500'000;
      if (kind == 2 && c.qty > lot) c.has_display_qty = true, c.display_qty = lot;
      if (kind == 3) c.has_min_qty = true, c.min_qty = lot;
      if (kind == 4) c.tif = Tif::fok, c.has_tif = true;
      c.stp = static_cast<Stp>(rng() % 3);
    } else if (pick < 75) {
      c.type = CommandType::cancel;
      c.has_cl_id = true;
      c.cl_id.assign(cl);
    } else if (pick < 97) {
      c.type = CommandType::replace;
      c.has_cl_id = true;
      c.cl_id.assign(cl);
      c.price = PriceField{true, true, mid + (static_cast<Price>(rng() % 201) - 100) * 10};
      c.qty = lot * static_cast<Qty>(1 + rng() % 20);
    } else if (pick < 98) {
      c.type = CommandType::mass_cancel;
    } else if (pick < 99) {
      c.type = CommandType::halt;
      c.has_instrument = true;
      c.instrument.assign(instruments[inst]);
      out.push_back(c);
      c.type = CommandType::resume;
      c.seq = seq;  // same seq is fine: it is only echoed
    } else {
      c.type = CommandType::clock;
    }
    out.push_back(c);
    out.back().seq = first_seq + static_cast<Seq>(out.size()) - 1;
  }
  return out;
}

}  // namespace

TEST_CASE("a warm engine allocates nothing per command", "[alloc]") {
  Engine engine(Catalog::builtin(), EngineConfig{1u << 16});
  EventBuffer events(1 << 12);
  DepthBuffer depth;
  depth.reserve(1 << 12);
  Ts ts = kT0;
  const auto warm = random_commands(300'000, 1, 1, ts);
  const auto measured = random_commands(300'000, 2, static_cast<Seq>(warm.size()) + 1, ts);

  std::uint64_t trades = 0, resting_max = 0;
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
    for (const Event& e : events) trades += e.type == EventType::trade;
    resting_max = std::max<std::uint64_t>(resting_max, engine.resting_orders());
  }
  const std::uint64_t during = g_allocations.load() - before;
  INFO("trades " << trades << ", most resting " << resting_max);
  CHECK(trades > 10'000);  // the run really matched
  CHECK(during == 0);
}
