// Once warm, the engine must not touch the heap: every global operator new in this binary is
// counted, and a long random run after warm-up must count none.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdlib>
#include <new>

#include "engine/engine.hpp"
#include "tests/support/random_commands.hpp"

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
