// Mix::hours: random logs for SPEC §6. Owners post divisible sells (and labs some divisible
// buys) over long overlapping windows starting within a couple of weeks; labs send blocks over
// sub-windows of what rests (ioc, fok, min_qty, gtc/gtd that stand, icebergs, market,
// post_only); replaces of both kinds keep or lose priority; cancels, mass cancels, kills, halts
// of single hours and of products, resumes; time advances hour by hour (clock commands land on
// gate closures) so slices close and gtd slices expire. Small quantities so that sweeps,
// partial sweeps, standing sweeps, merges and self pass-overs happen often.
#include <algorithm>

#include "tests/model/random_log.hpp"
#include "tests/model/random_log_units.hpp"

namespace gpux::model {

using nlohmann::json;

namespace {

using namespace gen;

const char* const kStps[] = {"cancel_resting", "cancel_aggressor", "cancel_both"};

}  // namespace

std::int64_t RandomLog::now_hour() const { return floor_div(ts_, kHourNs); }

void RandomLog::init_hours() {
  // One or two products: the hour books must be busy.
  std::vector<Product> pool = all_products_;
  const std::size_t n = chance(60) ? 1 : 2;
  while (products_.size() < n && !pool.empty()) {
    const std::size_t k = u(pool.size());
    products_.push_back(pool[k]);
    pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(k));
  }
  // Owners (own*) mostly sell divisible, labs mostly send blocks, but everybody does both now
  // and then (own slices passed over, stp in window books).
  accounts_ = {"own1", "own2", "lab1"};
  if (chance(60)) accounts_.push_back("lab2");
  const std::int64_t starts[] = {days_from_civil(2026, 1, 15), days_from_civil(2027, 12, 31),
                                 days_from_civil(2028, 2, 28), days_from_civil(2026, 6, 30)};
  ts_ = (starts[u(4)] * 24 + range(0, 23)) * kHourNs + range(0, kHourNs - 1);
}

std::string RandomLog::hours_account(bool owner) {
  if (chance(80)) {
    std::vector<std::string> mine;
    for (const std::string& a : accounts_)
      if ((a.rfind("own", 0) == 0) == owner) mine.push_back(a);
    if (!mine.empty()) return mine[u(mine.size())];
  }
  return pick_account();
}

std::string RandomLog::hour_window(std::size_t product, std::int64_t start_hour, std::int64_t hours) const {
  return symbol_for(products_[product], start_hour, hours);
}

void RandomLog::advance_time_hours(bool clock) {
  const Product& p = products_[0];
  const std::int64_t gate = p.gate_minutes * kMinNs;
  // The next gate closure of an hour: (h + 1) hours - gate, the first one after now.
  std::int64_t next_gate = (now_hour() + 1) * kHourNs - gate;
  while (next_gate <= ts_) next_gate += kHourNs;
  const std::uint64_t r = u(1000);
  if (clock) {
    if (r < 60) ts_ = next_gate;
    else if (r < 75) ts_ = next_gate - 1;
    else if (r < 85) ts_ = next_gate + range(1, 1000);
    else if (!deadlines_.empty() && r < 95) ts_ = std::max(ts_, deadlines_[u(deadlines_.size())]);
    else ts_ += range(1, 30 * kMinNs);
    return;
  }
  if (r < 200) return;
  if (r < 930) ts_ += range(1, 3 * kSecNs);
  else if (r < 975) ts_ += range(1, 10 * kMinNs);
  else ts_ = next_gate;
}

std::string RandomLog::hours_price(const Product& p, const Model& model, const std::string& symbol, Side side,
                                   bool block) {
  std::int64_t ref = p.ref_price;
  if (auto b = model.band(symbol)) ref = b->ref;
  const std::int64_t tick = p.tick;
  std::int64_t v = ref / tick * tick;
  // Sells around and above the reference, buys around and below; blocks cross more often.
  if (side == Side::sell) v += tick * (block ? range(-6, 2) : range(-3, 4));
  else v += tick * (block ? range(-2, 6) : range(-4, 3));
  if (chance(2)) v += range(1, tick - 1);  // not a tick multiple
  return price_string(std::max<std::int64_t>(v, tick));
}

