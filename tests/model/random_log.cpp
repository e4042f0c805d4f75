#include "tests/model/random_log.hpp"
#include "tests/model/random_log_units.hpp"

#include "engine/symbol.hpp"  // the calendar, to write symbols; the model parses them its own way

#include <algorithm>
#include <cstdio>
#include <limits>

namespace gpux::model {

using nlohmann::json;

namespace {

using namespace gen;

std::string date_hour(std::int64_t start_hour) {
  const std::int64_t days = floor_div(start_hour, 24);
  const std::int64_t hour = start_hour - days * 24;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(hour));
  return buf;
}

const char* const kTifs[] = {"gtc", "gtd", "ioc", "fok"};
const char* const kStps[] = {"cancel_resting", "cancel_aggressor", "cancel_both"};

}  // namespace

RandomLog::RandomLog(std::uint64_t seed, const Catalog& catalog, Mix mix)
    : state_(seed * 0x9E3779B97F4A7C15ull + 0x1234567ull) {
  mix_ = mix;
  all_products_ = catalog.products();
  if (mix_ == Mix::hours) {
    init_hours();
    return;
  }
  if (mix_ == Mix::ledger) {
    init_ledger();
    return;
  }
  // 2-3 products, always including one with a big lot now and then.
  std::vector<Product> pool = all_products_;
  const std::size_t n = 2 + u(2);
  while (products_.size() < n && !pool.empty()) {
    const std::size_t k = u(pool.size());
    products_.push_back(pool[k]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(k));
  }
  const char* const names[] = {"alice", "bob", "carol", "d.e_v-4", "Acct_0123456789.abcdefghij-KLMNO"};
  const std::size_t na = chance(15) ? 2 : 3 + u(2);  // two accounts: self-trades galore
  for (std::size_t i = 0; i < na; ++i) accounts_.push_back(names[i]);
  if (chance(30)) accounts_.back() = names[4];  // 32 characters

  struct Start {
    std::int64_t y;
    unsigned m, d, h;
  };
  const Start starts[] = {{2026, 1, 15, 9}, {2027, 12, 31, 20}, {2028, 2, 28, 18}, {2026, 6, 30, 22}};
  const Start& s = starts[u(4)];
  ts_ = (days_from_civil(s.y, s.m, s.d) * 24 + s.h) * kHourNs + range(0, kHourNs - 1);
  pool_target_ = 4 + u(3);
  fast_clock_ = chance(20);  // hours pass quickly: expiries and gate closures in batches
  maintain_pool();
}

std::uint64_t RandomLog::rnd() {  // splitmix64
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}
std::uint64_t RandomLog::u(std::uint64_t n) { return n == 0 ? 0 : rnd() % n; }
std::int64_t RandomLog::range(std::int64_t lo, std::int64_t hi) {
  if (hi <= lo) return lo;
  return lo + static_cast<std::int64_t>(u(static_cast<std::uint64_t>(hi - lo) + 1));
}
bool RandomLog::chance(int percent) { return static_cast<int>(u(100)) < percent; }

std::string RandomLog::symbol_for(const Product& p, std::int64_t start_hour, std::int64_t hours) const {
  return p.id + "@" + date_hour(start_hour) + "+" + std::to_string(hours) + "h";
}

RandomLog::Window RandomLog::make_window(std::int64_t start_hour, std::int64_t hours_len, std::size_t product) {
  const Product& p = products_[product];
  Window w;
  w.symbol = symbol_for(p, start_hour, hours_len);
  w.product = product;
  w.start_ns = start_hour * kHourNs;
  w.gate_ns = w.start_ns - p.gate_minutes * kMinNs;
  return w;
}

