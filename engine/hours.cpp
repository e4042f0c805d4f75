// Divisible orders (docs/hours.md): one slice per hour, resting in the hour books, each hour
// matching on its own. Blocks reach the slices only by sweeping (sweep.cpp).
#include <algorithm>
#include <cstdint>

#include "engine/engine_impl.hpp"
#include "engine/symbol.hpp"

namespace gpux {

// ---- checks -----------------------------------------------------------------------------------

// Is any of the hours [first, first + n) halted by its one-hour symbol? (The product's own
// halt is checked with the window's.) A set lookup, not n of them.
bool Engine::Impl::hours_halted(ProductId p, std::int64_t first, std::int64_t n) const {
  const std::set<std::int64_t>& halted = products[p].halted_hours;
  if (halted.empty()) return false;
  const auto it = halted.lower_bound(first);
  return it != halted.end() && *it < first + n;
}

// Would a divisible order at `price` cross the best contra slice of any of these hours?
bool Engine::Impl::hours_cross(ProductId p, std::int64_t first, std::int64_t n, Side side, Price price) const {
  for (std::int64_t h = first; h < first + n; ++h) {
    const InstrumentId hb = hour_book(p, h);
    if (hb != kNil && hours_of(hb, opposite(side)).crosses(side, price)) return true;
  }
  return false;
}

// ---- hour books -------------------------------------------------------------------------------

// The instrument P@h+1h, listed now if it was not: its hour book is where hour h's slices rest.
InstrumentId Engine::Impl::ensure_hour_book(ProductId p, std::int64_t hour) {
  const InstrumentId id = hour_book(p, hour);
  if (id != kNil) return id;
  FixedString<kMaxSymbolLen> symbol;
  format_symbol(catalog.products()[p].id, hour, 1, symbol);
  const InstrumentId listed = list_instrument(symbol.view(), SymbolIndex::hash(symbol.view()), p,
                                              I128{hour} * kNsPerHour, 1);
  mark_emptied(listed);  // unlisted at the command's end unless something rests or traded there
  return listed;
}

// ---- slices -----------------------------------------------------------------------------------

// A slice of `oi` with `open` GPUs joins the back of its level in hour book `hb`, and the end
// of its order's slices (callers go in ascending hour).
std::uint32_t Engine::Impl::rest_slice(std::uint32_t oi, InstrumentId hb, Qty open) {
  Order& o = pool[oi];
  const std::uint32_t si = slices.allocate();
  Slice& s = slices[si];
  s.order = oi;
  s.book = hb;
  s.open = open;
  s.priority = stamp();
  s.order_next = kNil;
  s.order_prev = o.next;  // the order's last slice
  if (o.next != kNil) slices[o.next].order_next = si;
  else o.prev = si;
  o.next = si;

  Instrument& ins = instruments[hb];
  ++ins.slices;
  std::int64_t li;
  Level& l = hours_of(hb, o.side).join(o.side, o.price, li);
  s.next = kNil;
  s.prev = l.tail;
  if (l.tail != kNil) slices[l.tail].next = si;
  else l.head = si;
  l.tail = si;
  l.qty += open;
  ++l.count;
  touch(hb, o.side, l, o.price, true);
  commit_slice(o, s, open);
  return si;
}

// Takes the slice out of its level (it stays in its order's list).
void Engine::Impl::unlink_slice(std::uint32_t si) {
  Slice& s = slices[si];
  const Order& o = pool[s.order];
  Instrument& ins = instruments[s.book];
  Book& book = hours_of(s.book, o.side);
  const std::int64_t li = book.index_of(o.price);
  Level& l = book.at(li);
  if (s.prev != kNil) slices[s.prev].next = s.next;
  else l.head = s.next;
  if (s.next != kNil) slices[s.next].prev = s.prev;
  else l.tail = s.prev;
  l.qty -= s.open;
  --l.count;
  touch(s.book, o.side, l, o.price, true);
  commit_slice(o, s, -s.open);
  if (l.count == 0 && book.vacate(o.side, li)) empty_pages.push_back({s.book, true, o.side, book.page_of(li)});
  if (--ins.slices == 0) mark_emptied(s.book);
}

// Removes a slice for good, from its level and its order. True when it was the order's last:
// the order has then left the book, and the caller gives up its index.
bool Engine::Impl::drop_slice(std::uint32_t si) {
  unlink_slice(si);
  Slice& s = slices[si];
  Order& o = pool[s.order];
  if (s.order_prev != kNil) slices[s.order_prev].order_next = s.order_next;
  else o.prev = s.order_next;
  if (s.order_next != kNil) slices[s.order_next].order_prev = s.order_prev;
  else o.next = s.order_prev;
  slices.release(si);
  return o.prev == kNil;
}

// A slice traded to 0: it goes, and its order with it if it was the last (filled: no event).
void Engine::Impl::drop_filled_slice(std::uint32_t si) {
  const std::uint32_t oi = slices[si].order;
  if (drop_slice(si)) {
    unindex(oi);
    pool.release(oi);
  }
}

// Cancels (or expires, with one reason) every resting slice of a divisible order, which then
// leaves: the events go by runs of hours (docs/hours.md "Events of hours").
void Engine::Impl::retire_divisible(std::uint32_t oi, EventType type, Reason reason, Ts ts) {
  Order& o = pool[oi];
  hours_left.clear();
  for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next)
    hours_left.push_back(HourLeft{instruments[slices[si].book].start_hour, slices[si].open, reason});
  emit_runs(o, type, ts);
  while (o.prev != kNil) drop_slice(o.prev);
  unindex(oi);
  pool.release(oi);
}