void RandomLog::gen_divisible(const Model& model, const std::vector<RestingView>& resting, LogLine& line, json& j) {
  j["type"] = "new";
  const bool owner = chance(78);
  const std::string account = hours_account(owner);
  j["account"] = account;
  j["cl_id"] = make_cl_id(account, resting);
  const std::size_t pi = u(products_.size());
  const Product& p = products_[pi];
  // Long windows starting at varied hours within a couple of weeks.
  std::int64_t start = now_hour() + (chance(70) ? range(1, 48) : range(1, 336));
  std::int64_t hours = chance(70) ? range(24, 96) : range(24, 300);
  if (chance(12)) hours = range(1, 23);
  hours = std::min(hours, p.max_hours);
  std::string symbol = hour_window(pi, start, hours);
  if (chance(2)) symbol = special_instrument();
  j["instrument"] = symbol;
  const Side side = owner ? (chance(90) ? Side::sell : Side::buy) : (chance(70) ? Side::buy : Side::sell);
  j["side"] = side == Side::buy ? "buy" : "sell";
  j["divisible"] = true;
  const bool market = chance(5);
  if (market) j["order_type"] = "market";
  if (!market || chance(3)) {
    line.has_price = true;
    line.price_text = hours_price(p, model, symbol, side, false);
    j["price"] = line.price_text;
  }
  j["qty"] = chance(97) ? p.lot * range(1, 4) : new_qty(&p);
  const std::uint64_t r = u(100);
  if (market) {
    if (r < 10) j["tif"] = "gtc";  // bad_tif
  } else if (r < 45) {
  } else if (r < 60) {
    j["tif"] = "gtc";
  } else if (r < 80) {
    j["tif"] = "gtd";
    const std::int64_t e = chance(80) ? ts_ + range(10 * kMinNs, 40 * kHourNs)
                                      : (start + range(0, hours)) * kHourNs - p.gate_minutes * kMinNs;
    j["expire_ts"] = e;
    deadlines_.push_back(e);
  } else if (r < 97) {
    j["tif"] = "ioc";
  } else {
    j["tif"] = "fok";  // bad_tif with divisible
  }
  if (chance(7)) j["post_only"] = true;
  if (chance(2)) j["min_qty"] = p.lot;          // bad_min_qty (or bad_tif)
  if (chance(2)) j["display_qty"] = p.lot;      // bad_display_qty
  if (chance(30)) j["stp"] = kStps[u(3)];      // kept on the order, unused in hour books
}