void RandomLog::add_window() {
  static const std::int64_t offsets[] = {1, 1, 2, 2, 3, 4, 6, 8, 12, 24, 48, 168, 2160};
  static const std::int64_t lengths[] = {1, 2, 4, 8, 24, 24, 168, 720, 26280};
  const std::size_t product = u(products_.size());
  const Product& p = products_[product];
  std::int64_t start_hour = floor_div(ts_, kHourNs) + offsets[u(std::size(offsets))];
  // Share a start with a live window now and then: equal gate deadlines across instruments.
  if (!pool_.empty() && chance(40)) {
    const Window& other = pool_[u(pool_.size())];
    if (other.gate_ns > ts_) start_hour = other.start_ns / kHourNs;
  }
  Window w = make_window(start_hour, std::min(p.max_hours, lengths[u(std::size(lengths))]), product);
  for (const Window& x : pool_)
    if (x.symbol == w.symbol) return;
  deadlines_.push_back(w.gate_ns);
  pool_.push_back(w);
}

void RandomLog::maintain_pool() {
  pool_.erase(std::remove_if(pool_.begin(), pool_.end(),
                             [&](const Window& w) { return w.gate_ns < ts_ - 10 * kMinNs; }),
              pool_.end());
  for (int guard = 0; pool_.size() < pool_target_ && guard < 20; ++guard) add_window();
  deadlines_.erase(std::remove_if(deadlines_.begin(), deadlines_.end(), [&](std::int64_t d) { return d <= ts_; }),
                   deadlines_.end());
}

void RandomLog::advance_time() {
  const std::uint64_t r = u(1000);
  if (r < 150) return;  // same ts
  if (r < 820) {
    ts_ += range(1, 2 * kSecNs);
  } else if (r < 960) {
    ts_ += range(1, 120 * kSecNs);
  } else if (r < (fast_clock_ ? 990 : 975)) {
    ts_ += range(1, 40 * kMinNs);
  } else if (r < (fast_clock_ ? 998 : 990)) {
    std::vector<std::int64_t> soon;
    for (std::int64_t d : deadlines_)
      if (d > ts_ && d <= ts_ + 45 * kMinNs) soon.push_back(d);
    if (soon.empty()) {
      ts_ += range(1, kSecNs);
      return;
    }
    const std::int64_t d = soon[u(soon.size())];
    const std::uint64_t k = u(100);
    if (k < 70)
      ts_ = d;
    else if (k < 85)
      ts_ = std::max(ts_, d - 1);
    else
      ts_ = d + range(1, 1000);
  } else {
    // The next whole 5 minutes or whole hour, exactly.
    const std::int64_t step = chance(50) ? 5 * kMinNs : kHourNs;
    ts_ = (floor_div(ts_, step) + 1) * step;
  }
}

const Product* RandomLog::product_of_symbol(const std::string& symbol) const {
  const std::size_t at = symbol.find('@');
  const std::string id = symbol.substr(0, at);
  for (const Product& p : all_products_)
    if (p.id == id) return &p;
  return nullptr;
}

std::string RandomLog::special_instrument() {
  const Product& p = products_[u(products_.size())];
  const std::int64_t now_hour = floor_div(ts_, kHourNs);
  const std::string date = date_hour(now_hour + 3);
  switch (u(24)) {
    case 0: return symbol_for(p, now_hour, 24);                     // gate passed: window_closed
    case 1: return symbol_for(p, now_hour - 5, 24);                 // window_closed
    case 2: return symbol_for(p, now_hour + 1, p.max_hours);        // longest window
    case 3: return symbol_for(p, now_hour + 2, p.max_hours + 1);    // bad_window
    case 4: return p.id + "@" + date + "+0h";                       // bad_window
    case 5: return p.id + "@" + date + "+024h";                     // unknown_instrument
    case 6: return p.id + "@" + date + "+99999999999999999999999h"; // bad_window (absurd)
    case 7: return symbol_for(p, now_hour + p.horizon_hours, 1);     // at the horizon (if ts is whole)
    case 8: return symbol_for(p, now_hour + p.horizon_hours + 1, 1); // window_too_far
    case 9: return p.id + "@9999-12-31T23Z+1h";                     // window_too_far, big year
    case 10: return p.id + "@2027-02-29T00Z+24h";                   // not a date
    case 11: return p.id + "@2028-02-29T00Z+24h";                   // leap day: a date
    case 12: return p.id + "@2026-04-31T00Z+24h";
    case 13: return p.id + "@2026-13-01T00Z+24h";
    case 14: return p.id + "@2026-12-00T00Z+24h";
    case 15: return p.id + "@2026-12-01T24Z+24h";
    case 16: return p.id + "@" + date.substr(0, date.size() - 1) + "z+24h";
    case 17: return p.id + "@" + date + "24h";
    case 18: return p.id;
    case 19: return "H300.MEM1@" + date + "+24h";  // unknown product
    case 20: return "h100.mem1@" + date + "+24h";
    case 21: return p.id + "@" + date + "+24hh";
    case 22: return p.id + "@1970-01-01T00Z+1h";
    default: {
      // A fresh valid window, maybe at the start of another one.
      Window w = make_window(now_hour + range(1, 30), chance(50) ? 24 : range(1, 100), u(products_.size()));
      return w.symbol;
    }
  }
}

