// A product's hour books (the slices of divisible orders, one book per hour, SPEC v2 §6) as a
// client keeps them: an HoursSnapshot and the BookUpdates with hours after it. Its picture is
// what `gpux book PRODUCT --hours` draws: one row per hour with the best bid and ask and the
// depth behind them, runs of identical hours compressed into one row, so a month of capacity
// reads at a glance.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/types.hpp"
#include "schemas/gpux_generated.h"

namespace gpux::client {

// One hour as the table shows it. Qty 0 and price 0 on a side: nothing there.
struct HourRow {
  Price bid = 0;
  Qty bid_qty = 0;    // at the best bid
  Qty bid_depth = 0;  // on every bid level
  Price ask = 0;
  Qty ask_qty = 0;
  Qty ask_depth = 0;
  bool operator==(const HourRow&) const = default;
};

// A run of consecutive hours that look the same.
struct HourRun {
  std::int64_t first_hour;  // hours since the epoch
  std::int64_t hours;
  HourRow row;
};

class HoursTable {
 public:
  explicit HoursTable(std::string product) : product_(std::move(product)) {}

  const std::string& product() const { return product_; }
  bool has_snapshot() const { return have_snapshot_; }
  Seq seq() const { return seq_; }

  // Takes in the product's HoursSnapshot or one of its hour books' BookUpdates. False for any
  // other message, which changes nothing.
  bool apply(const wire::Envelope& env);

  // The hours [from, to) (hours since the epoch) as runs; with from >= to, from the first to
  // the last hour holding orders. Hours without orders are runs too (an empty row), so gaps
  // show.
  std::vector<HourRun> runs(std::int64_t from = 0, std::int64_t to = 0) const;

  // The table, each line ending in a newline, headed by the product and the seq.
  std::string render(std::int64_t from = 0, std::int64_t to = 0) const;

 private:
  struct Book {
    std::map<Price, Qty, std::greater<>> bids;
    std::map<Price, Qty> asks;
  };
  HourRow row_of(const Book& b) const;

  std::string product_;
  Seq seq_ = 0;
  bool have_snapshot_ = false;
  std::map<std::int64_t, Book> books_;  // by hour, only hours with levels
};

// "2026-12-15T00Z": the start of an hour (hours since the epoch).
std::string hour_text(std::int64_t hour);

}  // namespace gpux::client