void RandomLog::gen_block(const Model& model, const std::vector<RestingView>& resting, LogLine& line, json& j) {
  j["type"] = "new";
  const bool owner = chance(20);
  const std::string account = hours_account(owner);
  j["account"] = account;
  j["cl_id"] = make_cl_id(account, resting);
  Side side = chance(80) ? Side::buy : Side::sell;
  // A sub-window of a resting divisible order of the other side, a resting block's window
  // (window-book matching, stp), or a fresh window.
  std::vector<const RestingView*> divs, blocks;
  for (const RestingView& o : resting) (o.divisible ? divs : blocks).push_back(&o);
  std::string symbol;
  std::size_t pi = u(products_.size());
  const std::uint64_t r = u(100);
  if (r < 70 && !divs.empty()) {
    const RestingView& d = *divs[u(divs.size())];
    side = d.side == Side::buy ? Side::sell : Side::buy;
    for (std::size_t k = 0; k < products_.size(); ++k)
      if (products_[k].id == d.product) pi = k;
    const std::int64_t lo = std::max(d.first_resting_hour, now_hour() + 1);
    const std::int64_t hi = std::max(lo, d.last_resting_hour);
    const std::int64_t start = lo + range(0, std::min<std::int64_t>(hi - lo, 48));
    const std::uint64_t k = u(100);
    std::int64_t hours = k < 50 ? range(1, 8) : k < 85 ? range(1, 36) : range(24, 200);
    hours = std::min(hours, products_[pi].max_hours);
    symbol = hour_window(pi, start, hours);
  } else if (r < 85 && !blocks.empty()) {
    const RestingView& b = *blocks[u(blocks.size())];
    symbol = b.symbol;
    side = chance(70) ? (b.side == Side::buy ? Side::sell : Side::buy) : b.side;
    for (std::size_t k = 0; k < products_.size(); ++k)
      if (products_[k].id == b.product) pi = k;
  } else if (r < 97) {
    symbol = hour_window(pi, now_hour() + range(1, 72), std::min<std::int64_t>(range(1, 48), products_[pi].max_hours));
  } else {
    symbol = special_instrument();
  }
  const Product& p = products_[pi];
  j["instrument"] = symbol;
  j["side"] = side == Side::buy ? "buy" : "sell";
  if (chance(5)) j["divisible"] = false;
  const bool market = chance(9);
  if (market) j["order_type"] = "market";
  if (!market) {
    line.has_price = true;
    line.price_text = hours_price(p, model, symbol, side, true);
    j["price"] = line.price_text;
  }
  const std::int64_t qty = chance(97) ? p.lot * range(1, 6) : new_qty(&p);
  j["qty"] = qty;
  const std::uint64_t t = u(100);
  std::string tif;
  if (market) tif = t < 60 ? "" : t < 80 ? "ioc" : "fok";
  else tif = t < 25 ? "" : t < 38 ? "gtc" : t < 50 ? "gtd" : t < 75 ? "ioc" : "fok";
  if (!tif.empty()) j["tif"] = tif;
  if (tif == "gtd") {
    const std::int64_t e = ts_ + range(1 * kMinNs, 20 * kHourNs);
    j["expire_ts"] = e;
    deadlines_.push_back(e);
  }
  const bool rests = !market && (tif.empty() || tif == "gtc" || tif == "gtd");
  if (!market && rests && chance(10)) j["post_only"] = true;
  if (chance(12) && qty > 0 && qty % p.lot == 0 && qty / p.lot <= 1000)
    j["min_qty"] = chance(30) ? qty : p.lot * range(1, qty / p.lot);
  if (rests && chance(14) && qty > 0 && qty % p.lot == 0 && qty / p.lot >= 2 && qty / p.lot <= 1000)
    j["display_qty"] = p.lot * range(1, qty / p.lot - 1);
  if (chance(50)) j["stp"] = kStps[u(3)];
}

void RandomLog::gen_hours_replace(const Model& model, const std::vector<RestingView>& resting, LogLine& line,
                                  json& j) {
  j["type"] = "replace";
  if (resting.empty()) {
    j["account"] = pick_account();
    j["cl_id"] = "o1";
    line.has_price = true;
    line.price_text = "2.1";
    j["price"] = line.price_text;
    j["qty"] = 8;
    return;
  }
  // Divisible orders first, most of the time.
  std::vector<const RestingView*> divs;
  for (const RestingView& o : resting)
    if (o.divisible) divs.push_back(&o);
  const RestingView& o = !divs.empty() && chance(65) ? *divs[u(divs.size())] : resting[u(resting.size())];
  const Product* p = product_of_symbol(o.symbol);
  std::string account = o.account;
  if (chance(5)) account = pick_account();
  j["account"] = account;
  if (chance(50)) j["cl_id"] = o.cl_id;
  else j["order_id"] = o.order_id;
  std::int64_t price = o.price;
  std::int64_t qty = o.min_open;
  const std::uint64_t k = u(100);
  if (k < 35) {  // priority kept: same price, not larger than the smallest slice
    qty = p->lot * range(1, std::max<std::int64_t>(1, o.min_open / p->lot));
  } else if (k < 60) {  // lost: larger
    qty = o.open + p->lot * range(0, 3);
    if (qty <= o.min_open) qty = o.min_open + p->lot;
  } else {  // lost: a new price, maybe crossing
    price = o.price + p->tick * (o.side == Side::buy ? range(-2, 6) : range(-6, 2));
    qty = p->lot * range(1, 5);
  }
  line.has_price = true;
  line.price_text = chance(97) ? price_string(price) : hours_price(*p, model, o.symbol, o.side, false);
  j["price"] = line.price_text;
  j["qty"] = qty;
  if (chance(15)) j["new_cl_id"] = chance(70) ? "n" + std::to_string(++unique_) : make_cl_id(account, resting);
}