std::string RandomLog::pick_account() { return accounts_[u(accounts_.size())]; }

std::string RandomLog::make_cl_id(const std::string& account, const std::vector<RestingView>& resting) {
  const std::uint64_t r = u(100);
  if (r < 70) return "o" + std::to_string(u(150));
  if (r < 80) {
    std::vector<std::string> own;
    for (const RestingView& o : resting)
      if (o.account == account) own.push_back(o.cl_id);
    if (!own.empty()) return own[u(own.size())];  // duplicate_cl_id
    return "o" + std::to_string(u(40));
  }
  if (r < 90) {
    // Any printable ASCII, quotes and backslashes included, 1..36 characters.
    std::string s;
    const std::size_t len = chance(20) ? 36 : 1 + u(36);
    for (std::size_t i = 0; i < len; ++i) s += static_cast<char>(0x20 + u(0x7F - 0x20));
    return s;
  }
  return "u" + std::to_string(++unique_);
}

std::string RandomLog::price_string(std::int64_t value) {
  std::string s = format_price(value);
  const std::uint64_t r = u(100);
  if (r < 70) return s;
  if (r < 90) {  // fewer places: "2.15", "2.1", "2"
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
  }
  if (r < 95) {  // drop just some zeros
    if (s.back() == '0') s.pop_back();
    return s;
  }
  if (value >= 0) return "00" + s;  // leading zeros are still the syntax
  return s;
}

std::string RandomLog::invalid_price_string() {
  static const char* const bad[] = {
      "",      "abc",   "2.10000", "2.",      ".5",       "+2.1",   " 2.1",  "2.1 ",
      "1e3",   "2,10",  "--1",     "0x10",    "-",        "2.1.0",  "١٢",    "99999999999999999999",
      "922337203685477.5808",       "-922337203685477.5808", "922337203685477.5800",
      "922337203685477.5807",       "0",      "0.0000", "-0",     "-2.1000", "00000000000000000000000002.1"};
  return bad[u(std::size(bad))];
}

std::int64_t RandomLog::best_contra(const std::vector<RestingView>& resting, const std::string& symbol,
                                    Side side, bool& found) const {
  found = false;
  std::int64_t best = 0;
  for (const RestingView& o : resting) {
    if (o.symbol != symbol || o.side == side) continue;
    if (!found || (side == Side::buy ? o.price < best : o.price > best)) best = o.price;
    found = true;
  }
  return best;
}