// The slices of `oi` whose deadline is `deadline` expire (docs/hours.md "Time"): those whose
// hour's gate closes then, and all of them when the order's gtd expire_ts is then. Deadlines
// rise with the hour, so the walk stops at the first later one.
void Engine::Impl::expire_slices(std::uint32_t oi, Ts deadline) {
  Order& o = pool[oi];
  const Ts expire = o.tif == Tif::gtd ? o.expire_ts : kNever;
  hours_left.clear();
  std::uint32_t last = kNil;
  for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next) {
    const Ts gate = slice_gate(slices[si]);
    if (std::min(gate, expire) > deadline) break;
    hours_left.push_back(HourLeft{instruments[slices[si].book].start_hour, slices[si].open,
                                  gate <= expire ? Reason::gate_closed : Reason::gtd});
    last = si;
  }
  if (last == kNil) return;
  emit_runs(o, EventType::expired, deadline);
  bool gone = false;
  for (std::size_t i = 0; i < hours_left.size(); ++i) gone = drop_slice(o.prev);
  if (gone) {
    unindex(oi);
    pool.release(oi);
  }
}

// ---- a divisible order arriving ---------------------------------------------------------------

// After `accepted`: matches hour by hour, then cancels (ioc) or rests what is left, and lets
// the standing blocks sweep what came to rest.
void Engine::Impl::place_divisible(std::uint32_t oi, std::uint32_t cl_id_hash) {
  Order& o = pool[oi];
  o.prev = o.next = kNil;
  const Instrument& window = instruments[o.instrument];
  hours_left.clear();
  for (std::int64_t h = window.start_hour; h < window.start_hour + window.length; ++h)
    hours_left.push_back(HourLeft{h, o.open, Reason::user});
  match_hours(oi);
  if (o.tif == Tif::ioc) {
    for (HourLeft& h : hours_left) h.reason = Reason::ioc;
    emit_runs(o, EventType::canceled, now);
    pool.release(oi);
    return;
  }
  if (hours_left.empty()) {
    pool.release(oi);
    return;
  }
  index(oi, cl_id_hash);
  rest_left(oi);
}

// Rests `hours_left` as slices of `oi`, ascending hour, then lets the standing blocks sweep.
void Engine::Impl::rest_left(std::uint32_t oi) {
  const Order& o = pool[oi];
  const ProductId p = instruments[o.instrument].product;
  rested.clear();
  for (const HourLeft& h : hours_left) {
    rest_slice(oi, ensure_hour_book(p, h.hour), h.open);
    rested.push_back(h.hour);
  }
  sweep_standing(p, o.side);
}

// The order's slices, `hours_left` (its window's hours on arrival, its resting ones on a
// replace, ascending), meet the contra slices hour by hour. Leaves in `hours_left` the hours
// still open after matching, with what is open there.
void Engine::Impl::match_hours(std::uint32_t oi) {
  const ProductId p = instruments[pool[oi].instrument].product;
  begin_hours();
  std::size_t kept = 0;
  std::int64_t before = 0;
  for (std::size_t i = 0; i < hours_left.size(); ++i) {
    HourLeft h = hours_left[i];
    next_hour(i > 0 && h.hour == before + 1);  // trades merge only across adjacent hours
    before = h.hour;
    const InstrumentId hb = hour_book(p, h.hour);
    if (hb != kNil && instruments[hb].slices > 0) h.open = match_hour(hb, oi, h.open, h.hour);
    if (h.open > 0) hours_left[kept++] = h;
  }
  hours_left.resize(kept);
  end_hours(p);
}

