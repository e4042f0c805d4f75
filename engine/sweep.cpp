// Blocks sweeping the hour books (docs/hours.md "Sweep", "Standing blocks"): a block takes the
// same quantity in every hour of its window from the divisible orders' slices, all hours or
// none. Costs (docs/engine-memory.md): sizing a sweep reads, hour by hour, only the levels that
// cross until they hold enough, and stops at the first hour without; taking it walks the
// slices it trades with.
#include <algorithm>
#include <cstdint>

#include "engine/engine_impl.hpp"

namespace gpux {

// ---- sizing -----------------------------------------------------------------------------------

// Up to `cap`: the open quantity of hour book `hb`'s `contra` slices that cross `limit`,
// leaving out `account`'s own (kNil: none). Reads whole levels unless the account has slices
// on that side somewhere, and stops as soon as it has enough.
Qty Engine::Impl::crossing_qty(InstrumentId hb, Side contra, Price limit, AccountId account, Qty cap) const {
  const Book& book = hours_of(hb, contra);
  const bool own = account != kNil && accounts[account].divisible[static_cast<int>(contra)] > 0;
  Qty sum = 0;
  for (std::int64_t li = book.best(contra); li >= 0; li = book.next_behind(contra, li)) {
    const Price lp = book.price_at(li);
    if (contra == Side::sell ? lp > limit : lp < limit) break;
    const Level& l = book.at(li);
    if (!own) {
      sum += l.qty;
    } else {
      for (std::uint32_t si = l.head; si != kNil; si = slices[si].next)
        if (pool[slices[si].order].account != account) sum += slices[si].open;
    }
    if (sum >= cap) return sum;
  }
  return sum;
}

// q of a sweep by block `b` with open quantity r: what every hour of its window can give, at
// most r; 0 as soon as one hour has nothing (or is halted).
Qty Engine::Impl::sweep_quantity(const Order& b, Qty r) const {
  if (b.post_only) return 0;
  const Instrument& w = instruments[b.instrument];
  return sweep_size(w.product, w.start_hour, w.length, opposite(b.side), b.price, b.account, r);
}

Qty Engine::Impl::sweep_size(ProductId p, std::int64_t first, std::int64_t n, Side contra, Price limit,
                             AccountId account, Qty r) const {
  // A product without divisible orders resting has no hour book to sweep: most blocks' case.
  if (r <= 0 || product_halted[p] || products[p].hours.size() == 0) return 0;
  Qty q = r;
  for (std::int64_t h = first; h < first + n; ++h) {
    const InstrumentId hb = hour_book(p, h);
    if (hb == kNil || instruments[hb].slices == 0 || instruments[hb].halted) return 0;
    q = std::min(q, crossing_qty(hb, contra, limit, account, q));
    if (q == 0) return 0;
  }
  return q;
}

// ---- taking -----------------------------------------------------------------------------------

// Block `oi` sweeps with open quantity r. An incoming block (or one re-placed by a replace)
// has its open quantity lowered here; a standing one is settled in its book. Returns q.
Qty Engine::Impl::sweep(std::uint32_t oi, Qty r, bool standing) {
  const Qty q = sweep_quantity(pool[oi], r);
  if (q == 0) return 0;
  const Instrument& w = instruments[pool[oi].instrument];
  const ProductId p = w.product;
  const std::int64_t first = w.start_hour;
  const std::int64_t n = w.length;
  begin_hours();
  for (std::int64_t h = first; h < first + n; ++h) {
    next_hour(h > first);
    take_hour(hour_book(p, h), oi, q, r - q, h, standing);
  }
  if (standing) settle_standing(oi, q);
  else pool[oi].open = r - q;
  end_hours(p);
  return q;
}

// Block `oi` takes q GPUs from hour book `hb`, best price first, then time priority, passing
// over its own account's slices. `leaves` is the block's open quantity once the sweep is done.
void Engine::Impl::take_hour(InstrumentId hb, std::uint32_t oi, Qty q, Qty leaves, std::int64_t hour,
                             bool standing) {
  const Order& b = pool[oi];
  const Side contra = opposite(b.side);
  Book& book = hours_of(hb, contra);
  Qty need = q;
  for (std::int64_t li = book.best(contra); need > 0 && li >= 0; li = book.next_behind(contra, li)) {
    const Price lp = book.price_at(li);
    Level& l = book.at(li);
    for (std::uint32_t si = l.head; si != kNil && need > 0;) {
      Slice& s = slices[si];
      const std::uint32_t next = s.next;
      const Order& r = pool[s.order];
      if (r.account != b.account) {
        const Qty t = std::min(need, s.open);
        need -= t;
        s.open -= t;
        if (r.side == Side::buy) commit_slice(r, s, -t);  // a sell's: settle_trades()
        l.qty -= t;
        touch(hb, contra, l, lp, true);
        // The earlier of the two sets the price; an incoming block is always the later.
        const Price price = standing && b.priority < s.priority ? b.price : lp;
        hour_trade(hour, b, r, price, t, leaves, s.open, b.side);
        if (s.open == 0) drop_filled_slice(si);
      }
      si = next;
    }
  }
}

// A standing block that swept q: it leaves its book at 0, else shows what is left (an iceberg
// keeps its clip, at most the open quantity, and its priority).
void Engine::Impl::settle_standing(std::uint32_t oi, Qty q) {
  Order& b = pool[oi];
  if (b.open == q) {
    unlink(oi);
    unindex(oi);
    pool.release(oi);
    return;
  }
  Book& book = instruments[b.instrument].book;
  Level& l = book.at(book.index_of(b.price));
  commit_block(b, -q);
  b.open -= q;
  const Qty shown = b.display ? std::min(b.shown, b.open) : b.open;
  l.qty += shown - b.shown;
  b.shown = shown;
  touch(b.instrument, b.side, l, b.price);
}

// ---- standing blocks --------------------------------------------------------------------------

// After slices of a `slice_side` divisible order came to rest in the hours `rested`: every
// standing block of the other side whose window shares one of them sweeps once, best price
// first, then time priority. The list is fixed before the first sweeps. Found through the
// product's window books holding blocks, not by scanning every instrument.
void Engine::Impl::sweep_standing(ProductId p, Side slice_side) {
  if (rested.empty() || product_halted[p]) return;
  const Side side = opposite(slice_side);
  standing.clear();
  for (InstrumentId id = products[p].first_with_blocks; id != kNil; id = instruments[id].next_with_blocks) {
    const Instrument& w = instruments[id];
    if (w.halted || w.book.empty(side)) continue;
    const auto it = std::lower_bound(rested.begin(), rested.end(), w.start_hour);
    if (it == rested.end() || *it >= w.start_hour + w.length) continue;
    const Book& book = w.book;
    for (std::int64_t li = book.best(side); li >= 0; li = book.next_behind(side, li))
      for (std::uint32_t oi = book.at(li).head; oi != kNil; oi = pool[oi].next)
        if (!pool[oi].post_only) standing.push_back(oi);
  }
  std::sort(standing.begin(), standing.end(), [&](std::uint32_t a, std::uint32_t b) {
    const Order& x = pool[a];
    const Order& y = pool[b];
    if (x.price != y.price) return side == Side::buy ? x.price > y.price : x.price < y.price;
    return x.priority < y.priority;
  });
  for (const std::uint32_t oi : standing) sweep(oi, pool[oi].open, true);
}

void Engine::Impl::link_blocks(InstrumentId id) {
  Instrument& ins = instruments[id];
  InstrumentId& head = products[ins.product].first_with_blocks;
  ins.prev_with_blocks = kNil;
  ins.next_with_blocks = head;
  if (head != kNil) instruments[head].prev_with_blocks = id;
  head = id;
}

void Engine::Impl::unlink_blocks(InstrumentId id) {
  Instrument& ins = instruments[id];
  (ins.prev_with_blocks == kNil ? products[ins.product].first_with_blocks
                                : instruments[ins.prev_with_blocks].next_with_blocks) = ins.next_with_blocks;
  if (ins.next_with_blocks != kNil) instruments[ins.next_with_blocks].prev_with_blocks = ins.prev_with_blocks;
  ins.prev_with_blocks = ins.next_with_blocks = kNil;
}

}  // namespace gpux