std::string RandomLog::new_price(const Model& model, const std::string& symbol, const Product* p, Side side,
                                 const std::vector<RestingView>& resting) {
  const std::int64_t tick = p ? p->tick : 10;
  std::int64_t ref = p ? p->ref_price : 21000;
  std::int64_t lower = ref / 2, upper = ref * 3 / 2;
  if (auto b = model.band(symbol)) {
    ref = b->ref;
    lower = b->lower;
    upper = b->upper;
  }
  // Mostly passive (buys below, sells above the reference), overlapping near it.
  std::int64_t v = ref / tick * tick + tick * (side == Side::buy ? range(-8, 2) : range(-2, 8));
  const std::uint64_t r = u(100);
  if (r < 70) {
    // clustered around the reference
  } else if (r < 84) {
    bool found;
    const std::int64_t c = best_contra(resting, symbol, side, found);
    if (found) v = c + (side == Side::buy ? 1 : -1) * tick * range(0, 3);
  } else if (r < 87) {
    const std::int64_t edges[] = {lower, upper, lower - tick, upper + tick};
    v = edges[u(4)];
  } else if (r < 88) {
    v = chance(50) ? ref / tick * tick * 2 : ref / 4 / tick * tick;
  } else if (r < 89) {
    v += range(1, tick - 1);  // not a tick multiple
  } else if (r < 90) {
    v = -tick * range(0, 3);
  } else if (r < 92) {
    return invalid_price_string();
  }
  return price_string(v);
}

std::int64_t RandomLog::new_qty(const Product* p) {
  const std::int64_t lot = p ? p->lot : 8;
  const std::int64_t max = p ? p->max_qty : 262144;
  const std::uint64_t r = u(100);
  if (r < 78) return lot * range(1, 6);
  if (r < 96) return lot * range(7, 40);
  switch (u(8)) {
    case 0: return 0;
    case 1: return -lot;
    case 2: return lot / 2;
    case 3: return lot + 1;
    case 4: return max / lot * lot;
    case 5: return max / lot * lot + lot;
    case 6: return kI64Max;
    default: return kI64Min;
  }
}

void RandomLog::gen_new(const Model& model, const std::vector<RestingView>& resting, LogLine& line, json& j) {
  j["type"] = "new";
  std::string account = pick_account();
  if (!killed_.empty() && chance(4)) account = *killed_.begin();
  j["account"] = account;
  j["cl_id"] = make_cl_id(account, resting);

  std::string symbol;
  if (chance(7) || pool_.empty()) {
    symbol = special_instrument();
  } else if (!halted_.empty() && chance(3) && halted_.back().first) {
    symbol = halted_.back().second;
  } else if (chance(55)) {
    // Most flow goes to the first one or two open windows, so books get busy.
    std::vector<const Window*> open;
    for (const Window& w : pool_)
      if (w.gate_ns > ts_) open.push_back(&w);
    symbol = open.empty() ? pool_[0].symbol : open[u(std::min<std::size_t>(2, open.size()))]->symbol;
  } else {
    symbol = pool_[u(pool_.size())].symbol;
  }
  j["instrument"] = symbol;
  const Product* p = product_of_symbol(symbol);
  const Side side = chance(50) ? Side::buy : Side::sell;
  j["side"] = side == Side::buy ? "buy" : "sell";

  const bool market = chance(8);
  if (market) {
    j["order_type"] = "market";
  } else if (chance(10)) {
    j["order_type"] = "limit";
  }

  const bool with_price = market ? chance(5) : !chance(2);
  if (with_price) {
    line.has_price = true;
    line.price_text = new_price(model, symbol, p, side, resting);
    j["price"] = line.price_text;
  }

  const std::int64_t qty = new_qty(p);
  const std::int64_t lot = p ? p->lot : 8;
  j["qty"] = qty;

  std::string tif;
  {
    const std::uint64_t r = u(100);
    if (market) {
      if (r < 55) tif = "";
      else if (r < 72) tif = "ioc";
      else if (r < 90) tif = "fok";
      else tif = kTifs[u(2)];  // gtc/gtd: bad_tif
    } else {
      if (r < 50) tif = "";
      else if (r < 62) tif = "gtc";
      else if (r < 80) tif = "gtd";
      else if (r < 91) tif = "ioc";
      else tif = "fok";
    }
  }
  if (!tif.empty()) j["tif"] = tif;

  // expire_ts
  std::int64_t gate = ts_ + kHourNs;
  for (const Window& w : pool_)
    if (w.symbol == symbol) gate = w.gate_ns;
  if (tif == "gtd" || chance(2)) {
    std::int64_t e = 0;
    bool give = true;
    const std::uint64_t r = u(100);
    if (r < 25) e = ts_ + range(1, 600 * kSecNs);
    else if (r < 55) e = (floor_div(ts_, 10 * kMinNs) + 1 + range(0, 5)) * 10 * kMinNs;
    else if (r < 67) e = gate;
    else if (r < 77) e = gate + range(1, kHourNs);
    else if (r < 83) e = gate - 1;
    else if (r < 89) e = gate - range(1, 600 * kSecNs);
    else if (r < 92) e = ts_;
    else if (r < 94) e = ts_ - range(1, kSecNs);
    else if (r < 95) e = chance(50) ? 0 : kI64Max;
    else give = false;
    if (give) {
      j["expire_ts"] = e;
      if (e > ts_) deadlines_.push_back(e);
    }
  }

  if (chance(8)) j["post_only"] = true;
  else if (chance(5)) j["post_only"] = false;

  if (chance(12)) {
    std::int64_t m;
    if (chance(85) && qty > 0 && qty % lot == 0 && qty / lot <= 1000)
      m = chance(30) ? qty : lot * range(1, qty / lot);
    else {
      const std::int64_t bad[] = {0, -lot, lot + 1, sat_add(qty, lot), lot / 2};
      m = bad[u(5)];
    }
    j["min_qty"] = m;
  }
  if (chance(tif == "ioc" || tif == "fok" || market ? 3 : 12)) {
    std::int64_t d;
    if (chance(85) && qty > 0 && qty % lot == 0 && qty / lot >= 2 && qty / lot <= 1000)
      d = lot * range(1, qty / lot - 1);
    else {
      const std::int64_t bad[] = {0, qty, lot + 1, sat_add(qty, lot), -lot, lot};
      d = bad[u(6)];
    }
    j["display_qty"] = d;
  }
  if (chance(50)) j["stp"] = kStps[u(3)];
}

