// A small harness for hand-written scenario tests: an order log (JSON Lines, docs/order-log.md) in, its
// events (docs/events.md) out, compared event by event with the events a test expects.
//
// Shorthands, expanded in logs and expected events (not in run_raw):
//   $T  1795219200000000000 (2026-11-21T00:00Z); `$T+5` / `$T-5` add or subtract ns
//   $G  gate closure of $W (2026-11-21T00:55Z); `$G+1`, `$G-1` as for $T
//   $I  H100.MEM1@2026-12-01T00Z+24h      $J  H100.MEM1@2026-12-02T00Z+24h
//   $K  H200.MEM1@2026-12-01T00Z+24h      $W  H100.MEM1@2026-11-21T01Z+1h
//   $X  H200.MEM1@2026-11-21T02Z+1h (gate closure 2026-11-21T01:55Z = $T+6900000000000)
//   $HHH+N  H100.MEM1@2026-12-01THHZ+Nh: N hours of 2026-12-01 from HH:00Z ($H00+24 is $I)
// An expected event without "ts" gets the ts of the command whose seq it carries; `expired`
// events must give their ts (the deadline) explicitly.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/catalog.hpp"
#include "tools/orderlog/replayer.hpp"

namespace gpux::test {

using json = nlohmann::json;

inline constexpr std::int64_t kT = 1795219200000000000;          // 2026-11-21T00:00Z
inline constexpr std::int64_t kGateW = kT + 55 * 60'000'000'000;  // $W's gate closure
inline constexpr std::string_view kI = "H100.MEM1@2026-12-01T00Z+24h";
inline constexpr std::string_view kJ = "H100.MEM1@2026-12-02T00Z+24h";
inline constexpr std::string_view kK = "H200.MEM1@2026-12-01T00Z+24h";
inline constexpr std::string_view kW = "H100.MEM1@2026-11-21T01Z+1h";
inline constexpr std::string_view kX = "H200.MEM1@2026-11-21T02Z+1h";

// Substitutes the shorthands above.
std::string expand(std::string_view text);
// Splits on '\n' (a trailing '\n' makes no extra line).
std::vector<std::string> split_lines(std::string_view text);

struct RunResult {
  std::vector<json> events;  // every event printed, in order
  std::size_t error_line = 0;  // 1-based line (of the lines given) of the first input error; 0 if none
  std::string error;           // the replayer's message for it
};

class Scenario {
 public:
  // The engine's order pool is kept small: scenarios hold a handful of orders.
  explicit Scenario(Catalog catalog = Catalog::builtin(), EngineConfig config = small_engine());
  static EngineConfig small_engine() {
    EngineConfig c;
    c.max_orders = 4096;
    return c;
  }

  // Runs the lines (shorthands expanded) until the first input error.
  RunResult run(std::string_view log);
  // The same without shorthand expansion, one element per line.
  RunResult run_raw(const std::vector<std::string>& lines);

  // run(), and a test failure if any line is an input error. Returns the events.
  std::vector<json> feed(std::string_view log);
  // feed(), and a test failure if any event is a rejection (rejected, *_rejected).
  void setup(std::string_view log);
  // feed(), then compares the events with `expected` (JSON Lines, shorthands expanded).
  // Returns true when they are equal.
  bool expect(std::string_view log, std::string_view expected);

  Replayer& replayer() { return *replayer_; }

 private:
  std::vector<json> parse_expected(std::string_view expected);

  std::unique_ptr<Replayer> replayer_;
  std::map<std::uint64_t, std::int64_t> seq_ts_;  // command seq -> its ts
  std::uint64_t last_seq_ = 0;
};

// One-shot helpers on a fresh engine.
RunResult run(std::string_view log, const Catalog& catalog = Catalog::builtin());
bool expect_events(std::string_view log, std::string_view expected,
                   const Catalog& catalog = Catalog::builtin());

// The events of one command on `engine`, as the event writer prints them.
std::string run(Engine& engine, const Command& c);

// Compares event lists; on a difference fills `report` with a readable diff.
bool same_events(const std::vector<json>& actual, const std::vector<json>& expected,
                 std::string& report);

// A `new` line from a fragment: {"type":"new","ts":$T,"account":"A","cl_id":"c1",<fragment>}.
std::string new_line(std::string_view fragment);

}  // namespace gpux::test
