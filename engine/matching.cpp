// The book: resting orders joining it, leaving it, and trading (docs/rules.md "Matching: price
// and time priority", "Self-trade prevention", "Icebergs"). Hot: every order passes through here.
#include <algorithm>
#include <cstdint>

#include "engine/engine_impl.hpp"

namespace gpux {

// ---- resting orders ---------------------------------------------------------------------------

void Engine::Impl::rest(std::uint32_t oi) {
  Order& o = pool[oi];
  Instrument& ins = instruments[o.instrument];
  std::int64_t li;
  Level& l = ins.book.join(o.side, o.price, li);
  o.priority = stamp();
  o.next = kNil;
  o.prev = l.tail;
  if (l.tail != kNil) pool[l.tail].next = oi;
  else l.head = oi;
  l.tail = oi;
  l.qty += o.shown;
  ++l.count;
  touch(o.instrument, o.side, l, o.price);
  commit_block(o, o.open);
}

// Takes the order out of its level's FIFO (it stays indexed).
void Engine::Impl::unlink(std::uint32_t oi) {
  Order& o = pool[oi];
  Instrument& ins = instruments[o.instrument];
  Book& book = ins.book;
  const std::int64_t li = book.index_of(o.price);
  Level& l = book.at(li);
  if (o.prev != kNil) pool[o.prev].next = o.next;
  else l.head = o.next;
  if (o.next != kNil) pool[o.next].prev = o.prev;
  else l.tail = o.prev;
  l.qty -= o.shown;
  --l.count;
  touch(o.instrument, o.side, l, o.price);
  commit_block(o, -o.open);
  if (l.count == 0 && book.vacate(o.side, li)) empty_pages.push_back({o.instrument, false, o.side, book.page_of(li)});
}

void Engine::Impl::index(std::uint32_t oi, std::uint32_t cl_id_hash) {
  Order& o = pool[oi];
  by_id.insert(id_hash(o.id), oi);
  by_cl_id.insert(cl_id_hash, oi);
  Account& a = accounts[o.account];
  o.account_next = kNil;
  o.account_prev = a.tail;
  if (a.tail != kNil) pool[a.tail].account_next = oi;
  else a.head = oi;
  a.tail = oi;
  ++a.resting;
  Instrument& ins = instruments[o.instrument];
  ++ins.resting;
  o.heap_pos = kNil;
  if (o.divisible) {
    ++a.divisible[static_cast<int>(o.side)];
    // Some slice expires by gtd rather than at its hour's gate: the last hour's gate is later.
    const I128 last_gate = I128{ins.gate} + I128{ins.length - 1} * kNsPerHour;
    if (o.tif == Tif::gtd && o.expire_ts < last_gate) gtd.push(oi);
    return;
  }
  if (ins.blocks++ == 0) link_blocks(o.instrument);
  if (o.tif == Tif::gtd && o.expire_ts < ins.gate) gtd.push(oi);
}

void Engine::Impl::unindex(std::uint32_t oi) {
  Order& o = pool[oi];
  by_id.erase(id_hash(o.id), oi);
  by_cl_id.erase(cl_hash(accounts[o.account].name_hash, o.cl_id.view()), oi);
  Account& a = accounts[o.account];
  if (o.account_prev != kNil) pool[o.account_prev].account_next = o.account_next;
  else a.head = o.account_next;
  if (o.account_next != kNil) pool[o.account_next].account_prev = o.account_prev;
  else a.tail = o.account_prev;
  --a.resting;
  Instrument& ins = instruments[o.instrument];
  if (o.divisible) --a.divisible[static_cast<int>(o.side)];
  else if (--ins.blocks == 0) unlink_blocks(o.instrument);
  if (--ins.resting == 0) mark_emptied(o.instrument);
  if (o.heap_pos != kNil) gtd.erase(oi);
}

// Removes a resting order for good, with its closing event.
void Engine::Impl::retire(std::uint32_t oi, EventType type, Reason reason, Ts ts) {
  if (pool[oi].divisible) return retire_divisible(oi, type, reason, ts);
  emit_order_end(type, pool[oi], reason, ts);
  unlink(oi);
  unindex(oi);
  pool.release(oi);
}

// ---- matching ---------------------------------------------------------------------------------

// Trades `in` against the other side while it crosses (docs/rules.md "Matching: price and time
// priority"). `in` is not in the book. Returns aggressor_canceled when self-trade prevention
// stopped it; the caller then emits the aggressor's `stp` cancel.
Engine::Impl::MatchEnd Engine::Impl::match(InstrumentId inst, Order& in) {
  Instrument& ins = instruments[inst];
  Book& book = ins.book;
  const Side contra = opposite(in.side);
  while (in.open > 0 && !book.empty(contra)) {
    const std::int64_t li = book.best(contra);
    const Price lp = book.price_at(li);
    if (in.side == Side::buy ? lp > in.price : lp < in.price) break;
    Level& l = book.at(li);
    while (in.open > 0 && l.count > 0) {
      const std::uint32_t ri = l.head;
      Order& r = pool[ri];
      if (r.next != kNil) __builtin_prefetch(&pool[r.next]);  // likely the next one to trade
      if (r.account == in.account) {
        if (in.stp == Stp::cancel_aggressor) return MatchEnd::aggressor_canceled;
        cancel_resting(ri, Reason::stp);
        if (in.stp == Stp::cancel_both) return MatchEnd::aggressor_canceled;
        continue;
      }
      const Qty q = std::min(in.open, r.shown);
      in.open -= q;
      r.open -= q;
      if (r.side == Side::buy) commit_block(r, -q);  // a sell's: settle_trades()
      r.shown -= q;
      l.qty -= q;
      ins.last_trade = lp;
      touch(inst, contra, l, lp);
      emit_trade(inst, in, r, lp, q);
      if (r.open == 0) {
        unlink(ri);
        unindex(ri);
        pool.release(ri);
      } else if (r.shown == 0) {
        // Iceberg refill: a fresh clip, at the back of the level.
        r.shown = std::min(r.display, r.open);
        r.priority = stamp();
        l.qty += r.shown;
        if (r.next != kNil) {
          l.head = r.next;
          pool[r.next].prev = kNil;
          r.prev = l.tail;
          r.next = kNil;
          pool[l.tail].next = ri;
          l.tail = ri;
        }
      }
    }
  }
  return MatchEnd::done;
}

inline void Engine::Impl::emit_trade(InstrumentId inst, const Order& in, const Order& r, Price price, Qty q) {
  Event& e = emit(EventType::trade, now);
  e.match = ++match_no;
  e.instrument = inst;
  e.price = price;
  e.qty = q;
  const Order& buy = in.side == Side::buy ? in : r;
  const Order& sell = in.side == Side::buy ? r : in;
  e.buy_order_id = buy.id;
  e.sell_order_id = sell.id;
  e.buy_account = buy.account;
  e.sell_account = sell.account;
  e.aggressor = in.side;
  e.buy_leaves = buy.open;
  e.sell_leaves = sell.open;
}

// What `in` would trade right now, stopping early once `enough` is reached: the min_qty/fok
// check, run before anything happens. Follows match() step by step, including self-trade
// prevention and iceberg refills, without changing anything.
Qty Engine::Impl::simulate(const Instrument& ins, const Order& in, Qty enough, bool& stopped) const {
  stopped = false;
  const Book& book = ins.book;
  const Side contra = opposite(in.side);
  Qty left = in.open;
  Qty traded = 0;
  for (std::int64_t li = book.best(contra); li >= 0; li = book.next_behind(contra, li)) {
    const Price lp = book.price_at(li);
    if (in.side == Side::buy ? lp > in.price : lp < in.price) break;
    // One pass over the queue as it stands; icebergs whose clip is used up refill and wait
    // behind it, where nothing can stop them (they are other accounts' orders): the rest of
    // this level then trades min(left, what they still hold).
    Qty requeued = 0;
    for (std::uint32_t ri = book.at(li).head; ri != kNil; ri = pool[ri].next) {
      const Order& r = pool[ri];
      if (r.account == in.account) {
        if (in.stp == Stp::cancel_resting) continue;
        stopped = true;
        return traded;
      }
      const Qty q = std::min(left, r.shown);
      left -= q;
      traded += q;
      if (traded >= enough || left == 0) return traded;
      requeued += r.open - q;
    }
    const Qty q = std::min(left, requeued);
    left -= q;
    traded += q;
    if (traded >= enough || left == 0) return traded;
  }
  return traded;
}

}  // namespace gpux