void RandomLog::gen_cancel(const std::vector<RestingView>& resting, json& j) {
  j["type"] = "cancel";
  const std::uint64_t r = u(100);
  std::string account = pick_account();
  std::string cl_id = "o" + std::to_string(u(40));
  OrderId order_id = new_seqs_.empty() ? 1 : new_seqs_[u(new_seqs_.size())];
  if (r < 75 && !resting.empty()) {
    const RestingView& o = resting[u(resting.size())];
    account = o.account;
    cl_id = o.cl_id;
    order_id = o.order_id;
    if (r >= 60) {  // someone else's order
      for (int k = 0; k < 5 && account == o.account; ++k) account = pick_account();
    }
  } else if (chance(20)) {
    const OrderId odd[] = {static_cast<OrderId>(seq_ + 1000), kI64Max, 0, -1};
    order_id = odd[u(4)];
  }
  j["account"] = account;
  const std::uint64_t how = u(100);
  if (how < 50) {
    j["cl_id"] = cl_id;
  } else if (how < 90) {
    j["order_id"] = order_id;
  } else {
    j["cl_id"] = chance(50) ? cl_id : std::string("o") + std::to_string(u(40));
    j["order_id"] = order_id;
  }
}

void RandomLog::gen_replace(const Model& model, const std::vector<RestingView>& resting, LogLine& line,
                            json& j) {
  j["type"] = "replace";
  std::string account = pick_account();
  std::string cl_id = "o" + std::to_string(u(40));
  OrderId order_id = new_seqs_.empty() ? 1 : new_seqs_[u(new_seqs_.size())];
  const RestingView* target = nullptr;
  const std::uint64_t r = u(100);
  if (r < 85 && !resting.empty()) {
    target = &resting[u(resting.size())];
    account = target->account;
    cl_id = target->cl_id;
    order_id = target->order_id;
    if (r >= 78) {
      for (int k = 0; k < 5 && account == target->account; ++k) account = pick_account();
    }
  }
  if (!killed_.empty() && chance(5)) account = *killed_.begin();
  j["account"] = account;
  const std::uint64_t how = u(100);
  if (how < 50) {
    j["cl_id"] = cl_id;
  } else if (how < 90) {
    j["order_id"] = order_id;
  } else {
    j["cl_id"] = chance(50) ? cl_id : std::string("o") + std::to_string(u(40));
    j["order_id"] = order_id;
  }

  const std::string symbol = target ? target->symbol : (pool_.empty() ? std::string("X") : pool_[0].symbol);
  const Product* p = product_of_symbol(symbol);
  const std::int64_t tick = p ? p->tick : 10;
  const std::int64_t lot = p ? p->lot : 8;
  const Side side = target ? target->side : Side::buy;
  const std::int64_t cur_price = target ? target->price : (p ? p->ref_price / tick * tick : 21000);
  const std::int64_t cur_open = target ? target->open : lot;

  // price
  {
    const std::uint64_t k = u(100);
    if (k < 40) {
      line.price_text = price_string(cur_price);
    } else if (k < 72) {
      line.price_text = price_string(cur_price + tick * range(-5, 5));
    } else if (k < 85) {
      bool found;
      const std::int64_t c = best_contra(resting, symbol, side, found);
      line.price_text = price_string(found ? c + (side == Side::buy ? 1 : -1) * tick * range(0, 2) : cur_price);
    } else {
      line.price_text = new_price(model, symbol, p, side, resting);
    }
    line.has_price = true;
    j["price"] = line.price_text;
  }
  // qty
  {
    const std::uint64_t k = u(100);
    std::int64_t q;
    if (k < 25) q = cur_open;
    else if (k < 50) q = cur_open > lot ? lot * range(1, cur_open / lot - 1) : cur_open;
    else if (k < 80) q = cur_open + lot * range(1, 10);
    else if (k < 94) q = lot * range(1, 8);
    else q = new_qty(p);
    j["qty"] = q;
  }
  if (chance(20)) {
    const std::uint64_t k = u(100);
    std::string n;
    if (k < 45) {
      n = "n" + std::to_string(++unique_);
    } else if (k < 75) {
      std::vector<std::string> own;
      for (const RestingView& o : resting)
        if (o.account == account) own.push_back(o.cl_id);
      n = own.empty() ? "o" + std::to_string(u(40)) : own[u(own.size())];
    } else if (k < 90) {
      n = cl_id;  // its own current cl_id
    } else {
      n = "o" + std::to_string(u(40));
    }
    j["new_cl_id"] = n;
  }
}

