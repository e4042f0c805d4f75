// The market-data half of Sessions: the gateway's L2 mirror of the window books and of the
// hour books, subscriptions to either, and the snapshots and updates their subscribers get.
// Split from sessions.cpp, which keeps framing, logins, commands and report routing.
#include <algorithm>

#include "engine/symbol.hpp"
#include "gateway/session/sessions.hpp"

namespace gpux::gateway {

using namespace protocol;

namespace {

// A level's final state into a mirror: orders == 0 means it is gone.
template <class Bids, class Asks>
void set_level(Bids& bids, Asks& asks, const LevelRecord& u, const wire::Level& level) {
  if (u.side == Side::buy) {
    if (u.orders == 0) bids.erase(u.price);
    else bids[u.price] = level;
  } else {
    if (u.orders == 0) asks.erase(u.price);
    else asks[u.price] = level;
  }
}

}  // namespace

void Sessions::seed_books(const Engine& engine) {
  mirror_seq_ = pipeline_.last_seq();
  std::vector<LevelView> bids, asks;
  std::vector<InstrumentId> listed;
  engine.instruments(listed);
  for (const InstrumentId i : listed) {
    engine.levels(i, Side::buy, bids);
    engine.levels(i, Side::sell, asks);
    if (bids.empty() && asks.empty()) continue;  // an empty book is not tracked
    Market& m = markets_[std::string(engine.symbol(i))];
    for (const LevelView& l : bids) m.bids[l.price] = wire::Level(l.price, l.qty, l.orders);
    for (const LevelView& l : asks) m.asks[l.price] = wire::Level(l.price, l.qty, l.orders);
  }
  // The hour books: those of every product that hold slices.
  const auto& products = catalog_.products();
  for (std::size_t p = 0; p < products.size(); ++p) {
    engine.hour_books(static_cast<ProductId>(p), listed);
    for (const InstrumentId i : listed) {
      engine.levels(i, Side::buy, bids, BookKind::hours);
      engine.levels(i, Side::sell, asks, BookKind::hours);
      if (bids.empty() && asks.empty()) continue;
      HourBookMirror& b = hours_markets_[products[p].id].books[engine.start_hour(i)];
      b.symbol = engine.symbol(i);
      for (const LevelView& l : bids) b.bids[l.price] = wire::Level(l.price, l.qty, l.orders);
      for (const LevelView& l : asks) b.asks[l.price] = wire::Level(l.price, l.qty, l.orders);
    }
  }
}

const char* Sessions::unlistable(std::string_view symbol, wire::Reason& reason) const {
  Symbol sym;
  std::int32_t product;
  Reason why;
  const char* text = resolve_symbol(catalog_, symbol, sym, product, why);
  reason = to_wire(why);
  return text;
}

void Sessions::subscribe(ConnId conn, std::string_view instrument) {
  Session& s = sessions_[conn];
  if (!take_token(s)) {
    send(conn, encoder_.protocol_reject(wire::Reason::throttled, "subscribe throttled"));
    return;
  }
  auto it = markets_.find(instrument);
  const bool subscribed = it != markets_.end() && std::find(s.subscriptions.begin(), s.subscriptions.end(),
                                                            &*it) != s.subscriptions.end();
  if (!subscribed) {
    // A tracked instrument's symbol passed these checks already (the engine's, or a Subscribe's).
    wire::Reason reason;
    if (const char* why = it == markets_.end() ? unlistable(instrument, reason) : nullptr) {
      send(conn, encoder_.protocol_reject(reason, why));
      return;
    }
    if (s.subscriptions.size() >= config_.max_subscriptions) {
      send(conn, encoder_.protocol_reject(wire::Reason::too_many_subscriptions,
                                          "the session's subscription limit is reached (--max-subscriptions)"));
      return;
    }
    if (it == markets_.end()) it = markets_.try_emplace(std::string(instrument)).first;
    it->second.subscribers.push_back(conn);
    s.subscriptions.push_back(&*it);
    ++subscriptions_;
  }
  bids_.clear();
  asks_.clear();
  for (const auto& [p, l] : it->second.bids) bids_.push_back(l);
  for (const auto& [p, l] : it->second.asks) asks_.push_back(l);
  send(conn, encoder_.book_snapshot(mirror_seq_, instrument, bids_, asks_));
}

void Sessions::unsubscribe(ConnId conn, std::string_view instrument) {
  Session& s = sessions_[conn];
  if (!take_token(s)) {
    send(conn, encoder_.protocol_reject(wire::Reason::throttled, "unsubscribe throttled"));
    return;
  }
  const auto it = markets_.find(instrument);
  const auto held =
      it == markets_.end() ? s.subscriptions.end() : std::find(s.subscriptions.begin(), s.subscriptions.end(), &*it);
  if (held == s.subscriptions.end()) {
    send(conn, encoder_.protocol_reject(wire::Reason::not_subscribed, "not subscribed to this instrument"));
    return;
  }
  *held = s.subscriptions.back();
  s.subscriptions.pop_back();
  drop_subscriber(*it, conn);
}

void Sessions::drop_subscriber(MarketEntry& market, ConnId conn) {
  std::vector<ConnId>& subs = market.second.subscribers;
  std::erase(subs, conn);
  if (subs.empty()) std::vector<ConnId>().swap(subs);
  --subscriptions_;
  forget_if_idle(market);
}

void Sessions::forget_if_idle(MarketEntry& market) {
  if (!market.second.idle()) return;
  if (market.second.id >= 0) market_by_id_[static_cast<std::size_t>(market.second.id)] = nullptr;
  // Found first: erasing by a key that lives in the node being erased is not safe.
  markets_.erase(markets_.find(std::string_view(market.first)));
}

void Sessions::level(const Outbound& out) {
  const LevelRecord& u = out.level;
  const std::string_view symbol = symbols_[u.instrument];
  if (market_by_id_.size() <= u.instrument) market_by_id_.resize(u.instrument + 1);
  MarketEntry*& entry = market_by_id_[u.instrument];
  if (entry == nullptr) {
    auto it = markets_.find(symbol);
    if (it == markets_.end()) {
      if (u.orders == 0) return;  // a level of a book nobody tracks: nothing to forget
      it = markets_.try_emplace(std::string(symbol)).first;
    }
    entry = &*it;
    entry->second.id = u.instrument;
  }
  Market& m = entry->second;
  const wire::Level l(u.price, u.qty, u.orders);
  set_level(m.bids, m.asks, u, l);
  if (m.subscribers.empty()) return forget_if_idle(*entry);
  to_subscribers(m.subscribers, encoder_.book_update(out.seq, symbol, u.side, l));
}

void Sessions::hours_level(const Outbound& out) {
  const LevelRecord& u = out.level;
  const std::string_view symbol = symbols_[u.instrument];
  Symbol sym;
  if (!parse_symbol(symbol, sym)) return;  // the engine names hour books by one-hour symbols
  auto it = hours_markets_.find(sym.product);
  if (it == hours_markets_.end()) {
    if (u.orders == 0) return;
    it = hours_markets_.try_emplace(std::string(sym.product)).first;
  }
  HoursMarket& m = it->second;
  auto book = m.books.find(sym.start_hour);
  if (book == m.books.end()) {
    if (u.orders == 0) return forget_hours_if_idle(*it);
    book = m.books.try_emplace(sym.start_hour).first;
    book->second.symbol = symbol;
  }
  const wire::Level l(u.price, u.qty, u.orders);
  set_level(book->second.bids, book->second.asks, u, l);
  // An hour book with no levels is forgotten: the mirror holds what rests, nothing more.
  if (book->second.bids.empty() && book->second.asks.empty()) m.books.erase(book);
  if (m.subscribers.empty()) return forget_hours_if_idle(*it);
  to_subscribers(m.subscribers, encoder_.book_update(out.seq, symbol, u.side, l, true));
}

void Sessions::subscribe_hours(ConnId conn, std::string_view product) {
  Session& s = sessions_[conn];
  if (!take_token(s)) {
    send(conn, encoder_.protocol_reject(wire::Reason::throttled, "subscribe throttled"));
    return;
  }
  auto it = hours_markets_.find(product);
  const bool subscribed = it != hours_markets_.end() &&
                          std::find(s.hour_subscriptions.begin(), s.hour_subscriptions.end(), &*it) !=
                              s.hour_subscriptions.end();
  if (!subscribed) {
    if (catalog_.find(product) < 0) {
      send(conn, encoder_.protocol_reject(wire::Reason::unknown_instrument, "no such product in the catalog"));
      return;
    }
    if (s.subscriptions.size() + s.hour_subscriptions.size() >= config_.max_subscriptions) {
      send(conn, encoder_.protocol_reject(wire::Reason::too_many_subscriptions,
                                          "the session's subscription limit is reached (--max-subscriptions)"));
      return;
    }
    if (it == hours_markets_.end()) it = hours_markets_.try_emplace(std::string(product)).first;
    it->second.subscribers.push_back(conn);
    s.hour_subscriptions.push_back(&*it);
    ++subscriptions_;
  }
  // Every hour book at once, ascending hour: the levels are copied first, as the views point
  // into these vectors.
  const auto& books = it->second.books;
  hour_levels_.clear();
  hour_views_.clear();
  for (const auto& [hour, b] : books) {
    for (const auto& [p, l] : b.bids) hour_levels_.push_back(l);
    for (const auto& [p, l] : b.asks) hour_levels_.push_back(l);
  }
  std::size_t at = 0;
  for (const auto& [hour, b] : books) {
    const std::span<const wire::Level> all(hour_levels_);
    const auto bids = all.subspan(at, b.bids.size());
    const auto asks = all.subspan(at + b.bids.size(), b.asks.size());
    at += b.bids.size() + b.asks.size();
    hour_views_.push_back(HourBookView{b.symbol, hour, bids, asks});
  }
  send(conn, encoder_.hours_snapshot(mirror_seq_, product, hour_views_));
}

void Sessions::unsubscribe_hours(ConnId conn, std::string_view product) {
  Session& s = sessions_[conn];
  if (!take_token(s)) {
    send(conn, encoder_.protocol_reject(wire::Reason::throttled, "unsubscribe throttled"));
    return;
  }
  const auto it = hours_markets_.find(product);
  const auto held = it == hours_markets_.end()
                        ? s.hour_subscriptions.end()
                        : std::find(s.hour_subscriptions.begin(), s.hour_subscriptions.end(), &*it);
  if (held == s.hour_subscriptions.end()) {
    send(conn, encoder_.protocol_reject(wire::Reason::not_subscribed, "not subscribed to this product's hours"));
    return;
  }
  *held = s.hour_subscriptions.back();
  s.hour_subscriptions.pop_back();
  drop_hours_subscriber(*it, conn);
}

void Sessions::drop_hours_subscriber(HoursEntry& market, ConnId conn) {
  std::vector<ConnId>& subs = market.second.subscribers;
  std::erase(subs, conn);
  if (subs.empty()) std::vector<ConnId>().swap(subs);
  --subscriptions_;
  forget_hours_if_idle(market);
}

void Sessions::forget_hours_if_idle(HoursEntry& market) {
  if (market.second.idle()) hours_markets_.erase(hours_markets_.find(std::string_view(market.first)));
}

}  // namespace gpux::gateway
