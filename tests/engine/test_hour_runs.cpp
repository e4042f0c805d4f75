// HourRuns against a plain array of hours: random adds over random windows, every value and
// window minimum compared, and the runs always as few as the function allows.
#include <catch2/catch.hpp>

#include <limits>
#include <random>
#include <vector>

#include "engine/hour_runs.hpp"

using gpux::HourRuns;

TEST_CASE("hour runs: random adds agree with an array of hours, runs stay minimal", "[ledger]") {
  constexpr std::int64_t kBase = 490'000;  // hours since the epoch, around 2026
  constexpr std::int64_t kSpan = 400;
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    HourRuns runs;
    std::vector<std::int64_t> plain(kSpan, 0);
    for (int step = 0; step < 60; ++step) {
      const std::int64_t first = static_cast<std::int64_t>(rng() % kSpan);
      const std::int64_t hours = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(kSpan - first));
      const std::int64_t delta = static_cast<std::int64_t>(rng() % 9) * 8 - 32;
      REQUIRE(runs.add(kBase + first, hours, delta));
      for (std::int64_t h = first; h < first + hours; ++h) plain[static_cast<std::size_t>(h)] += delta;
      for (std::int64_t h = 0; h < kSpan; ++h) REQUIRE(runs.value(kBase + h) == plain[static_cast<std::size_t>(h)]);
      CHECK(runs.value(kBase - 1) == 0);
      CHECK(runs.value(kBase + kSpan) == 0);
      const std::int64_t a = static_cast<std::int64_t>(rng() % kSpan);
      const std::int64_t n = 1 + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(kSpan - a));
      std::int64_t m = plain[static_cast<std::size_t>(a)];
      for (std::int64_t h = a; h < a + n; ++h) m = std::min(m, plain[static_cast<std::size_t>(h)]);
      REQUIRE(runs.min(kBase + a, n) == m);
      // Minimal: a run starts exactly where the value changes.
      std::size_t changes = plain[0] != 0;
      for (std::size_t h = 1; h < plain.size(); ++h) changes += plain[h] != plain[h - 1];
      changes += plain.back() != 0;
      REQUIRE(runs.runs().size() == changes);
    }
  }
}

TEST_CASE("hour runs: a three-year deposit is one run, and an overflow changes nothing", "[ledger]") {
  HourRuns runs;
  REQUIRE(runs.add(490'000, 26'280, 4096));
  CHECK(runs.runs().size() == 2);  // the run, and the 0 after it
  CHECK(runs.min(490'100, 720) == 4096);
  CHECK(runs.min(489'999, 2) == 0);
  CHECK_FALSE(runs.add(490'000, 10, std::numeric_limits<std::int64_t>::max()));
  CHECK(runs.value(490'000) == 4096);
  REQUIRE(runs.add(490'000, 26'280, -4096));
  CHECK(runs.empty());
}

#include "engine/ledger.hpp"

TEST_CASE("ledger: free capacity follows holdings and commitments", "[ledger]") {
  gpux::Ledger ledger(2);
  // An owner deposits 4,096 GPUs over three years, offers 1,024 of them for a month, and
  // sells 512 of those for a week: its free capacity is what is left to offer.
  REQUIRE(ledger.move_holdings(0, 1, 490'000, 26'280, 4096));
  ledger.commit(0, 1, 490'000, 720, 1024);
  CHECK(ledger.free_capacity(0, 1, 490'000, 720) == 3072);
  REQUIRE(ledger.move_holdings(0, 1, 490'000, 168, -512));  // the trade: holdings go
  ledger.commit(0, 1, 490'000, 168, -512);                  // and so does that much commitment
  CHECK(ledger.free_capacity(0, 1, 490'000, 168) == 3072);
  CHECK(ledger.holding(0, 1).holdings.min(490'000, 168) == 3584);
  // The buyer holds what it bought and may sell it again.
  REQUIRE(ledger.move_holdings(1, 1, 490'000, 168, 512));
  CHECK(ledger.free_capacity(1, 1, 490'000, 168) == 512);
  CHECK(ledger.free_capacity(1, 1, 490'000, 169) == 0);
  CHECK(ledger.free_capacity(1, 0, 490'000, 168) == 0);  // another product
  CHECK(ledger.free_capacity(7, 1, 490'000, 168) == 0);  // an account never seen
}