void RandomLog::gen_mass_cancel(json& j) {
  j["type"] = "mass_cancel";
  j["account"] = pick_account();
  const std::uint64_t r = u(100);
  const std::string instrument = pool_.empty() ? std::string("NOPE") : pool_[u(pool_.size())].symbol;
  const std::string product = products_[u(products_.size())].id;
  if (r < 40) return;
  if (r < 70) {
    j["instrument"] = instrument;
  } else if (r < 90) {
    j["product"] = product;
  } else {
    j["instrument"] = instrument;
    j["product"] = product;
  }
}

void RandomLog::gen_halt_resume(bool halt, json& j) {
  j["type"] = halt ? "halt" : "resume";
  bool is_instrument;
  std::string target;
  if (!halt && !halted_.empty() && chance(95)) {
    const std::size_t k = u(halted_.size());
    is_instrument = halted_[k].first;
    target = halted_[k].second;
    halted_.erase(halted_.begin() + static_cast<std::ptrdiff_t>(k));
  } else {
    const std::uint64_t r = u(100);
    if (r < 45 && !pool_.empty()) {
      is_instrument = true;
      target = pool_[u(pool_.size())].symbol;
    } else if (r < 60) {
      // A symbol nobody has used yet; it joins the pool so orders will come.
      is_instrument = true;
      Window w = make_window(floor_div(ts_, kHourNs) + range(2, 12), 24, u(products_.size()));
      target = w.symbol;
      bool dup = false;
      for (const Window& x : pool_) dup = dup || x.symbol == w.symbol;
      if (!dup) {
        deadlines_.push_back(w.gate_ns);
        pool_.push_back(w);
      }
    } else if (r < 92) {
      is_instrument = false;
      target = products_[u(products_.size())].id;
    } else {
      is_instrument = chance(50);
      target = chance(50) ? "NOPE" : "h100.mem1@whatever";
    }
    if (halt) halted_.push_back({is_instrument, target});
  }
  if (is_instrument) {
    j["instrument"] = target;
    if (chance(10)) j["product"] = products_[u(products_.size())].id;  // instrument wins
  } else {
    j["product"] = target;
  }
}

