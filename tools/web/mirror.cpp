#include "tools/web/mirror.hpp"

#include <algorithm>
#include <cstdio>

#include "engine/symbol.hpp"
#include "tools/client/render_json.hpp"

namespace gpux::web {

namespace {

void append_int(std::string& out, std::int64_t v) { out += std::to_string(v); }

template <class Levels>
void set_level(Levels& levels, const wire::Level& l) {
  if (l.orders() == 0 || l.qty() <= 0) levels.erase(l.price());
  else levels[l.price()] = {l.qty(), l.orders()};
}

template <class Levels>
void load_levels(Levels& levels, const flatbuffers::Vector<const wire::Level*>* from) {
  levels.clear();
  if (from == nullptr) return;
  for (const wire::Level* l : *from) set_level(levels, *l);
}

}  // namespace


Mirror::Mirror(std::vector<std::string> products, MirrorLimits limits)
    : products_(std::move(products)), limits_(limits) {
  for (const std::string& p : products_) by_product_[p];
}

Mirror::Product* Mirror::product(std::string_view id) {
  const auto it = by_product_.find(id);
  return it == by_product_.end() ? nullptr : &it->second;
}

void Mirror::set_connected(bool connected) {
  if (connected == connected_) return;
  connected_ = connected;
  connected_changed_ = true;
}

void Mirror::set_windows(const std::vector<std::string>& windows) {
  std::map<std::string, Book, std::less<>> next;
  for (const std::string& w : windows) {
    const auto it = windows_.find(w);
    next[w] = it == windows_.end() ? Book{} : std::move(it->second);
  }
  if (next.size() != windows_.size() ||
      !std::equal(next.begin(), next.end(), windows_.begin(), [](const auto& a, const auto& b) { return a.first == b.first; }))
    windows_changed_ = true;
  windows_ = std::move(next);
  for (auto it = dirty_windows_.begin(); it != dirty_windows_.end();)
    it = windows_.contains(*it) ? std::next(it) : dirty_windows_.erase(it);
}

bool Mirror::apply(const wire::Envelope& env) {
  switch (env.body_type()) {
    case wire::Body::HoursSnapshot: {
      const auto* m = env.body_as_HoursSnapshot();
      Product* p = product(flatbuffers::GetStringView(m->product()));
      if (p == nullptr) return false;
      seq_ = std::max<Seq>(seq_, m->seq());
      for (const auto& [hour, book] : p->hours) p->dirty.insert(hour);  // hours that emptied send an empty row
      p->hours.clear();
      if (m->books() != nullptr)
        for (const wire::HourBook* hb : *m->books()) {
          Book& b = p->hours[hb->hour()];
          load_levels(b.bids, hb->bids());
          load_levels(b.asks, hb->asks());
          if (b.bids.empty() && b.asks.empty()) p->hours.erase(hb->hour());
          p->dirty.insert(hb->hour());
        }
      return true;
    }
    case wire::Body::BookSnapshot: {
      const auto* m = env.body_as_BookSnapshot();
      const auto it = windows_.find(flatbuffers::GetStringView(m->instrument()));
      if (it == windows_.end()) return false;
      seq_ = std::max<Seq>(seq_, m->seq());
      load_levels(it->second.bids, m->bids());
      load_levels(it->second.asks, m->asks());
      dirty_windows_.insert(it->first);
      return true;
    }
    case wire::Body::BookUpdate: {
      const auto* m = env.body_as_BookUpdate();
      if (m->level() == nullptr) return false;
      const std::string_view instrument = flatbuffers::GetStringView(m->instrument());
      Book* b = nullptr;
      if (m->hours()) {
        Symbol sym;
        if (!parse_symbol(instrument, sym) || sym.hours != 1) return false;
        Product* p = product(sym.product);
        if (p == nullptr) return false;
        b = &p->hours[sym.start_hour];
        if (m->side() == wire::Side::buy) set_level(b->bids, *m->level());
        else set_level(b->asks, *m->level());
        if (b->bids.empty() && b->asks.empty()) p->hours.erase(sym.start_hour);
        p->dirty.insert(sym.start_hour);
      } else {
        const auto it = windows_.find(instrument);
        if (it == windows_.end()) return false;
        b = &it->second;
        if (m->side() == wire::Side::buy) set_level(b->bids, *m->level());
        else set_level(b->asks, *m->level());
        dirty_windows_.insert(it->first);
      }
      seq_ = std::max<Seq>(seq_, m->seq());
      return true;
    }
    case wire::Body::PublicTrade: {
      const auto* m = env.body_as_PublicTrade();
      Trade t{m->seq(), static_cast<std::int64_t>(m->ts() / 1'000'000), m->match(),
              std::string(flatbuffers::GetStringView(m->instrument())), m->price(), m->qty(),
              m->aggressor() == wire::Side::buy};
      seq_ = std::max<Seq>(seq_, m->seq());
      tape_.push_back(t);
      while (tape_.size() > limits_.tape) tape_.pop_front();
      new_trades_.push_back(std::move(t));
      if (new_trades_.size() > limits_.tape) new_trades_.erase(new_trades_.begin());
      return true;
    }
    default:
      return false;
  }
}

void Mirror::hour_row_json(std::string& out, std::int64_t hour, const Book* b) const {
  Price bid = 0, ask = 0;
  Qty bid_qty = 0, ask_qty = 0, bid_depth = 0, ask_depth = 0;
  if (b != nullptr) {
    if (!b->bids.empty()) {
      bid = b->bids.begin()->first;
      bid_qty = b->bids.begin()->second.first;
    }
    if (!b->asks.empty()) {
      ask = b->asks.begin()->first;
      ask_qty = b->asks.begin()->second.first;
    }
    for (const auto& [p, l] : b->bids) bid_depth += l.first;
    for (const auto& [p, l] : b->asks) ask_depth += l.first;
  }
  out += '[';
  for (const std::int64_t v : {hour, bid, bid_qty, bid_depth, ask, ask_qty, ask_depth}) {
    append_int(out, v);
    out += ',';
  }
  out.back() = ']';
}

void Mirror::book_json(std::string& out, const Book& b) const {
  const auto side = [&](const auto& levels) {
    out += '[';
    std::size_t n = 0;
    for (const auto& [price, l] : levels) {
      if (n++ == limits_.depth) break;
      out += '[';
      append_int(out, price);
      out += ',';
      append_int(out, l.first);
      out += ',';
      append_int(out, l.second);
      out += "],";
    }
    if (out.back() == ',') out.back() = ']';
    else out += ']';
  };
  out += "{\"bids\":";
  side(b.bids);
  out += ",\"asks\":";
  side(b.asks);
  out += '}';
}

void Mirror::trade_json(std::string& out, const Trade& t) const {
  out += "{\"seq\":";
  append_int(out, static_cast<std::int64_t>(t.seq));
  out += ",\"match\":";
  append_int(out, t.match);
  out += ",\"ts\":";
  append_int(out, t.ts_ms);
  out += ",\"instrument\":";
  client::append_json_string(out, t.instrument);
  out += ",\"price\":";
  append_int(out, t.price);
  out += ",\"qty\":";
  append_int(out, t.qty);
  out += t.buy ? ",\"side\":\"buy\"}" : ",\"side\":\"sell\"}";
}

std::string Mirror::snapshot_json() const {
  std::string out = "{\"type\":\"snapshot\",\"seq\":";
  append_int(out, static_cast<std::int64_t>(seq_));
  out += connected_ ? ",\"connected\":true" : ",\"connected\":false";
  out += ",\"products\":[";
  for (const std::string& p : products_) {
    client::append_json_string(out, p);
    out += ',';
  }
  if (out.back() == ',') out.back() = ']';
  else out += ']';
  out += ",\"hours\":{";
  for (const std::string& id : products_) {
    client::append_json_string(out, id);
    out += ":[";
    for (const auto& [hour, book] : by_product_.at(id).hours) {
      hour_row_json(out, hour, &book);
      out += ',';
    }
    if (out.back() == ',') out.back() = ']';
    else out += ']';
    out += ',';
  }
  if (out.back() == ',') out.back() = '}';
  else out += '}';
  out += ",\"windows\":{";
  for (const auto& [w, book] : windows_) {
    client::append_json_string(out, w);
    out += ':';
    book_json(out, book);
    out += ',';
  }
  if (out.back() == ',') out.back() = '}';
  else out += '}';
  out += ",\"trades\":[";
  for (const Trade& t : tape_) {
    trade_json(out, t);
    out += ',';
  }
  if (out.back() == ',') out.back() = ']';
  else out += ']';
  out += '}';
  return out;
}

std::string Mirror::take_delta_json() {
  bool any = connected_changed_ || windows_changed_ || !dirty_windows_.empty() || !new_trades_.empty();
  for (const auto& [id, p] : by_product_) any = any || !p.dirty.empty();
  if (!any) return {};
  std::string out = "{\"type\":\"delta\",\"seq\":";
  append_int(out, static_cast<std::int64_t>(seq_));
  out += connected_ ? ",\"connected\":true" : ",\"connected\":false";
  out += ",\"hours\":{";
  for (const std::string& id : products_) {
    Product& p = by_product_.at(id);
    if (p.dirty.empty()) continue;
    client::append_json_string(out, id);
    out += ":[";
    for (const std::int64_t hour : p.dirty) {
      const auto it = p.hours.find(hour);
      hour_row_json(out, hour, it == p.hours.end() ? nullptr : &it->second);
      out += ',';
    }
    out.back() = ']';
    out += ',';
    p.dirty.clear();
  }
  if (out.back() == ',') out.back() = '}';
  else out += '}';
  out += ",\"windows\":{";
  for (const std::string& w : windows_changed_ ? std::set<std::string>{} : dirty_windows_) {
    client::append_json_string(out, w);
    out += ':';
    book_json(out, windows_.find(w)->second);
    out += ',';
  }
  if (windows_changed_)  // the list changed: every window, so the page can drop the others
    for (const auto& [w, book] : windows_) {
      client::append_json_string(out, w);
      out += ':';
      book_json(out, book);
      out += ',';
    }
  if (out.back() == ',') out.back() = '}';
  else out += '}';
  out += windows_changed_ ? ",\"all_windows\":true" : "";
  out += ",\"trades\":[";
  for (const Trade& t : new_trades_) {
    trade_json(out, t);
    out += ',';
  }
  if (out.back() == ',') out.back() = ']';
  else out += ']';
  out += '}';
  dirty_windows_.clear();
  windows_changed_ = false;
  new_trades_.clear();
  connected_changed_ = false;
  return out;
}

std::string quote_json(const wire::QuoteReply& q) {
  std::string out = "{\"type\":\"quote\",\"seq\":";
  append_int(out, static_cast<std::int64_t>(q.seq()));
  out += ",\"instrument\":";
  client::append_json_string(out, flatbuffers::GetStringView(q.instrument()));
  out += q.side() == wire::Side::buy ? ",\"side\":\"buy\"" : ",\"side\":\"sell\"";
  out += ",\"qty\":";
  append_int(out, q.qty());
  if (!q.ok()) {
    out += ",\"ok\":false,\"reason\":";
    client::append_json_string(out, wire::EnumNameReason(q.reason()));
    out += '}';
    return out;
  }
  out += ",\"ok\":true";
  const std::pair<const char*, std::int64_t> fields[] = {
      {"limit", q.limit()},         {"hours", q.hours()},       {"window_qty", q.window_qty()},
      {"sweep_qty", q.sweep_qty()}, {"fill_qty", q.fill_qty()}, {"average", q.average()},
      {"best", q.best()},           {"worst", q.worst()}};
  for (const auto& [name, v] : fields) {
    out += ",\"";
    out += name;
    out += "\":";
    append_int(out, v);
  }
  out += ",\"notional\":";
  client::append_json_string(out, flatbuffers::GetStringView(q.notional()));
  out += '}';
  return out;
}

std::string quote_refused_json(std::string_view reason) {
  std::string out = "{\"type\":\"quote\",\"ok\":false,\"reason\":";
  client::append_json_string(out, reason);
  out += '}';
  return out;
}

}  // namespace gpux::web
