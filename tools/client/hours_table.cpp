#include "tools/client/hours_table.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "engine/symbol.hpp"
#include "tools/client/render_text.hpp"

namespace gpux::client {

std::string hour_text(std::int64_t hour) {
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(hour >= 0 ? hour / 24 : (hour - 23) / 24, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(((hour % 24) + 24) % 24));
  return buf;
}

bool HoursTable::apply(const wire::Envelope& env) {
  if (const auto* s = env.body_as_HoursSnapshot()) {
    if (s->product() == nullptr || s->product()->string_view() != product_) return false;
    books_.clear();
    for (flatbuffers::uoffset_t i = 0; s->books() != nullptr && i < s->books()->size(); ++i) {
      const wire::HourBook* h = s->books()->Get(i);
      Book& b = books_[h->hour()];
      for (flatbuffers::uoffset_t k = 0; h->bids() != nullptr && k < h->bids()->size(); ++k)
        b.bids[h->bids()->Get(k)->price()] = h->bids()->Get(k)->qty();
      for (flatbuffers::uoffset_t k = 0; h->asks() != nullptr && k < h->asks()->size(); ++k)
        b.asks[h->asks()->Get(k)->price()] = h->asks()->Get(k)->qty();
      if (b.bids.empty() && b.asks.empty()) books_.erase(h->hour());
    }
    seq_ = s->seq();
    have_snapshot_ = true;
    return true;
  }
  const auto* u = env.body_as_BookUpdate();
  if (u == nullptr || !u->hours() || u->instrument() == nullptr || u->level() == nullptr) return false;
  Symbol sym;
  if (!parse_symbol(u->instrument()->string_view(), sym) || sym.product != product_) return false;
  // Before the snapshot there is nothing to apply an update to (schemas/README.md §9).
  if (!have_snapshot_) return false;
  seq_ = std::max(seq_, u->seq());
  Book& b = books_[sym.start_hour];
  const wire::Level& l = *u->level();
  if (u->side() == wire::Side::buy) {
    if (l.orders() == 0) b.bids.erase(l.price());
    else b.bids[l.price()] = l.qty();
  } else {
    if (l.orders() == 0) b.asks.erase(l.price());
    else b.asks[l.price()] = l.qty();
  }
  if (b.bids.empty() && b.asks.empty()) books_.erase(sym.start_hour);
  return true;
}

HourRow HoursTable::row_of(const Book& b) const {
  HourRow r;
  if (!b.bids.empty()) {
    r.bid = b.bids.begin()->first;
    r.bid_qty = b.bids.begin()->second;
    for (const auto& [p, q] : b.bids) r.bid_depth += q;
  }
  if (!b.asks.empty()) {
    r.ask = b.asks.begin()->first;
    r.ask_qty = b.asks.begin()->second;
    for (const auto& [p, q] : b.asks) r.ask_depth += q;
  }
  return r;
}

std::vector<HourRun> HoursTable::runs(std::int64_t from, std::int64_t to) const {
  std::vector<HourRun> out;
  if (from >= to) {
    if (books_.empty()) return out;
    from = books_.begin()->first;
    to = books_.rbegin()->first + 1;
  }
  // Walk the hours that have books, filling the gaps between them with empty runs: the cost
  // follows the books held, not the length of the range asked for.
  std::int64_t at = from;
  const auto add = [&](std::int64_t hour, std::int64_t n, const HourRow& row) {
    if (!out.empty() && out.back().row == row && out.back().first_hour + out.back().hours == hour)
      out.back().hours += n;
    else
      out.push_back(HourRun{hour, n, row});
  };
  for (auto it = books_.lower_bound(from); it != books_.end() && it->first < to; ++it) {
    if (it->first > at) add(at, it->first - at, HourRow{});
    add(it->first, 1, row_of(it->second));
    at = it->first + 1;
  }
  if (at < to) add(at, to - at, HourRow{});
  return out;
}

std::string HoursTable::render(std::int64_t from, std::int64_t to) const {
  const std::vector<HourRun> rs = runs(from, to);
  char head[160];
  std::snprintf(head, sizeof head, "%s hour books (divisible orders), as of seq %lld\n", product_.c_str(),
                static_cast<long long>(seq_));
  std::string out = head;
  if (rs.empty()) return out + "no divisible orders rest in any hour\n";
  using Row = std::array<std::string, 8>;
  const Row title{"HOURS", "", "BID", "QTY", "DEPTH", "ASK", "QTY", "DEPTH"};
  std::vector<Row> rows{title};
  const auto qty = [](Qty q) { return q ? std::to_string(q) : std::string("-"); };
  const auto price = [](Price p) { return p ? price_text(p) : std::string("-"); };
  for (const HourRun& r : rs) {
    // Appends, not "+" + ...: GCC 12 at -O3 warns falsely (-Wrestrict) on the latter.
    std::string length = "+";
    length += std::to_string(r.hours);
    length += 'h';
    rows.push_back({hour_text(r.first_hour), length, price(r.row.bid), qty(r.row.bid_qty), qty(r.row.bid_depth),
                    price(r.row.ask), qty(r.row.ask_qty), qty(r.row.ask_depth)});
  }
  std::array<std::size_t, 8> width{};
  for (const Row& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
  for (const Row& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c) {
      // The hour left-aligned, its length and the numbers right-aligned.
      const std::string pad(width[c] - r[c].size(), ' ');
      line += c == 0 ? r[c] + pad : pad + r[c];
      if (c + 1 < r.size()) line += c == 1 || c == 4 ? "   " : "  ";
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  return out;
}

}  // namespace gpux::client
