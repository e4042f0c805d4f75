#include "bench/yardstick.hpp"

#include <algorithm>

namespace gpux::bench {

template <class Book>
Qty Yardstick::take(Book& book, Price limit, Qty qty) {
  while (qty > 0 && !book.empty()) {
    auto level = book.begin();
    // The map's own order says "better than": a level crosses unless the limit is better than
    // it (asks, std::less: ask <= limit; bids, std::greater: bid >= limit).
    if (book.key_comp()(limit, level->first)) break;
    Fifo& fifo = level->second;
    while (qty > 0 && !fifo.empty()) {
      Resting& r = fifo.front();
      const Qty fill = std::min(qty, r.qty);
      qty -= fill;
      r.qty -= fill;
      ++trades_;
      traded_qty_ += fill;
      if (r.qty == 0) {
        fifo.pop_front();
        --resting_;
      }
    }
    if (fifo.empty()) book.erase(level);
  }
  return qty;
}

void Yardstick::add(const Command& c) {
  const Price limit = c.price.value;
  const bool buy = c.side == Side::buy;
  const Qty left = buy ? take(asks_, limit, c.qty) : take(bids_, limit, c.qty);
  if (left == 0) return;
  (buy ? bids_[limit] : asks_[limit]).push_back({c.seq, left});
  ++resting_;
}

}  // namespace gpux::bench
