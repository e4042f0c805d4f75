// Mix::ledger: random logs for SPEC §7. Owners (own*) get capacity by deposits over windows of
// every length (a few hours to a year, some before 1970 or after 2262, some invalid) and sell
// it, divisible or as blocks, sometimes beyond what is free; labs (lab*) get cash by funds
// (malformed ones too, negative ones within and beyond free cash, int64 edges) and buy, limit
// or market, sometimes beyond their cash, and resell sub-windows of what they bought. Risk
// checks go on early and are toggled now and then; replaces move qty and price up and down,
// sized to the room the order has. Quantities are sized from the model's own ledger so that
// exact fits and near misses happen. The §6 machinery (sweeps, standing blocks) runs as usual.
#include <algorithm>
#include <limits>

#include "engine/symbol.hpp"  // the calendar, to write symbols
#include "tests/model/random_log.hpp"
#include "tests/model/random_log_units.hpp"

namespace gpux::model {

using nlohmann::json;

namespace {

using namespace gen;

Wide clamp_wide(Wide v, Wide lo, Wide hi) { return v < lo ? lo : v > hi ? hi : v; }

}  // namespace

void RandomLog::init_ledger() {
  std::vector<Product> pool = all_products_;
  const std::size_t n = chance(55) ? 1 : 2;
  while (products_.size() < n && !pool.empty()) {
    const std::size_t k = u(pool.size());
    products_.push_back(pool[k]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(k));
  }
  accounts_ = {"own1", "own2", "lab1", "lab2"};
  if (chance(40)) accounts_.push_back("lab3");
  const std::int64_t starts[] = {days_from_civil(2026, 1, 15), days_from_civil(2027, 12, 31),
                                 days_from_civil(2028, 2, 28), days_from_civil(2026, 6, 30)};
  ts_ = (starts[u(4)] * 24 + range(0, 23)) * kHourNs + range(0, kHourNs - 1);
}

std::string RandomLog::ledger_account(bool owner) { return hours_account(owner); }

std::string RandomLog::ledger_special_window(const Product& p) {
  const std::int64_t now = now_hour();
  const std::string date = symbol_for(p, now + 3, 1).substr(p.id.size() + 1, 14);  // YYYY-MM-DDTHHZ
  switch (u(16)) {
    case 0: return p.id + "@" + date + "+0h";                              // bad_window
    case 1: return symbol_for(p, now + 1, p.max_hours + 1);                // bad_window
    case 2: return p.id + "@" + date + "+024h";                            // unknown_instrument
    case 3: return "H300.MEM1@" + date + "+24h";                           // unknown product
    case 4: return p.id + "@2027-02-29T00Z+24h";                           // not a date
    case 5: return p.id;                                                   // no window
    case 6: return p.id + "@" + date + "+99999999999999999999999h";        // bad_window, absurd
    case 7: return p.id + "@9999-12-31T23Z+2h";                            // far future: fine
    case 8: return p.id + "@0001-01-01T00Z+3h";                            // before 1970: fine
    case 9: return p.id + "@1970-01-01T00Z+1h";
    case 10: return p.id + "@0000-02-29T05Z+2h";                           // year 0 is a leap year
    case 11: return p.id + "@2262-04-11T23Z+2h";                           // around the end of int64 ns
    case 12: return symbol_for(p, now - 5, 24);                            // gate passed: fine here
    case 13: return symbol_for(p, now + 1, std::min<std::int64_t>(p.max_hours, 26280));  // longest
    case 14: return chance(50) ? p.id + "@" + date + "+24hh" : "\"" + p.id + "\"\\\u00e9\x01 @";
    default: return p.id + "@" + date + "+1h";
  }
}

std::int64_t RandomLog::sized_qty(const Product& p, Wide room_qty) {
  // room_qty: the most that fits (maybe <= 0). Within, exactly, just beyond, or anything.
  const std::int64_t lot = p.lot;
  const Wide room = clamp_wide(room_qty, -1, Wide(p.max_qty) + lot) / lot * lot;
  const std::uint64_t r = u(100);
  if (r < 40 && room >= lot) return lot * range(1, static_cast<std::int64_t>(std::min<Wide>(room / lot, 8)));
  if (r < 58 && room >= lot) return static_cast<std::int64_t>(room);
  if (r < 75 && room >= 0) return static_cast<std::int64_t>(room) + lot;
  if (r < 97) return lot * range(1, 6);
  return new_qty(&p);
}

bool RandomLog::sell_window(const Model& model, const std::string& account, std::size_t& product,
                            std::int64_t& start, std::int64_t& hours) {
  const std::int64_t now = now_hour();
  if (account.rfind("lab", 0) == 0 || chance(15)) {
    // Resale: a run of hours ahead where it has free capacity (bought or deposited).
    product = u(products_.size());
    const auto held = model.ledger_hours(account, products_[product].id);
    std::vector<std::int64_t> ok;
    for (const auto& [h, l] : held)
      if (l.free > 0 && h > now) ok.push_back(h);
    if (ok.empty()) return false;
    start = ok[u(ok.size())];
    std::int64_t end = start + 1;
    while (end - start < 120 && held.count(end) && held.at(end).free > 0) ++end;
    // A sub-window: start somewhere in the run, end before its end (sometimes one past it).
    const std::int64_t len = end - start;
    hours = range(1, len);
    if (chance(10)) ++hours;
    hours = std::min(hours, products_[product].max_hours);
    return true;
  }
  std::vector<const Deposit*> mine;
  for (const Deposit& d : deposits_)
    if (d.account == account && d.start_hour + d.hours > now + 1) mine.push_back(&d);
  if (mine.empty()) return false;
  const Deposit& d = *mine[u(mine.size())];
  product = d.product;
  const std::int64_t lo = std::max(d.start_hour, now + 1);
  const std::int64_t left = d.start_hour + d.hours - lo;
  start = lo + range(0, std::min<std::int64_t>(left - 1, 150));
  hours = range(1, std::min<std::int64_t>(d.start_hour + d.hours - start, chance(80) ? 72 : 400));
  if (chance(8)) hours += range(1, 4);  // past its end
  hours = std::min(hours, products_[product].max_hours);
  return true;
}

void RandomLog::order_tail(const Product& p, bool market, bool divisible, json& j) {
  const std::uint64_t t = u(100);
  std::string tif;
  if (market) tif = t < 70 ? "" : (divisible || t < 85) ? "ioc" : "fok";
  else if (t < 45) tif = "";
  else if (t < 60) tif = "gtc";
  else if (t < 72) tif = "gtd";
  else if (t < 92 || divisible) tif = "ioc";
  else tif = "fok";
  if (!tif.empty()) j["tif"] = tif;
  if (tif == "gtd") {
    const std::int64_t e = ts_ + range(10 * kMinNs, 30 * kHourNs);
    j["expire_ts"] = e;
    deadlines_.push_back(e);
  }
  const bool rests = !market && (tif.empty() || tif == "gtc" || tif == "gtd");
  if (rests && chance(8)) j["post_only"] = true;
  const std::int64_t qty = j["qty"].get<std::int64_t>();
  if (!divisible && rests && chance(8) && qty > p.lot && qty % p.lot == 0 && qty / p.lot <= 1000)
    j["display_qty"] = p.lot * range(1, qty / p.lot - 1);
  if (!divisible && chance(6) && qty > 0 && qty % p.lot == 0 && qty / p.lot <= 1000)
    j["min_qty"] = p.lot * range(1, qty / p.lot);
  if (chance(30)) {
    const char* const stps[] = {"cancel_resting", "cancel_aggressor", "cancel_both"};
    j["stp"] = stps[u(3)];
  }
}

void RandomLog::gen_deposit_withdraw(const Model& model, bool deposit, json& j) {
  j["type"] = deposit ? "deposit" : "withdraw";
  const std::string account = ledger_account(deposit ? chance(85) : chance(80));
  j["account"] = account;
  const std::size_t pi = u(products_.size());
  const Product& p = products_[pi];
  const std::int64_t now = now_hour();
  if (chance(deposit ? 6 : 12)) {
    j["instrument"] = ledger_special_window(p);
    j["qty"] = chance(80) ? p.lot * range(1, 4) : new_qty(&p);
    return;
  }
  if (deposit) {
    std::int64_t start = chance(90) ? now + range(1, 240) : now - range(0, 48);
    const std::uint64_t r = u(100);
    std::int64_t hours = r < 55 ? range(24, 300) : r < 75 ? range(1, 23) : r < 97 ? range(720, 2200) : 8760;
    hours = std::min(hours, p.max_hours);
    deposits_.push_back({account, pi, start, hours});
    j["instrument"] = symbol_for(p, start, hours);
    std::int64_t qty = p.lot * range(1, 12);
    if (chance(3)) qty = new_qty(&p);
    if (p.max_qty >= (std::int64_t{1} << 40) && account == "own2" && chance(30)) qty = p.max_qty;  // int64 edge
    j["qty"] = qty;
    return;
  }
  // Withdraw: a piece of one of its deposits, sized to its free capacity there.
  std::vector<const Deposit*> mine;
  for (const Deposit& d : deposits_)
    if (d.account == account) mine.push_back(&d);
  std::int64_t start = now + range(1, 100), hours = range(1, 48);
  std::size_t prod = pi;
  if (!mine.empty() && chance(90)) {
    const Deposit& d = *mine[u(mine.size())];
    prod = d.product;
    start = d.start_hour + range(0, std::min<std::int64_t>(d.hours - 1, 200));
    hours = range(1, std::min<std::int64_t>(d.start_hour + d.hours - start, 100));
  }
  const Product& q = products_[prod];
  j["instrument"] = symbol_for(q, start, hours);
  j["qty"] = sized_qty(q, model.min_free_capacity(account, q.id, start, hours));
}

void RandomLog::gen_fund(const Model& model, json& j) {
  j["type"] = "fund";
  const std::string account = ledger_account(chance(25));
  j["account"] = account;
  const Wide free = model.free_cash(account);
  const Wide cash = model.cash(account);
  auto money = [&](Wide v) { return format_money(v); };
  std::string amount;
  const std::uint64_t r = u(100);
  if (r < 45) {
    // $200 .. $60,000, in several spellings.
    const std::int64_t units = range(200, 60000) * 10000 + (chance(30) ? range(1, 9999) : 0);
    amount = price_string(units);
  } else if (r < 57) {
    const Wide part = free > 0 ? free * range(1, 100) / 100 : 1;
    amount = money(-std::max<Wide>(part, 1));
  } else if (r < 62) {
    amount = money(free > 0 ? -free : -1);  // exactly all of its free cash
  } else if (r < 70) {
    amount = money(-(std::max<Wide>(free, 0) + range(1, 100'000'000)));
  } else if (r < 88) {
    static const char* const bad[] = {
        "+5", "1.23456", "abc", "-0", "0", "0.0000", "-0.0", "", " 5", "5 ", "5.", ".5", "--5", "1e3",
        "922337203685477.5808", "-922337203685477.5809", "99999999999999999999", "1,000", "\u0661\u0662",
        "0x10", "5.00000", "-", "1000000000000000000000000000000000000000", "\"5\"", "5\\", "\u00e9",
        "\x01" "5", "5\t", "-\n5"};
    amount = bad[u(std::size(bad))];
  } else if (r < 95) {
    switch (u(5)) {
      case 0: amount = "922337203685477.5807"; break;
      case 1: amount = "-922337203685477.5808"; break;
      case 2: amount = cash < kI64Max ? money(Wide(kI64Max) - cash) : "0.0001"; break;  // to exactly int64 max
      case 3: amount = cash < kI64Max ? money(Wide(kI64Max) - cash + 1) : "1"; break;   // one past
      default: amount = "500000000000000"; break;                                     // $5e14
    }
  } else {
    amount = chance(50) ? "0005.5" : "-0000.0001";
  }
  j["amount"] = amount;
}

void RandomLog::gen_ledger_sell(const Model& model, const std::vector<RestingView>& resting, LogLine& line,
                                json& j) {
  j["type"] = "new";
  const bool owner = chance(65);
  const std::string account = ledger_account(owner);
  j["account"] = account;
  j["cl_id"] = make_cl_id(account, resting);
  std::size_t pi = u(products_.size());
  std::int64_t start = now_hour() + range(1, 72), hours = range(1, 48);
  const bool planned = sell_window(model, account, pi, start, hours);
  const Product& p = products_[pi];
  const bool divisible = chance(50);
  std::string symbol = symbol_for(p, start, hours);
  if (chance(2)) symbol = special_instrument();
  j["instrument"] = symbol;
  j["side"] = "sell";
  if (divisible) j["divisible"] = true;
  const bool market = chance(5);
  if (market) j["order_type"] = "market";
  else {
    line.has_price = true;
    line.price_text = hours_price(p, model, symbol, Side::sell, !divisible);
    j["price"] = line.price_text;
  }
  const Wide room = planned ? model.min_free_capacity(account, p.id, start, hours) : Wide(p.lot * range(0, 4));
  std::int64_t qty = sized_qty(p, room);
  if (p.max_qty >= (std::int64_t{1} << 40) && risk_on_ && chance(10)) qty = p.max_qty;
  j["qty"] = qty;
  order_tail(p, market, divisible, j);
}

void RandomLog::gen_ledger_buy(const Model& model, const std::vector<RestingView>& resting, LogLine& line,
                               json& j) {
  j["type"] = "new";
  const std::string account = ledger_account(chance(15));
  j["account"] = account;
  j["cl_id"] = make_cl_id(account, resting);
  std::vector<const RestingView*> sells;
  for (const RestingView& o : resting)
    if (o.side == Side::sell && o.account != account) sells.push_back(&o);
  std::size_t pi = u(products_.size());
  std::int64_t start = now_hour() + range(1, 72), hours = std::min<std::int64_t>(range(1, 48), products_[pi].max_hours);
  bool divisible = chance(30);
  if (!sells.empty() && chance(75)) {
    const RestingView& s = *sells[u(sells.size())];
    for (std::size_t k = 0; k < products_.size(); ++k)
      if (products_[k].id == s.product) pi = k;
    if (s.divisible) {
      const std::int64_t lo = std::max(s.first_resting_hour, now_hour() + 1);
      const std::int64_t hi = std::max(lo, s.last_resting_hour);
      start = lo + range(0, std::min<std::int64_t>(hi - lo, 48));
      hours = std::min<std::int64_t>(range(1, std::max<std::int64_t>(1, hi - start + 1)), products_[pi].max_hours);
    } else {
      start = s.start_hour;
      hours = s.hours;
      if (chance(30)) divisible = true;  // hour books of the same window: no trade with the block
      else divisible = false;
    }
  }
  const Product& p = products_[pi];
  // The largest quantity over a long window: price x qty x hours beyond int64.
  const bool rich = model.cash(account) > kI64Max;  // beyond int64 through trades
  const bool huge = p.max_qty >= (std::int64_t{1} << 40) && chance(rich ? 40 : 5);
  if (huge) hours = std::min<std::int64_t>(range(200, 1000), p.max_hours);
  std::string symbol = symbol_for(p, start, hours);
  if (chance(2)) symbol = special_instrument();
  j["instrument"] = symbol;
  j["side"] = "buy";
  if (divisible) j["divisible"] = true;
  const bool market = chance(10);
  std::int64_t price = p.ref_price;
  if (market) {
    j["order_type"] = "market";
    if (auto b = model.band(symbol)) price = b->upper;
  } else {
    line.has_price = true;
    line.price_text = hours_price(p, model, symbol, Side::buy, !divisible);
    j["price"] = line.price_text;
    if (auto v = parse_price(line.price_text)) price = std::max<std::int64_t>(*v, 1);
  }
  const Wide free = model.free_cash(account);
  const Wide unit = Wide(price) * hours;
  std::int64_t qty = sized_qty(p, free / unit);
  if (huge) qty = p.max_qty;
  j["qty"] = qty;
  order_tail(p, market, divisible, j);

  // Now and then: fund exactly what this buy lacks first, then send it (next line, same ts).
  if (!market && risk_on_ && chance(8) && qty > 0 && qty % p.lot == 0 && qty <= p.max_qty &&
      !j.contains("post_only")) {
    const Wide cost = Wide(price) * qty * hours;
    if (cost > free && cost - free < Wide(kI64Max) / 4 && model.cash(account) + (cost - free) <= kI64Max) {
      pending_ = j;
      pending_line_ = line;
      has_pending_ = true;
      line = LogLine{};
      j = json::object();
      j["type"] = "fund";
      j["account"] = account;
      j["amount"] = format_money(cost - free);
    }
  }
}

void RandomLog::gen_ledger_replace(const Model& model, const std::vector<RestingView>& resting, LogLine& line,
                                   json& j) {
  if (resting.empty()) return gen_hours_replace(model, resting, line, j);
  j["type"] = "replace";
  const RestingView& o = resting[u(resting.size())];
  const Product* p = product_of_symbol(o.symbol);
  std::string account = o.account;
  if (chance(3)) account = pick_account();
  j["account"] = account;
  if (chance(50)) j["cl_id"] = o.cl_id;
  else j["order_id"] = o.order_id;
  const std::int64_t lot = p->lot, tick = p->tick;
  std::int64_t price = o.price;
  std::int64_t qty = o.min_open;
  const std::int64_t hours = o.divisible ? o.slices : o.hours;
  const std::uint64_t k = u(100);
  if (k < 25) {  // down, same price: would keep priority
    qty = lot * range(1, std::max<std::int64_t>(1, o.min_open / lot));
  } else if (k < 45) {  // up
    qty = o.open + lot * range(1, 4);
  } else if (k < 65) {  // a new price, up or down, maybe crossing
    price = std::max(tick, o.price + tick * range(-6, 6));
    qty = chance(50) ? o.min_open : lot * range(1, 6);
  } else {  // sized to its room
    if (chance(50)) price = std::max(tick, o.price + tick * range(-3, 3));
    Wide room;
    if (o.side == Side::sell) {
      const std::int64_t first = o.divisible ? o.first_resting_hour : o.start_hour;
      const std::int64_t len = o.divisible ? o.last_resting_hour - o.first_resting_hour + 1 : o.hours;
      room = model.min_free_capacity(o.account, o.product, first, len) + o.min_open;
    } else {
      room = (model.free_cash(o.account) + Wide(o.price) * o.min_open * hours) / (Wide(price) * hours);
    }
    qty = sized_qty(*p, room);
  }
  line.has_price = true;
  line.price_text = price_string(price);
  j["price"] = line.price_text;
  j["qty"] = qty;
  if (chance(10)) j["new_cl_id"] = "n" + std::to_string(++unique_);
}

LogLine RandomLog::next_ledger(const Model& model) {
  LogLine line;
  json j = json::object();
  if (has_pending_) {
    has_pending_ = false;
    line = pending_line_;
    j = pending_;
    line.type = "new";
    finish(j, line);
    return line;
  }
  const std::vector<RestingView> resting = model.resting();
  std::uint64_t r = u(1000);
  if (seq_ == 0 && chance(75)) r = 150;  // risk on first, most of the time
  if (resting.size() > 60 && r >= 300 && r < 620) r = 700 + u(70);  // cancel some instead
  advance_time_hours(r >= 880);
  if (r < 70) {
    gen_deposit_withdraw(model, true, j);
  } else if (r < 125) {
    gen_fund(model, j);
  } else if (r < 145) {
    gen_deposit_withdraw(model, false, j);
  } else if (r < 160) {
    j["type"] = "risk";
    const bool on = risk_on_ ? chance(60) : chance(85);  // on about 2/3 of the time
    j["mode"] = on ? "on" : "off";
    risk_on_ = on;
  } else if (r < 370) {
    gen_ledger_sell(model, resting, line, j);
  } else if (r < 620) {
    gen_ledger_buy(model, resting, line, j);
  } else if (r < 760) {
    gen_ledger_replace(model, resting, line, j);
  } else if (r < 820) {
    gen_hours_cancel(resting, j);
  } else if (r < 830) {
    j["type"] = "mass_cancel";
    j["account"] = pick_account();
    if (chance(40)) j["product"] = products_[u(products_.size())].id;
  } else if (r < 840) {
    gen_hours_halt(resting, j);
  } else if (r < 860) {
    j["type"] = "resume";
    if (!halted_.empty()) {
      j[halted_[0].first ? "instrument" : "product"] = halted_[0].second;
      halted_.erase(halted_.begin());
    } else {
      j["product"] = products_[u(products_.size())].id;
    }
  } else if (r < 863) {
    const std::string a = pick_account();
    j["type"] = "kill";
    j["account"] = a;
    killed_.insert(a);
  } else if (r < 880 && !killed_.empty()) {
    const std::string a = *std::next(killed_.begin(), static_cast<std::ptrdiff_t>(u(killed_.size())));
    j["type"] = "unkill";
    j["account"] = a;
    killed_.erase(a);
  } else {
    j["type"] = "clock";
  }
  deadlines_.erase(std::remove_if(deadlines_.begin(), deadlines_.end(), [&](std::int64_t d) { return d <= ts_; }),
                   deadlines_.end());
  line.type = j["type"].get<std::string>();
  finish(j, line);
  return line;
}

}  // namespace gpux::model
