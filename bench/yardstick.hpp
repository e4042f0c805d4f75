// The yardstick of `gpux-bench engine --workload add-only`: the bare order book a textbook (or
// Liquibook) would write, run on the same add-only Commands as gpux in the same process, so
// `vs_yardstick` says how close gpux comes to "as fast as an order book can be at all" on this
// machine at this moment, whatever else is running.
//
// Per side a std::map<Price, std::deque<Resting>> (price -> FIFO of resting orders), matched
// price-time: an incoming buy takes the asks priced <= its limit, best price first and oldest
// first within a price; a partial fill leaves the remainder resting at its limit; sells alike.
// Trades print at the resting price, but only quantities are counted: nothing is emitted.
//
// What it does NOT do, all of which gpux does per add: no validation (instrument, window,
// band, tick, qty, account), no cl_id or order-id index (it cannot cancel or replace), no
// events, no depth updates, no STP, no TIFs or order types but GTC limit, no per-account
// bounds, no preallocated pool (it allocates as the book grows: a std::map node per new price
// level, a 512-byte deque chunk per 32 resting orders).
//
// Memory comes from std::allocator, i.e. operator new -> malloc, which is jemalloc's: gpux-bench
// links jemalloc (GPUX_JEMALLOC, `machine.allocator`), as gpux's own allocations do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>

#include "engine/command.hpp"

namespace gpux::bench {

class Yardstick {
 public:
  // A new GTC limit order: reads side, price.value, qty and seq (its order id) of `c`, nothing
  // else. Out of line (yardstick.cpp) so that, like Engine::process, each add is one real call.
  void add(const Command& c);

  // Kept so the compiler cannot drop the matching, and checked against gpux's end of run.
  std::size_t resting_orders() const { return resting_; }
  std::uint64_t trades() const { return trades_; }  // fills: one per resting order touched
  Qty traded_qty() const { return traded_qty_; }

 private:
  // An order id and the open quantity: what a book must know to say whose order filled.
  struct Resting {
    OrderId id;
    Qty qty;
  };
  using Fifo = std::deque<Resting>;

  // Fills `qty` against `book`'s best levels while they cross `limit`; returns what is left.
  template <class Book>
  Qty take(Book& book, Price limit, Qty qty);

  std::map<Price, Fifo, std::greater<Price>> bids_;  // begin(): highest bid
  std::map<Price, Fifo> asks_;                       // begin(): lowest ask
  std::size_t resting_ = 0;
  std::uint64_t trades_ = 0;
  Qty traded_qty_ = 0;
};

}  // namespace gpux::bench