// One hour: the order's slice (open GPUs) against hour book `hb`, best price first, then time
// priority, passing over its own account's slices. Returns what is left open.
Qty Engine::Impl::match_hour(InstrumentId hb, std::uint32_t oi, Qty open, std::int64_t hour) {
  const Order& in = pool[oi];
  const Side contra = opposite(in.side);
  Book& book = hours_of(hb, contra);
  for (std::int64_t li = book.best(contra); open > 0 && li >= 0; li = book.next_behind(contra, li)) {
    const Price lp = book.price_at(li);
    if (in.side == Side::buy ? lp > in.price : lp < in.price) break;
    Level& l = book.at(li);
    for (std::uint32_t si = l.head; si != kNil && open > 0;) {
      Slice& s = slices[si];
      const std::uint32_t next = s.next;
      const Order& r = pool[s.order];
      if (r.account != in.account) {
        const Qty q = std::min(open, s.open);
        open -= q;
        s.open -= q;
        if (r.side == Side::buy) commit_slice(r, s, -q);  // a sell's: settle_trades()
        l.qty -= q;
        touch(hb, contra, l, lp, true);
        hour_trade(hour, in, r, lp, q, open, s.open, in.side);
        if (s.open == 0) drop_filled_slice(si);
      }
      si = next;
    }
  }
  return open;
}

// ---- replace ----------------------------------------------------------------------------------

// docs/hours.md "Replace of a divisible order": it applies to the resting slices.
void Engine::Impl::replace_divisible(const Command& c, std::uint32_t oi, AccountId account) {
  auto reject = [&](Reason r) { emit_lookup_rejected(EventType::replace_rejected, c, account, r); };
  Order& o = pool[oi];
  Instrument& window = instruments[o.instrument];
  const ProductId pid = window.product;
  const Product& p = catalog.products()[pid];
  bool halted = instrument_halted(window);
  Qty smallest = p.max_qty;
  for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next) {
    halted = halted || instrument_halted(instruments[slices[si].book]);
    smallest = std::min(smallest, slices[si].open);
  }
  if (halted) return reject(Reason::halted);
  if (!valid_qty(c.qty, p)) return reject(Reason::bad_qty);
  if (!valid_limit_price(c.price, p)) return reject(Reason::bad_price);
  const Price price = c.price.value;
  if (price != o.price && !in_band(price, current_band(window, p))) return reject(Reason::price_band);
  if (o.post_only) {
    for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next)
      if (hours_of(slices[si].book, opposite(o.side)).crosses(o.side, price)) return reject(Reason::post_only);
  }
  if (c.has_new_cl_id && !renamable(oi, account, c.new_cl_id)) return reject(Reason::duplicate_cl_id);
  if (risk_on) flush_commits();
  if (risk_on && !replace_backed(o, price, c.qty))
    return reject(o.side == Side::sell ? Reason::no_capacity : Reason::no_credit);
  if (c.has_new_cl_id) rename(oi, account, c.new_cl_id);

  const bool keep = price == o.price && c.qty <= smallest;
  Event& e = emit(EventType::replaced, now);
  e.order_id = o.id;
  e.account = account;
  e.cl_id = o.cl_id;
  e.price = price;
  e.qty = c.qty;
  e.priority_kept = keep;

  o.open = c.qty;
  if (keep) {
    for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next) {
      Slice& s = slices[si];
      Book& book = hours_of(s.book, o.side);
      Level& l = book.at(book.index_of(o.price));
      l.qty += c.qty - s.open;
      commit_slice(o, s, c.qty - s.open);
      s.open = c.qty;
      touch(s.book, o.side, l, o.price, true);
    }
    return;
  }
  // Every resting hour leaves its level, then comes back as an incoming slice of c.qty.
  hours_left.clear();
  for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next)
    hours_left.push_back(HourLeft{instruments[slices[si].book].start_hour, c.qty, Reason::user});
  while (o.prev != kNil) drop_slice(o.prev);
  o.price = price;
  match_hours(oi);
  if (hours_left.empty()) {
    unindex(oi);
    pool.release(oi);
    return;
  }
  rest_left(oi);
}

}  // namespace gpux
