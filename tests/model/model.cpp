#include "tests/model/model.hpp"
#include "tests/model/model_internal.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace gpux::model {

using nlohmann::json;
using namespace detail;

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool leap_year(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(std::int64_t y, int m) {
  switch (m) {
    case 1: case 3: case 5: case 7: case 8: case 10: case 12: return 31;
    case 4: case 6: case 9: case 11: return 30;
    case 2: return leap_year(y) ? 29 : 28;
  }
  return 0;
}

// Days from 1970-01-01 to y-m-d, counted the slow obvious way (y >= 0).
Wide days_since_epoch(std::int64_t y, int m, int d) {
  Wide days = 0;
  if (y >= 1970) {
    for (std::int64_t yy = 1970; yy < y; ++yy) days += leap_year(yy) ? 366 : 365;
  } else {
    for (std::int64_t yy = y; yy < 1970; ++yy) days -= leap_year(yy) ? 366 : 365;
  }
  for (int mm = 1; mm < m; ++mm) days += days_in_month(y, mm);
  return days + (d - 1);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Prices and symbols

std::optional<std::int64_t> parse_price(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && s[i] == '-') {
    negative = true;
    ++i;
  }
  std::string whole, frac;
  while (i < s.size() && is_digit(s[i])) whole += s[i++];
  if (whole.empty()) return std::nullopt;
  if (i < s.size()) {
    if (s[i] != '.') return std::nullopt;
    ++i;
    while (i < s.size() && is_digit(s[i])) frac += s[i++];
    if (i != s.size() || frac.empty() || frac.size() > 4) return std::nullopt;
  }
  while (frac.size() < 4) frac += '0';
  // Exact value as a (big) magnitude; leading zeros are harmless.
  Wide mag = 0;
  const Wide cap = Wide(1) << 100;
  for (char c : whole + frac) {
    mag = mag * 10 + (c - '0');
    if (mag > cap) return std::nullopt;
  }
  const Wide v = negative ? -mag : mag;
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min())
    return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::string format_price(std::int64_t p) {
  Wide v = p;
  std::string sign;
  if (v < 0) {
    sign = "-";
    v = -v;
  }
  const Wide whole = v / 10000;
  const int frac = static_cast<int>(v % 10000);
  std::string w;
  Wide x = whole;
  do {
    w.insert(w.begin(), static_cast<char>('0' + static_cast<int>(x % 10)));
    x /= 10;
  } while (x != 0);
  char f[8];
  std::snprintf(f, sizeof f, "%04d", frac);
  return sign + w + "." + f;
}

std::optional<SymbolParts> parse_symbol(std::string_view text) {
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos) return std::nullopt;
  SymbolParts out;
  out.product = str(text.substr(0, at));
  const std::string rest = str(text.substr(at + 1));
  // YYYY-MM-DDTHHZ+Nh
  const std::string shape = "dddd-dd-ddTddZ+";
  if (rest.size() < shape.size() + 2) return std::nullopt;
  for (std::size_t k = 0; k < shape.size(); ++k) {
    if (shape[k] == 'd') {
      if (!is_digit(rest[k])) return std::nullopt;
    } else if (rest[k] != shape[k]) {
      return std::nullopt;
    }
  }
  if (rest.back() != 'h') return std::nullopt;
  const std::string n = rest.substr(shape.size(), rest.size() - shape.size() - 1);
  if (n.empty()) return std::nullopt;
  for (char c : n)
    if (!is_digit(c)) return std::nullopt;
  if (n.size() > 1 && n[0] == '0') return std::nullopt;

  const std::int64_t y = std::stoll(rest.substr(0, 4));
  const int mo = std::stoi(rest.substr(5, 2));
  const int d = std::stoi(rest.substr(8, 2));
  const int h = std::stoi(rest.substr(11, 2));
  if (mo < 1 || mo > 12) return std::nullopt;
  if (d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  if (h > 23) return std::nullopt;

  Wide hours = 0;
  for (char c : n) {
    hours = hours * 10 + (c - '0');
    if (hours > (Wide(1) << 80)) hours = Wide(1) << 80;  // saturate: "absurdly many"
  }
  out.hours = hours;
  out.start_ns = (days_since_epoch(y, mo, d) * 24 + h) * kHourNs;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Model

Model::Model(Catalog catalog) : catalog_(std::move(catalog)) {}

const Product* Model::find_product(std::string_view id) const {
  for (const Product& p : catalog_.products())
    if (p.id == id) return &p;
  return nullptr;
}

Model::Band Model::band_for(const State& st, const std::string& symbol, const Product& p) const {
  std::int64_t ref = p.ref_price;
  auto it = st.last_trade.find(symbol);
  if (it != st.last_trade.end()) ref = it->second;
  // lower = ceil_to_tick(ref*(100-b)/100), upper = floor_to_tick(ref*(100+b)/100), exactly.
  const Wide lo_num = Wide(ref) * (100 - p.band_pct);
  const Wide hi_num = Wide(ref) * (100 + p.band_pct);
  const Wide den = Wide(100) * p.tick;
  Wide lo_ticks = lo_num / den;
  if (lo_ticks * den < lo_num) ++lo_ticks;  // ceil (numerators are non-negative here)
  const Wide hi_ticks = hi_num / den;       // floor
  return Band{static_cast<std::int64_t>(lo_ticks * p.tick), static_cast<std::int64_t>(hi_ticks * p.tick),
              ref};
}

std::optional<Model::Band> Model::band(std::string_view symbol) const {
  auto parts = parse_symbol(symbol);
  if (!parts) return std::nullopt;
  const Product* p = find_product(parts->product);
  if (!p) return std::nullopt;
  return band_for(st_, str(symbol), *p);
}

std::vector<RestingView> Model::resting() const {
  std::vector<RestingView> v;
  for (const Order& o : st_.book) {
    v.push_back({o.id, o.account, o.cl_id, o.symbol, o.product, o.side, o.price, o.open, o.post_only});
    v.back().start_hour = o.start_hour;
    v.back().hours = o.hours;
    v.back().min_open = o.open;
  }
  for (const auto& [id, d] : st_.divs) {
    std::int64_t most = 0, least = -1;
    for (const auto& [h, s] : d.slices) {
      most = std::max(most, s.open);
      least = least < 0 ? s.open : std::min(least, s.open);
    }
    v.push_back({d.id, d.account, d.cl_id, d.symbol, d.product, d.side, d.price, most, d.post_only});
    RestingView& r = v.back();
    r.divisible = true;
    r.start_hour = d.start_hour;
    r.hours = d.hours;
    r.min_open = least;
    r.first_resting_hour = d.slices.begin()->first;
    r.last_resting_hour = d.slices.rbegin()->first;
    r.slices = static_cast<std::int64_t>(d.slices.size());
  }
  std::sort(v.begin(), v.end(), [](const RestingView& a, const RestingView& b) { return a.order_id < b.order_id; });
  return v;
}

int Model::find_order(const State& st, OrderId id) {
  for (std::size_t i = 0; i < st.book.size(); ++i)
    if (st.book[i].id == id) return static_cast<int>(i);
  return -1;
}

int Model::find_by_cl_id(const State& st, std::string_view account, std::string_view cl_id) {
  for (std::size_t i = 0; i < st.book.size(); ++i)
    if (st.book[i].account == account && st.book[i].cl_id == cl_id) return static_cast<int>(i);
  return -1;
}

int Model::best_order(const State& st, const std::string& symbol, Side side) {
  int best = -1;
  for (std::size_t i = 0; i < st.book.size(); ++i) {
    const Order& o = st.book[i];
    if (o.symbol != symbol || o.side != side) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    const Order& b = st.book[static_cast<std::size_t>(best)];
    const bool better_price = side == Side::buy ? o.price > b.price : o.price < b.price;
    if (better_price || (o.price == b.price && o.arrival < b.arrival)) best = static_cast<int>(i);
  }
  return best;
}

bool Model::crosses(Side incoming, std::int64_t limit, std::int64_t contra_price) {
  return incoming == Side::buy ? contra_price <= limit : contra_price >= limit;
}

Model::MatchOutcome Model::match(State& st, Incoming& in, Seq seq, Ts ts, int& match_no,
                                 std::vector<json>* out) {
  MatchOutcome res;
  const Side contra = in.side == Side::buy ? Side::sell : Side::buy;
  std::set<OrderId> hit;
  while (in.open > 0) {
    const int idx = best_order(st, in.symbol, contra);
    if (idx < 0) break;
    Order& r = st.book[static_cast<std::size_t>(idx)];
    if (!crosses(in.side, in.limit, r.price)) break;

    if (r.account == in.account) {  // self-trade prevention, the incoming order's stp
      if (in.stp == Stp::cancel_resting || in.stp == Stp::cancel_both) {
        if (out) out->push_back(canceled_event(seq, ts, r.id, r.account, r.cl_id, r.open, "stp"));
        st.book.erase(st.book.begin() + idx);
        ++res.stp_canceled_resting;
      }
      if (in.stp == Stp::cancel_aggressor || in.stp == Stp::cancel_both) {
        if (out) out->push_back(canceled_event(seq, ts, in.id, in.account, in.cl_id, in.open, "stp"));
        res.aggressor_stp_canceled = true;
        return res;
      }
      continue;
    }

    const std::int64_t q = std::min(in.open, r.shown);
    r.open -= q;
    r.shown -= q;
    in.open -= q;
    res.traded += q;
    ++res.trades;
    if (!hit.insert(r.id).second) res.hit_same_order_twice = true;
    st.last_trade[in.symbol] = r.price;
    if (out) {
      json e = event("trade", seq, ts);
      e["match"] = ++match_no;
      e["instrument"] = in.symbol;
      e["price"] = format_price(r.price);
      e["qty"] = q;
      const bool buy_in = in.side == Side::buy;
      e["buy_order_id"] = buy_in ? in.id : r.id;
      e["sell_order_id"] = buy_in ? r.id : in.id;
      e["buy_account"] = buy_in ? in.account : r.account;
      e["sell_account"] = buy_in ? r.account : in.account;
      e["aggressor"] = side_name(in.side);
      e["buy_leaves"] = buy_in ? in.open : r.open;
      e["sell_leaves"] = buy_in ? r.open : in.open;
      out->push_back(e);
    }
    if (r.open == 0) {
      st.book.erase(st.book.begin() + idx);
    } else if (r.shown == 0) {  // an iceberg's clip is used up: refill, back of the level
      r.shown = std::min(r.display, r.open);
      r.arrival = st.next_arrival++;
      ++res.refills;
    }
  }
  return res;
}

void Model::rest(State& st, const Incoming& in, std::int64_t display, bool post_only,
                 std::int64_t deadline, bool gate_reason) {
  Order o;
  o.id = in.id;
  o.account = in.account;
  o.cl_id = in.cl_id;
  o.symbol = in.symbol;
  o.product = parse_symbol(in.symbol)->product;
  o.side = in.side;
  o.price = in.limit;
  o.open = in.open;
  o.display = display;
  o.shown = display > 0 ? std::min(display, in.open) : in.open;
  o.post_only = post_only;
  o.stp = in.stp;
  o.deadline = deadline;
  o.gate_reason = gate_reason;
  o.arrival = st.next_arrival++;
  const auto parts = parse_symbol(in.symbol);
  o.start_hour = static_cast<std::int64_t>(parts->start_ns / kHourNs);
  o.hours = static_cast<std::int64_t>(parts->hours);
  st.book.push_back(o);
}

std::vector<json> Model::process(const Command& c) {
  std::vector<json> out;
  run_expiries(c, out);
  switch (c.type) {
    case CommandType::new_order: do_new(c, out); break;
    case CommandType::cancel: do_cancel(c, out); break;
    case CommandType::replace: do_replace(c, out); break;
    case CommandType::mass_cancel: do_mass_cancel(c, out, "mass"); break;
    case CommandType::halt:
    case CommandType::resume: {
      const bool halt = c.type == CommandType::halt;
      json e = event(halt ? "halted" : "resumed", c.seq, c.ts);
      std::set<std::string>& flags = c.has_instrument ? st_.halted_instruments : st_.halted_products;
      const std::string target = str(c.has_instrument ? c.instrument.view() : c.product.view());
      e[c.has_instrument ? "instrument" : "product"] = target;
      if (halt)
        flags.insert(target);
      else
        flags.erase(target);
      out.push_back(e);
      break;
    }
    case CommandType::kill: do_kill(c, out); break;
    case CommandType::unkill: {
      json e = event("unkilled", c.seq, c.ts);
      e["account"] = str(c.account.view());
      st_.killed_accounts.erase(str(c.account.view()));
      out.push_back(e);
      break;
    }
    case CommandType::clock: break;
    case CommandType::disconnect: do_mass_cancel(c, out, "disconnect"); break;
    case CommandType::risk: do_risk(c, out); break;
    case CommandType::deposit:
    case CommandType::withdraw: do_deposit_withdraw(c, out); break;
    case CommandType::fund: do_fund(c, out); break;
  }
  settle_trades(out);  // SPEC §7: every trade of the command moves holdings and cash
  return out;
}

void Model::do_new(const Command& c, std::vector<json>& out) {
  const std::string account = str(c.account.view());
  const std::string cl_id = str(c.cl_id.view());
  const std::string symbol = str(c.instrument.view());
  auto reject = [&](const char* reason) {
    json e = event("rejected", c.seq, c.ts);
    e["account"] = account;
    e["cl_id"] = cl_id;
    e["reason"] = reason;
    out.push_back(e);
  };

  if (st_.killed_accounts.count(account)) return reject("killed");
  const auto parts = parse_symbol(symbol);
  const Product* p = parts ? find_product(parts->product) : nullptr;
  if (!p) return reject("unknown_instrument");
  if (parts->hours < 1 || parts->hours > p->max_hours) return reject("bad_window");
  const Wide gate = parts->start_ns - Wide(p->gate_minutes) * kMinuteNs;
  if (gate <= c.ts) return reject("window_closed");
  if (parts->start_ns > Wide(c.ts) + Wide(p->horizon_hours) * kHourNs) return reject("window_too_far");
  if (st_.halted_instruments.count(symbol) || st_.halted_products.count(p->id)) return reject("halted");
  const bool div = c.divisible;
  const std::int64_t start_hour = static_cast<std::int64_t>(parts->start_ns / kHourNs);
  const std::int64_t hours = static_cast<std::int64_t>(parts->hours);
  if (div) {  // §6: any hour of its window halted (its one-hour symbol)
    for (const std::string& h : st_.halted_instruments) {
      const auto hp = parse_symbol(h);
      if (hp && hp->product == p->id && hp->hours == 1 && hp->start_ns / kHourNs >= start_hour &&
          hp->start_ns / kHourNs < start_hour + hours) {
        ++coverage_["hours: divisible refused for a halted hour"];
        return reject("halted");
      }
    }
  }
  if (c.qty <= 0 || c.qty % p->lot != 0 || c.qty > p->max_qty) return reject("bad_qty");

  const bool market = c.order_type == OrderType::market;
  const Band band = band_for(st_, symbol, *p);
  if (market) {
    if (c.price.present) return reject("bad_price");
  } else {
    if (!c.price.present || !c.price.valid || c.price.value <= 0 || c.price.value % p->tick != 0)
      return reject("bad_price");
    if (c.price.value < band.lower || c.price.value > band.upper) return reject("price_band");
  }

  const Tif tif = c.has_tif ? c.tif : (market ? Tif::ioc : Tif::gtc);
  const bool immediate = tif == Tif::ioc || tif == Tif::fok;
  if (market && (tif == Tif::gtc || tif == Tif::gtd)) return reject("bad_tif");
  if (tif == Tif::gtd && (!c.has_expire_ts || c.expire_ts <= c.ts)) return reject("bad_tif");
  if (c.has_expire_ts && tif != Tif::gtd) return reject("bad_tif");
  if (c.post_only && (immediate || market || c.has_min_qty)) return reject("bad_tif");
  if (div && tif == Tif::fok) return reject("bad_tif");

  if (c.has_min_qty && (div || c.min_qty % p->lot != 0 || c.min_qty <= 0 || c.min_qty > c.qty))
    return reject("bad_min_qty");
  if (c.has_display_qty && (div ||
      c.display_qty % p->lot != 0 || c.display_qty <= 0 || c.display_qty >= c.qty || immediate || market))
    return reject("bad_display_qty");
  if (find_by_cl_id(st_, account, cl_id) >= 0 || find_div_by_cl_id(st_, account, cl_id) != 0)
    return reject("duplicate_cl_id");

  const std::int64_t limit = market ? (c.side == Side::buy ? band.upper : band.lower) : c.price.value;
  bool post_only_crosses = false;
  if (c.post_only && div) {
    post_only_crosses = div_post_only_crosses(
        p->id, c.side, limit, [&](std::int64_t h) { return h >= start_hour && h < start_hour + hours; });
  } else if (c.post_only) {
    const int best = best_order(st_, symbol, c.side == Side::buy ? Side::sell : Side::buy);
    post_only_crosses = best >= 0 && crosses(c.side, limit, st_.book[static_cast<std::size_t>(best)].price);
  }
  // SPEC §7: after duplicate_cl_id, before post_only (risk checks on).
  if (const char* why = new_order_risk(account, p->id, c.side, limit, c.qty, start_hour, hours, post_only_crosses))
    return reject(why);
  if (post_only_crosses) return reject("post_only");

  json acc = event("accepted", c.seq, c.ts);
  acc["order_id"] = c.seq;
  acc["account"] = account;
  acc["cl_id"] = cl_id;
  acc["instrument"] = symbol;
  acc["side"] = side_name(c.side);
  acc["order_type"] = market ? "market" : "limit";
  acc["price"] = format_price(limit);
  acc["qty"] = c.qty;
  acc["tif"] = tif_name(tif);
  if (tif == Tif::gtd) acc["expire_ts"] = c.expire_ts;
  acc["post_only"] = c.post_only;
  if (c.has_min_qty) acc["min_qty"] = c.min_qty;
  if (c.has_display_qty) acc["display_qty"] = c.display_qty;
  acc["stp"] = stp_name(c.stp);
  if (div) acc["divisible"] = true;
  out.push_back(acc);

  if (div) {
    DivOrder d{c.seq, account, cl_id, symbol, p->id, c.side, limit, tif == Tif::gtd, c.expire_ts,
               c.post_only, c.stp, start_hour, hours, {}};
    std::map<std::int64_t, std::int64_t> open;
    for (std::int64_t h = start_hour; h < start_hour + hours; ++h) open[h] = c.qty;
    divisible_match_and_rest(d, open, immediate || market, c.seq, c.ts, out);
    return;
  }

  Incoming in{c.seq, account, cl_id, symbol, c.side, limit, c.qty, c.stp};

  // min_qty / fok: simulate on a copy of the whole state first.
  const bool fok = tif == Tif::fok;
  if (fok || c.has_min_qty) {
    const std::int64_t threshold = fok ? c.qty : c.min_qty;
    State copy = st_;
    Incoming sim = in;
    int sim_match = 0;
    const MatchOutcome r = match(copy, sim, c.seq, c.ts, sim_match, nullptr);
    // §6: plus the q of the sweep that would follow, unless stp canceled the order.
    std::int64_t swept = 0;
    if (!r.aggressor_stp_canceled) {
      Sweeper b{in.id, account, p->id, c.side, limit, c.qty - r.traded, start_hour, hours, false, 0};
      swept = sweep(copy, b, nullptr);
    }
    if (swept > 0) ++coverage_[r.traded + swept < threshold ? "hours: sim sweep counted, failed" : "hours: sim sweep counted, passed"];
    const std::int64_t total = r.traded + swept;
    if (r.stp_canceled_resting > 0) ++coverage_[r.traded < threshold ? "sim: stp, failed" : "sim: stp, passed"];
    if (r.aggressor_stp_canceled) ++coverage_["sim: aggressor stp"];
    if (r.refills > 0) ++coverage_["sim: iceberg refill"];
    if (total < threshold) {
      out.push_back(canceled_event(c.seq, c.ts, in.id, account, cl_id, c.qty, fok ? "fok" : "min_qty"));
      return;
    }
  }

  int match_no = 0;
  const MatchOutcome r = match(st_, in, c.seq, c.ts, match_no, &out);
  if (r.hit_same_order_twice) ++coverage_["new: same iceberg hit twice"];
  if (r.trades > 1) ++coverage_["new: sweep"];
  if (market && r.trades > 0) ++coverage_["new: market traded"];
  if (market && in.open > 0 && !r.aggressor_stp_canceled &&
      best_order(st_, symbol, c.side == Side::buy ? Side::sell : Side::buy) >= 0)
    ++coverage_["new: market stopped by its protection price"];
  if (c.has_display_qty && r.trades > 0) ++coverage_["new: incoming iceberg traded"];
  if (r.aggressor_stp_canceled) ++coverage_[c.stp == Stp::cancel_both ? "new: stp both" : "new: stp aggressor"];
  if (r.aggressor_stp_canceled || in.open == 0) return;
  // §6 (2): the sweep of the hour books with what is left.
  if (!c.post_only) block_sweep(in, in.open, match_no, c.seq, c.ts, out, "new");
  if (in.open == 0) return;
  if (immediate || market) {
    out.push_back(canceled_event(c.seq, c.ts, in.id, account, cl_id, in.open, "ioc"));
    return;
  }
  const std::int64_t gate64 = static_cast<std::int64_t>(gate);
  std::int64_t deadline = gate64;
  bool gate_reason = true;
  if (tif == Tif::gtd) {
    deadline = std::min(c.expire_ts, gate64);
    gate_reason = gate64 <= c.expire_ts;
  }
  rest(st_, in, c.has_display_qty ? c.display_qty : 0, c.post_only, deadline, gate_reason);
}

void Model::do_replace(const Command& c, std::vector<json>& out) {
  const std::string account = str(c.account.view());
  auto reject = [&](const char* reason) {
    json e = event("replace_rejected", c.seq, c.ts);
    e["account"] = account;
    if (c.has_cl_id) e["cl_id"] = str(c.cl_id.view());
    if (c.has_order_id) e["order_id"] = c.order_id;
    e["reason"] = reason;
    out.push_back(e);
  };

  if (st_.killed_accounts.count(account)) return reject("killed");
  int idx = -1;
  if (c.has_order_id) {
    idx = find_order(st_, c.order_id);
    if (idx >= 0 && st_.book[static_cast<std::size_t>(idx)].account != account) idx = -1;
  } else {
    idx = find_by_cl_id(st_, account, c.cl_id.view());
  }
  if (idx < 0) {  // a divisible order? (§6 "Replace of a divisible order")
    OrderId div = 0;
    if (c.has_order_id) {
      auto it = st_.divs.find(c.order_id);
      if (it != st_.divs.end() && it->second.account == account) div = c.order_id;
    } else {
      div = find_div_by_cl_id(st_, account, c.cl_id.view());
    }
    if (div != 0) return replace_divisible(c, div, out);
  }
  if (idx < 0) return reject("unknown_order");
  const Order o = st_.book[static_cast<std::size_t>(idx)];
  const Product* p = find_product(o.product);
  if (st_.halted_instruments.count(o.symbol) || st_.halted_products.count(o.product)) return reject("halted");
  if (c.qty <= 0 || c.qty % p->lot != 0 || c.qty > p->max_qty) return reject("bad_qty");
  if (!c.price.present || !c.price.valid || c.price.value <= 0 || c.price.value % p->tick != 0)
    return reject("bad_price");
  const std::int64_t price = c.price.value;
  const Band band = band_for(st_, o.symbol, *p);
  if (price != o.price && (price < band.lower || price > band.upper)) return reject("price_band");
  if (price < band.lower || price > band.upper) ++coverage_["replace: unchanged price outside the band"];
  if (o.post_only) {
    const int best = best_order(st_, o.symbol, o.side == Side::buy ? Side::sell : Side::buy);
    if (best >= 0 && crosses(o.side, price, st_.book[static_cast<std::size_t>(best)].price))
      return reject("post_only");
  }
  const std::string new_cl_id = c.has_new_cl_id ? str(c.new_cl_id.view()) : o.cl_id;
  if (new_cl_id != o.cl_id &&
      (find_by_cl_id(st_, account, new_cl_id) >= 0 || find_div_by_cl_id(st_, account, new_cl_id) != 0))
    return reject("duplicate_cl_id");

  const bool kept = price == o.price && c.qty <= o.open;
  if (const char* why = replace_block_risk(o, price, c.qty, kept)) return reject(why);  // SPEC §7, last
  json e = event("replaced", c.seq, c.ts);
  e["order_id"] = o.id;
  e["account"] = account;
  e["cl_id"] = new_cl_id;
  e["price"] = format_price(price);
  e["qty"] = c.qty;
  e["priority"] = kept ? "kept" : "lost";
  out.push_back(e);

  if (kept) {
    Order& live = st_.book[static_cast<std::size_t>(idx)];
    if (live.display > 0 && c.qty < live.shown) ++coverage_["replace: kept, clip shrinks"];
    live.cl_id = new_cl_id;
    live.open = c.qty;
    live.shown = live.display > 0 ? std::min(live.shown, c.qty) : c.qty;
    return;
  }
  st_.book.erase(st_.book.begin() + idx);
  Incoming in{o.id, account, new_cl_id, o.symbol, o.side, price, c.qty, o.stp};
  int match_no = 0;
  const MatchOutcome r = match(st_, in, c.seq, c.ts, match_no, &out);
  if (r.trades > 0) ++coverage_["replace: crossed and traded"];
  if (r.stp_canceled_resting > 0) ++coverage_["replace: stp canceled resting"];
  if (r.aggressor_stp_canceled) ++coverage_["replace: stp canceled itself"];
  if (r.aggressor_stp_canceled || in.open == 0) return;
  // §6: a block that lost priority also sweeps (not a post_only one), then rests.
  if (!o.post_only) block_sweep(in, in.open, match_no, c.seq, c.ts, out, "replace");
  if (in.open == 0) return;
  rest(st_, in, o.display, o.post_only, o.deadline, o.gate_reason);
}

}  // namespace gpux::model