void RandomLog::gen_hours_cancel(const std::vector<RestingView>& resting, json& j) {
  j["type"] = "cancel";
  if (resting.empty() || chance(8)) {
    j["account"] = pick_account();
    j["cl_id"] = "o" + std::to_string(u(150));
    return;
  }
  const RestingView& o = resting[u(resting.size())];
  j["account"] = chance(93) ? o.account : pick_account();
  if (chance(50)) j["cl_id"] = o.cl_id;
  else j["order_id"] = o.order_id;
}

void RandomLog::gen_hours_halt(const std::vector<RestingView>& resting, json& j) {
  j["type"] = "halt";
  const std::uint64_t r = u(100);
  std::pair<bool, std::string> target{false, products_[u(products_.size())].id};
  if (r < 80 && !resting.empty()) {
    // One hour of something resting: blocks sweeping it find nothing there.
    const RestingView& o = resting[u(resting.size())];
    const std::int64_t first = o.divisible ? o.first_resting_hour : o.start_hour;
    const std::int64_t last = o.divisible ? o.last_resting_hour : o.start_hour + o.hours - 1;
    const std::int64_t h = range(first, last);
    target = {true, o.product + "@" + hour_window(0, h, 1).substr(products_[0].id.size() + 1)};
  } else if (r < 94 && !resting.empty()) {
    target = {true, resting[u(resting.size())].symbol};
  }
  halted_.push_back(target);
  j[target.first ? "instrument" : "product"] = target.second;
}

LogLine RandomLog::next_hours(const Model& model) {
  const std::vector<RestingView> resting = model.resting();
  std::size_t div_count = 0, slice_count = 0;
  for (const RestingView& o : resting)
    if (o.divisible) ++div_count, slice_count += static_cast<std::size_t>(o.slices);
  const bool crowded = div_count > 24 || slice_count > 2500;

  LogLine line;
  json j = json::object();
  std::uint64_t r = u(1000);
  if (crowded && r < 200) r = 700 + u(40);  // cancel some instead of adding
  advance_time_hours(r >= 948 || (r >= 903 && r < 945 && killed_.empty()));
  if (r < 200) {
    gen_divisible(model, resting, line, j);
  } else if (r < 540) {
    gen_block(model, resting, line, j);
  } else if (r < 720) {
    gen_hours_replace(model, resting, line, j);
  } else if (r < 785) {
    gen_hours_cancel(resting, j);
  } else if (r < 800) {
    j["type"] = "mass_cancel";
    j["account"] = pick_account();
    if (chance(40) && !resting.empty()) j["instrument"] = resting[u(resting.size())].symbol;
    else if (chance(40)) j["product"] = products_[u(products_.size())].id;
  } else if (r < 830) {
    gen_hours_halt(resting, j);
  } else if (r < 900) {
    j["type"] = "resume";
    if (!halted_.empty()) {
      // The oldest halt most of the time: halts do not pile up.
      const std::size_t k = chance(70) ? 0 : u(halted_.size());
      j[halted_[k].first ? "instrument" : "product"] = halted_[k].second;
      halted_.erase(halted_.begin() + static_cast<std::ptrdiff_t>(k));
    } else {
      j["product"] = products_[u(products_.size())].id;
    }
  } else if (r < 903) {
    const std::string a = pick_account();
    j["type"] = "kill";
    j["account"] = a;
    killed_.insert(a);
  } else if (r < 945) {
    j["type"] = killed_.empty() ? "clock" : "unkill";
    if (!killed_.empty()) {
      const std::string a = *std::next(killed_.begin(), static_cast<std::ptrdiff_t>(u(killed_.size())));
      j["account"] = a;
      killed_.erase(a);
    }
  } else if (r < 948) {
    j["type"] = "disconnect";
    j["account"] = pick_account();
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
