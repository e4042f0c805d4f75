// SPEC §6 in the model: divisible orders matching hour by hour, blocks sweeping the hour books,
// standing blocks, merged trade events, replaces of divisible orders. Literal and slow: slices
// live in a map per order, every search is a loop over all resting divisible orders.
#include <algorithm>

#include "tests/model/model.hpp"
#include "tests/model/model_internal.hpp"

namespace gpux::model {

using nlohmann::json;
using namespace detail;

namespace {

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

Side other(Side s) { return s == Side::buy ? Side::sell : Side::buy; }

// Is price a better than price b for a resting order of `side` (buy: higher, sell: lower)?
bool better(Side side, std::int64_t a, std::int64_t b) { return side == Side::buy ? a > b : a < b; }

}  // namespace

std::string hours_symbol(const std::string& product, std::int64_t first_hour, std::int64_t hours) {
  std::int64_t days = first_hour / 24;
  const std::int64_t hour = first_hour % 24;  // the logs live after 1970
  std::int64_t y = 1970;
  while (days >= (leap(y) ? 366 : 365)) days -= leap(y) ? 366 : 365, ++y;
  const int month_days[] = {31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int m = 0;
  while (days >= month_days[m]) days -= month_days[m], ++m;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02lldT%02lldZ+%lldh", static_cast<long long>(y), m + 1,
                static_cast<long long>(days + 1), static_cast<long long>(hour), static_cast<long long>(hours));
  return product + "@" + buf;
}

bool Model::hour_halted(const State& st, const std::string& product, std::int64_t hour) {
  if (st.halted_products.count(product)) return true;
  return st.halted_instruments.count(hours_symbol(product, hour, 1)) > 0;
}

Model::DivOrder* Model::best_slice(State& st, const std::string& product, std::int64_t hour, Side side,
                                   std::int64_t limit, const std::string& account) {
  DivOrder* best = nullptr;
  std::uint64_t best_arrival = 0;
  for (auto& [id, d] : st.divs) {
    if (d.product != product || d.side == side || d.account == account) continue;
    auto it = d.slices.find(hour);
    if (it == d.slices.end() || !crosses(side, limit, d.price)) continue;
    if (!best || better(d.side, d.price, best->price) ||
        (d.price == best->price && it->second.arrival < best_arrival)) {
      best = &d;
      best_arrival = it->second.arrival;
    }
  }
  return best;
}

void Model::emit_hour_trades(const std::vector<HourTrade>& trades, const std::string& product, Side aggressor,
                             Seq seq, Ts ts, int& match_no, std::vector<json>& out) {
  // The post-pass of §6 "Events of hours": a trade equal to one of the hour just before joins it.
  struct Rect {
    HourTrade t;
    std::int64_t n;
  };
  std::vector<Rect> merged;
  for (const HourTrade& t : trades) {
    bool joined = false;
    for (Rect& m : merged) {
      if (m.t.hour + m.n == t.hour && m.t.buy_id == t.buy_id && m.t.sell_id == t.sell_id &&
          m.t.price == t.price && m.t.qty == t.qty && m.t.buy_leaves == t.buy_leaves &&
          m.t.sell_leaves == t.sell_leaves) {
        ++m.n;
        joined = true;
        break;
      }
    }
    if (!joined) merged.push_back({t, 1});
  }
  for (const Rect& m : merged) {
    if (m.n > 1) ++coverage_["hours: merged trade"];
    const std::string symbol = hours_symbol(product, m.t.hour, m.n);
    json e = event("trade", seq, ts);
    e["match"] = ++match_no;
    e["instrument"] = symbol;
    e["price"] = format_price(m.t.price);
    e["qty"] = m.t.qty;
    e["buy_order_id"] = m.t.buy_id;
    e["sell_order_id"] = m.t.sell_id;
    e["buy_account"] = m.t.buy_account;
    e["sell_account"] = m.t.sell_account;
    e["aggressor"] = side_name(aggressor);
    e["buy_leaves"] = m.t.buy_leaves;
    e["sell_leaves"] = m.t.sell_leaves;
    out.push_back(e);
    st_.last_trade[symbol] = m.t.price;
  }
}

std::int64_t Model::sweep(State& st, const Sweeper& b, std::vector<HourTrade>* trades) {
  const Side contra = other(b.side);
  // The contra divisible orders it may take from (not its own account's, crossing its limit).
  bool any = false, own = false;
  for (const auto& [id, d] : st.divs) {
    if (d.product != b.product || d.side != contra || !crosses(b.side, b.limit, d.price)) continue;
    (d.account == b.account ? own : any) = true;
  }
  if (!any || b.open <= 0) return 0;

  std::int64_t q = b.open;
  bool some = false, halted_with_liquidity = false, own_in_window = false;
  for (std::int64_t h = b.start_hour; h < b.start_hour + b.hours && q > 0; ++h) {
    std::int64_t avail = 0;
    for (const auto& [id, d] : st.divs) {
      if (d.product != b.product || d.side != contra || !crosses(b.side, b.limit, d.price)) continue;
      auto it = d.slices.find(h);
      if (it == d.slices.end()) continue;
      if (d.account == b.account) {
        own_in_window = true;
        continue;
      }
      avail += it->second.open;
    }
    if (avail > 0 && hour_halted(st, b.product, h)) {
      halted_with_liquidity = true;
      avail = 0;
    }
    some = some || avail > 0;
    q = std::min(q, avail);
  }
  if (!trades) return q;
  if (halted_with_liquidity) ++coverage_["hours: halted hour blocks sweep"];
  if (q == 0) {
    if (some) ++coverage_[b.standing ? "hours: standing sweep q=0" : "hours: sweep q=0"];
    return 0;
  }
  if (own && own_in_window) ++coverage_["hours: own slice passed over (sweep)"];
  if (q < b.open) ++coverage_[b.standing ? "hours: standing sweep partial" : "hours: sweep partial"];

  for (std::int64_t h = b.start_hour; h < b.start_hour + b.hours; ++h) {
    std::int64_t need = q;
    while (need > 0) {
      DivOrder* d = best_slice(st, b.product, h, b.side, b.limit, b.account);
      Slice& s = d->slices.at(h);  // there is one: avail(h) >= q
      const std::int64_t t = std::min(need, s.open);
      const std::int64_t price = b.standing && b.arrival < s.arrival ? b.limit : d->price;
      if (b.standing) ++coverage_[price == b.limit ? "hours: standing sweep at the block's price"
                                                   : "hours: standing sweep at the slice's price"];
      need -= t;
      s.open -= t;
      HourTrade ht;
      ht.hour = h;
      ht.price = price;
      ht.qty = t;
      const bool buy_block = b.side == Side::buy;
      ht.buy_id = buy_block ? b.id : d->id;
      ht.sell_id = buy_block ? d->id : b.id;
      ht.buy_account = buy_block ? b.account : d->account;
      ht.sell_account = buy_block ? d->account : b.account;
      ht.buy_leaves = buy_block ? b.open - q : s.open;
      ht.sell_leaves = buy_block ? s.open : b.open - q;
      trades->push_back(ht);
      if (s.open == 0) d->slices.erase(h);
      if (d->slices.empty()) st.divs.erase(d->id);
    }
  }
  return q;
}

void Model::block_sweep(const Incoming& in, std::int64_t& open, int& match_no, Seq seq, Ts ts,
                        std::vector<json>& out, const char* what) {
  const auto parts = parse_symbol(in.symbol);
  Sweeper b{in.id, in.account, parts->product, in.side, in.limit, open,
            static_cast<std::int64_t>(parts->start_ns / kHourNs), static_cast<std::int64_t>(parts->hours), false, 0};
  std::vector<HourTrade> trades;
  const std::int64_t q = sweep(st_, b, &trades);
  if (q == 0) return;
  ++coverage_[std::string("hours: sweep traded (") + what + ")"];
  emit_hour_trades(trades, parts->product, in.side, seq, ts, match_no, out);
  open -= q;
}

void Model::standing_sweeps(const std::string& product, Side div_side, const std::set<std::int64_t>& hours,
                            Seq seq, Ts ts, int& match_no, std::vector<json>& out) {
  std::vector<Order> list;
  for (const Order& o : st_.book) {
    if (o.product != product || o.side == div_side || o.post_only) continue;
    if (st_.halted_instruments.count(o.symbol) || st_.halted_products.count(o.product)) continue;
    auto it = hours.lower_bound(o.start_hour);
    if (it == hours.end() || *it >= o.start_hour + o.hours) continue;
    list.push_back(o);
  }
  std::sort(list.begin(), list.end(), [](const Order& a, const Order& b) {
    if (a.price != b.price) return better(a.side, a.price, b.price);
    return a.arrival < b.arrival;
  });
  if (list.size() > 1) ++coverage_["hours: several standing blocks checked"];
  for (const Order& listed : list) {
    const int idx = find_order(st_, listed.id);
    const Order& o = st_.book[static_cast<std::size_t>(idx)];
    Sweeper b{o.id, o.account, o.product, o.side, o.price, o.open, o.start_hour, o.hours, true, o.arrival};
    std::vector<HourTrade> trades;
    const std::int64_t q = sweep(st_, b, &trades);
    if (q == 0) continue;
    ++coverage_["hours: standing sweep traded"];
    if (o.display > 0) ++coverage_["hours: standing iceberg swept"];
    emit_hour_trades(trades, product, o.side, seq, ts, match_no, out);
    Order& live = st_.book[static_cast<std::size_t>(find_order(st_, listed.id))];
    live.open -= q;
    live.shown = std::min(live.shown, live.open);
    if (live.open == 0) st_.book.erase(st_.book.begin() + find_order(st_, listed.id));
  }
}

void Model::divisible_match_and_rest(DivOrder d, std::map<std::int64_t, std::int64_t> open, bool ioc, Seq seq,
                                     Ts ts, std::vector<json>& out) {
  std::vector<HourTrade> trades;
  for (auto& [h, r] : open) {
    bool own = false;
    for (const auto& [id, x] : st_.divs)
      if (x.product == d.product && x.side != d.side && x.account == d.account && x.slices.count(h) &&
          crosses(d.side, d.price, x.price))
        own = true;
    if (own) ++coverage_["hours: own slice passed over (divisible)"];
    while (r > 0) {
      DivOrder* x = best_slice(st_, d.product, h, d.side, d.price, d.account);
      if (!x) break;
      Slice& s = x->slices.at(h);
      const std::int64_t t = std::min(r, s.open);
      r -= t;
      s.open -= t;
      HourTrade ht;
      ht.hour = h;
      ht.price = x->price;
      ht.qty = t;
      const bool buy_in = d.side == Side::buy;
      ht.buy_id = buy_in ? d.id : x->id;
      ht.sell_id = buy_in ? x->id : d.id;
      ht.buy_account = buy_in ? d.account : x->account;
      ht.sell_account = buy_in ? x->account : d.account;
      ht.buy_leaves = buy_in ? r : s.open;
      ht.sell_leaves = buy_in ? s.open : r;
      trades.push_back(ht);
      if (s.open == 0) x->slices.erase(h);
      if (x->slices.empty()) st_.divs.erase(x->id);
    }
  }
  if (!trades.empty()) ++coverage_["hours: divisible traded"];
  int match_no = 0;
  emit_hour_trades(trades, d.product, d.side, seq, ts, match_no, out);

  std::map<std::int64_t, std::int64_t> left;
  for (const auto& [h, r] : open)
    if (r > 0) left[h] = r;
  if (ioc) {
    div_cancel_events(d, left, "canceled", "ioc", seq, ts, out);
    return;
  }
  std::set<std::int64_t> rested;
  d.slices.clear();
  for (const auto& [h, r] : left) {
    d.slices[h] = Slice{r, st_.next_arrival++};
    rested.insert(h);
  }
  if (rested.empty()) return;
  st_.divs[d.id] = d;
  standing_sweeps(d.product, d.side, rested, seq, ts, match_no, out);
}

bool Model::div_post_only_crosses(const std::string& product, Side side, std::int64_t price,
                                  const std::function<bool(std::int64_t)>& in_hours) const {
  for (const auto& [id, d] : st_.divs) {
    if (d.product != product || d.side == side || !crosses(side, price, d.price)) continue;
    for (const auto& [h, s] : d.slices)
      if (in_hours(h)) return true;
  }
  return false;
}

OrderId Model::find_div_by_cl_id(const State& st, std::string_view account, std::string_view cl_id) {
  for (const auto& [id, d] : st.divs)
    if (d.account == account && d.cl_id == cl_id) return id;
  return 0;
}

void Model::replace_divisible(const Command& c, OrderId id, std::vector<json>& out) {
  const std::string account = str(c.account.view());
  auto reject = [&](const char* reason) {
    json e = event("replace_rejected", c.seq, c.ts);
    e["account"] = account;
    if (c.has_cl_id) e["cl_id"] = str(c.cl_id.view());
    if (c.has_order_id) e["order_id"] = c.order_id;
    e["reason"] = reason;
    out.push_back(e);
  };
  const DivOrder d = st_.divs.at(id);
  const Product* p = find_product(d.product);
  bool halted = st_.halted_instruments.count(d.symbol) || st_.halted_products.count(d.product);
  for (const auto& [h, s] : d.slices) halted = halted || hour_halted(st_, d.product, h);
  if (halted) return reject("halted");
  if (c.qty <= 0 || c.qty % p->lot != 0 || c.qty > p->max_qty) return reject("bad_qty");
  if (!c.price.present || !c.price.valid || c.price.value <= 0 || c.price.value % p->tick != 0)
    return reject("bad_price");
  const std::int64_t price = c.price.value;
  const Band band = band_for(st_, d.symbol, *p);
  if (price != d.price && (price < band.lower || price > band.upper)) return reject("price_band");
  if (d.post_only &&
      div_post_only_crosses(d.product, d.side, price, [&](std::int64_t h) { return d.slices.count(h) > 0; }))
    return reject("post_only");
  const std::string new_cl_id = c.has_new_cl_id ? str(c.new_cl_id.view()) : d.cl_id;
  if (new_cl_id != d.cl_id &&
      (find_by_cl_id(st_, account, new_cl_id) >= 0 || find_div_by_cl_id(st_, account, new_cl_id) != 0))
    return reject("duplicate_cl_id");

  std::int64_t smallest = -1;
  for (const auto& [h, s] : d.slices) smallest = smallest < 0 ? s.open : std::min(smallest, s.open);
  const bool kept = price == d.price && c.qty <= smallest;
  if (const char* why = replace_div_risk(d, price, c.qty, kept)) return reject(why);  // SPEC §7, last
  json e = event("replaced", c.seq, c.ts);
  e["order_id"] = d.id;
  e["account"] = account;
  e["cl_id"] = new_cl_id;
  e["price"] = format_price(price);
  e["qty"] = c.qty;
  e["priority"] = kept ? "kept" : "lost";
  out.push_back(e);

  if (kept) {
    ++coverage_["hours: divisible replace kept"];
    DivOrder& live = st_.divs.at(id);
    live.cl_id = new_cl_id;
    for (auto& [h, s] : live.slices) s.open = c.qty;
    return;
  }
  ++coverage_["hours: divisible replace lost"];
  DivOrder moved = d;
  moved.cl_id = new_cl_id;
  moved.price = price;
  std::map<std::int64_t, std::int64_t> open;
  for (const auto& [h, s] : d.slices) open[h] = c.qty;
  st_.divs.erase(id);
  divisible_match_and_rest(moved, open, false, c.seq, c.ts, out);
}

}  // namespace gpux::model
