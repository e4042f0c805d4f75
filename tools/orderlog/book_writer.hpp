// Writes the engine's books as JSON Lines: one line per listed instrument's window book, then
// per product whose hour books hold slices, one line per hour book (ascending hour) and one
// line of its hours as a compact curve, then the ledger: a line of totals and one per account
// with cash or holdings (docs/order-log.md "--book").
#pragma once

#include <string>

#include "engine/engine.hpp"

namespace gpux {

// Levels best first, each {price, qty (shown), orders}; with `with_orders` each level also
// lists its queue in priority order.
void write_books(const Engine& engine, bool with_orders, std::string& out);

}  // namespace gpux
