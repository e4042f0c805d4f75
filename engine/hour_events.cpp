// Events of hours (docs/hours.md "Events of hours"): trades made hour by hour merge across
// adjacent hours into one trade naming the rectangle they cover, and a divisible order's
// cancels and expiries go by runs of hours with the same open quantity. A rectangle is named
// by an instrument, listed for the purpose when it is not: its last trade price is the band's
// reference for that symbol, and an instrument listed only to name a cancel is gone again at
// the command's end.
#include <cstdint>
#include <utility>

#include "engine/engine_impl.hpp"
#include "engine/symbol.hpp"

namespace gpux {

// A pass of hour-by-hour trades (one divisible order's matching, or one sweep) begins.
void Engine::Impl::begin_hours() {
  hour_trades[0].clear();
  hour_trades[1].clear();
  rects.clear();
}

// The pass moves to its next hour; `adjacent` when that hour follows the last one.
void Engine::Impl::next_hour(bool adjacent) {
  this_hour ^= 1;
  hour_trades[this_hour].clear();
  if (!adjacent) hour_trades[this_hour ^ 1].clear();
}

// A trade in `hour`: merged into an equal one of the hour before (same orders, price, qty and
// leaves), or a new trade event. Until end_hours(), a trade's `instrument` is its index in
// `rects`. Each pair of orders meets at most once an hour, so one equal trade at most exists.
void Engine::Impl::hour_trade(std::int64_t hour, const Order& in, const Order& r, Price price, Qty q,
                              Qty in_leaves, Qty r_leaves, Side aggressor) {
  const bool in_buys = in.side == Side::buy;
  const Order& buy = in_buys ? in : r;
  const Order& sell = in_buys ? r : in;
  const Qty buy_leaves = in_buys ? in_leaves : r_leaves;
  const Qty sell_leaves = in_buys ? r_leaves : in_leaves;
  for (const std::uint32_t i : hour_trades[this_hour ^ 1]) {
    const Event& e = (*out)[i];
    if (e.buy_order_id == buy.id && e.sell_order_id == sell.id && e.price == price && e.qty == q &&
        e.buy_leaves == buy_leaves && e.sell_leaves == sell_leaves) {
      ++rects[e.instrument].hours;
      hour_trades[this_hour].push_back(i);
      return;
    }
  }
  const auto index = static_cast<std::uint32_t>(out->size());
  Event& e = emit(EventType::trade, now);
  e.match = ++match_no;
  e.instrument = static_cast<InstrumentId>(rects.size());
  e.price = price;
  e.qty = q;
  e.buy_order_id = buy.id;
  e.sell_order_id = sell.id;
  e.buy_account = buy.account;
  e.sell_account = sell.account;
  e.aggressor = aggressor;
  e.buy_leaves = buy_leaves;
  e.sell_leaves = sell_leaves;
  rects.push_back(Rect{index, hour, 1});
  hour_trades[this_hour].push_back(index);
}

// The pass is over: each trade gets its rectangle's instrument, whose last trade price it
// sets, in event order.
void Engine::Impl::end_hours(ProductId p) {
  for (const Rect& r : rects) {
    const InstrumentId id = name_rect(p, r.start_hour, r.hours);
    Event& e = (*out)[r.event];
    e.instrument = id;
    instruments[id].last_trade = e.price;
  }
  rects.clear();
}

// The instrument PRODUCT@start+Nh, listed now if it is not.
InstrumentId Engine::Impl::name_rect(ProductId p, std::int64_t start_hour, std::int64_t hours) {
  if (hours == 1) {
    const InstrumentId id = hour_book(p, start_hour);
    if (id != kNil) return id;
  }
  FixedString<kMaxSymbolLen> symbol;
  format_symbol(catalog.products()[p].id, start_hour, hours, symbol);
  const std::uint32_t hash = SymbolIndex::hash(symbol.view());
  InstrumentId id = find_instrument(symbol.view(), hash);
  if (id != kNil) return id;
  id = list_instrument(symbol.view(), hash, p, I128{start_hour} * kNsPerHour, hours);
  mark_emptied(id);
  return id;
}

// One event of `type` per run of `hours_left` (adjacent hours, equal open quantity and
// reason), ascending hour: a divisible order's cancels and expiries.
void Engine::Impl::emit_runs(const Order& o, EventType type, Ts ts) {
  const ProductId p = instruments[o.instrument].product;
  const std::size_t n = hours_left.size();
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i + 1;
    while (j < n && hours_left[j].hour == hours_left[j - 1].hour + 1 && hours_left[j].open == hours_left[i].open &&
           hours_left[j].reason == hours_left[i].reason)
      ++j;
    const InstrumentId id = name_rect(p, hours_left[i].hour, static_cast<std::int64_t>(j - i));
    Event& e = emit(type, ts);
    e.order_id = o.id;
    e.account = o.account;
    e.cl_id = o.cl_id;
    e.leaves = hours_left[i].open;
    e.reason = hours_left[i].reason;
    e.has_instrument = true;
    e.instrument = id;
    i = j;
  }
}

}  // namespace gpux
