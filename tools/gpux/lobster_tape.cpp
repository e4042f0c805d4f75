#include "tools/gpux/lobster_tape.hpp"

#include <algorithm>

namespace gpux {

namespace {

int direction(Side s) { return s == Side::buy ? 1 : -1; }

template <class Levels>
bool same_levels(const Levels& mine, const std::vector<LevelView>& engine) {
  if (mine.size() != engine.size()) return false;
  std::size_t i = 0;
  for (const auto& [price, qty] : mine) {
    if (engine[i].price != price || engine[i].qty != qty) return false;
    ++i;
  }
  return true;
}

}  // namespace

LobsterTape::LobsterTape(std::string symbol, std::string product, MessageFn on_message)
    : symbol_(std::move(symbol)), product_(std::move(product)), on_message_(std::move(on_message)) {}

bool LobsterTape::command(const EventBuffer& events, const DepthBuffer& depth, const Engine& engine) {
  const std::uint64_t before = messages_;
  Ts now = 0;
  for (const Event& e : events) {
    switch (e.type) {
      case EventType::accepted:
        if (!mine(e.instrument, engine)) break;
        orders_[e.order_id] = Order{e.side, e.price, e.qty, 0, e.has_display_qty ? e.display_qty : 0, false};
        incoming_.push_back(e.order_id);
        now = e.ts;
        break;
      case EventType::trade:
        if (mine(e.instrument, engine)) on_trade(e);
        break;
      case EventType::canceled:
      case EventType::expired:
        on_end(e);
        break;
      case EventType::replaced:
        on_replaced(e);
        now = e.ts;
        break;
      case EventType::halted:
      case EventType::resumed:
        if (e.target.view() == (e.target_is_instrument ? symbol_ : product_))
          emit(e.ts, LobsterMessage::halt, 0, 0, e.type == EventType::halted ? -1 : 1, -1);
        break;
      default: break;
    }
  }
  rest_incoming(now);
  bool touched = messages_ != before;
  for (const LevelUpdate& u : depth) touched = touched || mine(u.instrument, engine);
  return !touched || agrees(engine);
}

// By symbol, not by a remembered id: the engine reuses the id of an instrument it unlisted (one
// left without orders), and lists the symbol again under another id. The id of the latest
// match stays right for agrees(): only an accepted order lists the symbol again.
bool LobsterTape::mine(InstrumentId id, const Engine& engine) {
  if (engine.symbol(id) != symbol_) return false;
  listed_ = true;
  id_ = id;
  return true;
}

void LobsterTape::emit(Ts time, LobsterMessage::Type type, OrderId id, Qty size, Price price, int dir) {
  ++messages_;
  on_message_(LobsterMessage{time, type, id, size, price, dir}, book_);
}

void LobsterTape::add(Side side, Price price, Qty qty) {
  const auto change = [&](auto& levels) {
    if ((levels[price] += qty) == 0) levels.erase(price);
  };
  if (side == Side::buy) change(book_.bids);
  else change(book_.asks);
}

void LobsterTape::on_trade(const Event& e) {
  const bool buy_aggressor = e.aggressor == Side::buy;
  const auto resting = orders_.find(buy_aggressor ? e.sell_order_id : e.buy_order_id);
  const auto incoming = orders_.find(buy_aggressor ? e.buy_order_id : e.sell_order_id);
  if (resting == orders_.end() || !resting->second.in_book || incoming == orders_.end()) {
    broken_ = true;
    return;
  }
  incoming->second.open = buy_aggressor ? e.buy_leaves : e.sell_leaves;
  Order& r = resting->second;
  const OrderId id = resting->first;
  add(r.side, r.price, -e.qty);
  r.shown -= e.qty;
  r.open = buy_aggressor ? e.sell_leaves : e.buy_leaves;
  emit(e.ts, LobsterMessage::execute_visible, id, e.qty, e.price, direction(r.side));
  if (r.open == 0) {
    orders_.erase(resting);
  } else if (r.shown == 0) {
    // An iceberg's clip is used up: a fresh clip joins the back of the level.
    r.shown = std::min(r.display, r.open);
    add(r.side, r.price, r.shown);
    emit(e.ts, LobsterMessage::submit, id, r.shown, r.price, direction(r.side));
  }
}

void LobsterTape::on_end(const Event& e) {
  const auto it = orders_.find(e.order_id);
  if (it == orders_.end()) return;  // another instrument's order
  const Order& o = it->second;
  if (o.in_book) {
    add(o.side, o.price, -o.shown);
    emit(e.ts, LobsterMessage::delete_order, e.order_id, o.shown, o.price, direction(o.side));
  }
  orders_.erase(it);
}

void LobsterTape::on_replaced(const Event& e) {
  const auto it = orders_.find(e.order_id);
  if (it == orders_.end()) return;
  Order& o = it->second;
  if (e.priority_kept) {
    const Qty shown = o.display ? std::min(o.shown, e.qty) : e.qty;
    const Qty cut = o.shown - shown;
    o.open = e.qty;
    o.shown = shown;
    if (cut == 0) return;  // only hidden quantity went: nothing visible changed
    add(o.side, o.price, -cut);
    emit(e.ts, LobsterMessage::partial_cancel, e.order_id, cut, o.price, direction(o.side));
    return;
  }
  // Priority lost: the order leaves the book, matches as an incoming order at its new price,
  // and whatever is left rests anew.
  add(o.side, o.price, -o.shown);
  emit(e.ts, LobsterMessage::delete_order, e.order_id, o.shown, o.price, direction(o.side));
  o.price = e.price;
  o.open = e.qty;
  o.shown = 0;
  o.in_book = false;
  incoming_.push_back(e.order_id);
}

void LobsterTape::rest_incoming(Ts time) {
  for (const OrderId id : incoming_) {
    const auto it = orders_.find(id);
    if (it == orders_.end()) continue;  // canceled: ioc rest, fok, min_qty, stp
    Order& o = it->second;
    if (o.open == 0) {
      orders_.erase(it);
      continue;
    }
    o.shown = o.display ? std::min(o.display, o.open) : o.open;
    o.in_book = true;
    add(o.side, o.price, o.shown);
    emit(time, LobsterMessage::submit, id, o.shown, o.price, direction(o.side));
  }
  incoming_.clear();
}

bool LobsterTape::agrees(const Engine& engine) const {
  if (broken_) return false;
  if (!listed_) return book_.bids.empty() && book_.asks.empty();
  engine.levels(id_, Side::buy, levels_);
  if (!same_levels(book_.bids, levels_)) return false;
  engine.levels(id_, Side::sell, levels_);
  return same_levels(book_.asks, levels_);
}

}  // namespace gpux