LogLine RandomLog::next(const Model& model) {
  if (mix_ == Mix::hours) return next_hours(model);
  if (mix_ == Mix::ledger) return next_ledger(model);
  if (chance(1)) {  // blank lines use no seq
    LogLine blank;
    blank.type = "blank";
    blank.seq = seq_;
    blank.text = chance(50) ? "" : " \t ";
    return blank;
  }
  advance_time();
  maintain_pool();
  const std::vector<RestingView> resting = model.resting();

  LogLine line;
  json j = json::object();
  const std::uint64_t r = u(1000);
  if (r < 640) {
    gen_new(model, resting, line, j);
  } else if (r < 710) {
    gen_cancel(resting, j);
  } else if (r < 850) {
    gen_replace(model, resting, line, j);
  } else if (r < 860) {
    gen_mass_cancel(j);
  } else if (r < 864) {
    gen_halt_resume(true, j);
  } else if (r < 897) {
    gen_halt_resume(false, j);
  } else if (r < 900) {
    const std::string a = pick_account();
    j["type"] = "kill";
    j["account"] = a;
    killed_.insert(a);
  } else if (r < 940 && (!killed_.empty() || chance(10))) {
    std::string a = killed_.empty() ? pick_account() : *std::next(killed_.begin(), static_cast<std::ptrdiff_t>(u(killed_.size())));
    j["type"] = "unkill";
    j["account"] = a;
    killed_.erase(a);
  } else if (r < 945) {
    j["type"] = "disconnect";  // gpux's extension: the gateway's cancel-on-disconnect
    j["account"] = pick_account();
  } else {
    j["type"] = "clock";
  }
  line.type = j["type"].get<std::string>();
  finish(j, line);
  return line;
}

void RandomLog::finish(json& j, LogLine& line) {
  // Fields that do not belong to the command's type are ignored (valid types only).
  if (chance(4)) {
    switch (u(6)) {
      case 0: j["note"] = "ignored"; break;
      case 1: j["extra"] = json::array({1, "two", nullptr}); break;
      case 2: if (line.type != "new") j["side"] = "sell"; break;
      case 3: if (line.type != "new" && line.type != "replace") j["qty"] = 16; break;
      case 4: if (line.type == "clock") j["account"] = "alice"; break;
      default: if (line.type == "new") j["new_cl_id"] = "zz"; break;
    }
  }

  Seq seq = seq_ + 1;
  if (chance(8)) {
    seq = seq_ + 1 + static_cast<Seq>(chance(50) ? 0 : u(5));
    j["seq"] = seq;
  }
  seq_ = seq;
  j["ts"] = ts_;
  line.seq = seq;
  if (line.type == "new") new_seqs_.push_back(seq);
  // Key order and white space are free.
  const std::uint64_t style = u(100);
  if (style < 30) {
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    for (std::size_t i = keys.size(); i > 1; --i) std::swap(keys[i - 1], keys[u(i)]);
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (const std::string& k : keys) o[k] = nlohmann::ordered_json::parse(j[k].dump());
    line.text = o.dump();
  } else if (style < 35) {
    line.text = j.dump(1);
    std::replace(line.text.begin(), line.text.end(), '\n', ' ');
  } else {
    line.text = j.dump();
  }
}

}  // namespace gpux::model
