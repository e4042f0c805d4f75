// Pre-generated command streams for `gpux-bench engine`. Every stream is built before any
// timing starts; the timed loops only hand these Commands to Engine::process.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/command.hpp"
#include "engine/depth.hpp"
#include "engine/event.hpp"

namespace gpux::bench {

// Counts of events by type and by reason; filled outside the timed regions.
struct EventTally {
  std::array<std::uint64_t, 32> by_type{};
  std::array<std::uint64_t, 64> rejected_by_reason{};  // rejected, cancel_rejected, replace_rejected
  std::array<std::uint64_t, 64> canceled_by_reason{};  // canceled, expired
  std::uint64_t events = 0;
  std::uint64_t depth_updates = 0;

  void add(const EventBuffer& ev);
  std::uint64_t count(EventType t) const { return by_type[static_cast<std::size_t>(t)]; }
  std::uint64_t rejections() const;
  // Same events (depth updates aside: the generator runs without depth).
  bool same_events(const EventTally& o) const {
    return events == o.events && by_type == o.by_type &&
           rejected_by_reason == o.rejected_by_reason && canceled_by_reason == o.canceled_by_reason;
  }
};

struct Workload {
  std::string name;
  std::vector<Command> cmds;
  // cmds[0, untimed) build the book and warm up; every pass runs them on its fresh engine
  // before its clock starts. The measured commands are cmds[untimed, cmds.size()).
  std::size_t untimed = 0;
  std::uint32_t max_orders = 1u << 16;

  // What the generator saw while building the stream (add-only has no generator engine).
  bool has_expected = false;
  EventTally expected;  // events of the measured commands, from the generator's engine
  std::vector<std::pair<std::string, std::uint64_t>> mix;  // measured commands by kind
  std::vector<std::pair<std::string, double>> book;        // book shape facts (averages)

  std::size_t measured() const { return cmds.size() - untimed; }
};

// Liquibook's add-only test: n GTC limits on one instrument, buys on even i, glibc rand()
// after srand(3), price before quantity.
Workload make_add_only(std::size_t n);

// exchange-core style: ~1,000 resting orders over ~750 levels of one instrument; 9% new GTC,
// 3% new IOC, 6% cancel, 82% replace to a new price.
Workload make_mixed(std::size_t n, std::size_t warmup, std::uint64_t seed);

// GPU-hour blocks: 6 products x 20 windows, icebergs, min_qty, fok/ioc, market, post-only,
// gtd expiries, a window whose gate closes mid-run, STP among 8 accounts, replaces, cancels,
// mass cancels, clock ticks.
Workload make_blocks(std::size_t n, std::size_t warmup, std::uint64_t seed);

}  // namespace gpux::bench
