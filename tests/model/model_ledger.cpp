// SPEC §7 in the model: cash and holdings per account, commitments, the risk checks of `new`
// and `replace`, and the commands risk, deposit, withdraw and fund. Literal and slow on purpose:
// holdings are one map entry per (product, hour); committed capacity and committed cash are
// summed over the resting orders each time they are asked for; a check over a window looks at
// every hour of it. Choices where the spec is silent: /work/notes/ledger-decisions.md.
#include <algorithm>
#include <limits>

#include "tests/model/model.hpp"
#include "tests/model/model_internal.hpp"

namespace gpux::model {

using nlohmann::json;
using namespace detail;

namespace {

constexpr Wide kI64Max = std::numeric_limits<std::int64_t>::max();

}  // namespace

std::string format_money(Wide amount) {
  Wide v = amount;
  std::string sign;
  if (v < 0) {
    sign = "-";
    v = -v;
  }
  const int frac = static_cast<int>(v % 10000);
  Wide whole = v / 10000;
  std::string w;
  do {
    w.insert(w.begin(), static_cast<char>('0' + static_cast<int>(whole % 10)));
    whole /= 10;
  } while (whole != 0);
  std::string f = std::to_string(frac);
  while (f.size() < 4) f.insert(f.begin(), '0');
  return sign + w + "." + f;
}

// ---------------------------------------------------------------------------------------------
// The ledger, read

std::set<std::string> Model::ledger_accounts() const {
  std::set<std::string> out;
  for (const auto& [name, a] : ledger_) out.insert(name);
  for (const Order& o : st_.book) out.insert(o.account);
  for (const auto& [id, d] : st_.divs) out.insert(d.account);
  return out;
}

Wide Model::cash(const std::string& account) const {
  auto it = ledger_.find(account);
  return it == ledger_.end() ? 0 : it->second.cash;
}

Wide Model::committed_cash(const std::string& account) const {
  Wide sum = 0;
  for (const Order& o : st_.book)
    if (o.account == account && o.side == Side::buy) sum += Wide(o.price) * o.open * o.hours;
  for (const auto& [id, d] : st_.divs)
    if (d.account == account && d.side == Side::buy)
      for (const auto& [h, s] : d.slices) sum += Wide(d.price) * s.open * 1;
  return sum;
}

Wide Model::holding(const std::string& account, const std::string& product, std::int64_t hour) const {
  auto it = ledger_.find(account);
  if (it == ledger_.end()) return 0;
  auto h = it->second.holdings.find({product, hour});
  return h == it->second.holdings.end() ? 0 : h->second;
}

Wide Model::committed_capacity(const std::string& account, const std::string& product, std::int64_t hour) const {
  Wide sum = 0;
  for (const Order& o : st_.book)
    if (o.account == account && o.product == product && o.side == Side::sell && hour >= o.start_hour &&
        hour < o.start_hour + o.hours)
      sum += o.open;
  for (const auto& [id, d] : st_.divs) {
    if (d.account != account || d.product != product || d.side != Side::sell) continue;
    auto it = d.slices.find(hour);
    if (it != d.slices.end()) sum += it->second.open;
  }
  return sum;
}

Wide Model::min_free_capacity(const std::string& account, const std::string& product, std::int64_t first_hour,
                              std::int64_t hours) const {
  Wide least = 0;
  for (std::int64_t h = first_hour; h < first_hour + hours; ++h) {
    const Wide f = free_capacity(account, product, h);
    if (h == first_hour || f < least) least = f;
  }
  return least;
}

std::map<std::int64_t, Model::HourLedger> Model::ledger_hours(const std::string& account,
                                                              const std::string& product) const {
  std::map<std::int64_t, HourLedger> out;
  auto it = ledger_.find(account);
  if (it != ledger_.end())
    for (const auto& [key, q] : it->second.holdings)
      if (key.first == product) out[key.second].holdings = q;
  std::map<std::int64_t, Wide> committed;
  for (const Order& o : st_.book)
    if (o.account == account && o.product == product && o.side == Side::sell)
      for (std::int64_t h = o.start_hour; h < o.start_hour + o.hours; ++h) committed[h] += o.open;
  for (const auto& [id, d] : st_.divs)
    if (d.account == account && d.product == product && d.side == Side::sell)
      for (const auto& [h, s] : d.slices) committed[h] += s.open;
  for (const auto& [h, c] : committed) out[h];  // make the entry
  for (auto& [h, l] : out) {
    auto c = committed.find(h);
    l.free = l.holdings - (c == committed.end() ? 0 : c->second);
  }
  for (auto i = out.begin(); i != out.end();) {
    if (i->second.holdings == 0 && i->second.free == 0)
      i = out.erase(i);
    else
      ++i;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checks of new and replace (risk on)

const char* Model::new_order_risk(const std::string& account, const std::string& product, Side side,
                                  std::int64_t limit, std::int64_t qty, std::int64_t start_hour, std::int64_t hours,
                                  bool post_only_too) {
  if (!risk_) return nullptr;
  const char* why = nullptr;
  if (side == Side::sell) {
    const Wide least = min_free_capacity(account, product, start_hour, hours);
    if (least < qty) why = "no_capacity";
    else if (least == qty) ++coverage_["ledger: new sell at exactly its free capacity"];
    if (least < 0) ++coverage_["ledger: new sell finds negative free capacity"];
  } else {
    const Wide cost = Wide(limit) * qty * hours;
    const Wide free = free_cash(account);
    if (cost > kI64Max) {
      why = "no_credit";
      if (cost <= free) ++coverage_["ledger: new buy beyond int64 with the cash for it"];
      ++coverage_["ledger: new buy beyond int64"];
    } else if (cost > free) {
      why = "no_credit";
    } else if (cost == free) {
      ++coverage_["ledger: new buy at exactly its free cash"];
    }
  }
  if (why && post_only_too) ++coverage_["ledger: risk check before post_only"];
  if (why) ++coverage_[std::string("ledger: new rejected ") + why];
  return why;
}

const char* Model::replace_block_risk(const Order& o, std::int64_t price, std::int64_t qty, bool kept) {
  if (!risk_) return nullptr;
  const char* why = nullptr;
  if (o.side == Side::sell) {
    // In every hour of its window: free capacity plus its own open quantity there >= qty.
    const Wide room = min_free_capacity(o.account, o.product, o.start_hour, o.hours) + o.open;
    if (room < qty) why = "no_capacity";
    else if (room == qty) ++coverage_["ledger: replace sell at exactly its room"];
  } else {
    const Wide cost = Wide(price) * qty * o.hours;
    const Wide room = free_cash(o.account) + Wide(o.price) * o.open * o.hours;
    if (cost > kI64Max || cost > room) why = "no_credit";
    else if (cost == room) ++coverage_["ledger: replace buy at exactly its room"];
  }
  if (why) {
    ++coverage_[std::string("ledger: block replace rejected ") + why];
    if (kept) ++coverage_["ledger: replace that would keep priority rejected by risk"];
  }
  return why;
}

const char* Model::replace_div_risk(const DivOrder& d, std::int64_t price, std::int64_t qty, bool kept) {
  if (!risk_) return nullptr;
  const char* why = nullptr;
  if (d.side == Side::sell) {
    for (const auto& [h, s] : d.slices) {
      const Wide room = free_capacity(d.account, d.product, h) + s.open;
      if (room < qty) why = "no_capacity";
      if (room == qty) ++coverage_["ledger: divisible replace sell at exactly its room in an hour"];
    }
  } else {
    const Wide cost = Wide(price) * qty * static_cast<std::int64_t>(d.slices.size());
    Wide own = 0;
    for (const auto& [h, s] : d.slices) own += Wide(d.price) * s.open;
    if (cost > kI64Max || cost > free_cash(d.account) + own) why = "no_credit";
    else if (cost == free_cash(d.account) + own) ++coverage_["ledger: divisible replace buy at exactly its room"];
    if (static_cast<std::int64_t>(d.slices.size()) < d.hours) ++coverage_["ledger: divisible buy replace, fewer slices than hours"];
  }
  if (why) {
    ++coverage_[std::string("ledger: divisible replace rejected ") + why];
    if (kept) ++coverage_["ledger: replace that would keep priority rejected by risk"];
  }
  return why;
}

// ---------------------------------------------------------------------------------------------
// Trades

void Model::settle_trades(const std::vector<json>& events) {
  for (const json& e : events) {
    if (e["type"] != "trade") continue;
    const auto parts = parse_symbol(e["instrument"].get<std::string>());
    const std::int64_t first = static_cast<std::int64_t>(parts->start_ns / kHourNs);
    const std::int64_t hours = static_cast<std::int64_t>(parts->hours);
    const std::int64_t qty = e["qty"].get<std::int64_t>();
    const std::int64_t price = *parse_price(e["price"].get<std::string>());
    Account& buyer = ledger_[e["buy_account"].get<std::string>()];
    Account& seller = ledger_[e["sell_account"].get<std::string>()];
    bool resale = false, short_sale = false;
    for (std::int64_t h = first; h < first + hours; ++h) {
      const std::pair<std::string, std::int64_t> key{parts->product, h};
      resale = resale || seller.bought.count(key) > 0;
      seller.holdings[key] -= qty;
      if (seller.holdings[key] < 0) short_sale = true;
      if (seller.holdings[key] == 0) seller.holdings.erase(key);
      buyer.holdings[key] += qty;
      if (buyer.holdings[key] == 0) buyer.holdings.erase(key);
      buyer.bought.insert(key);
    }
    const Wide money = Wide(price) * qty * hours;
    buyer.cash -= money;
    seller.cash += money;
    if (resale) ++coverage_[hours > 1 ? "ledger: resale trade, several hours" : "ledger: resale trade"];
    if (short_sale) ++coverage_["ledger: seller's holdings below 0"];
    if (buyer.cash < 0) ++coverage_["ledger: buyer's cash below 0"];
    if (seller.cash > kI64Max) ++coverage_["ledger: cash beyond int64 through a trade"];
    ++coverage_[risk_ ? "ledger: trade, risk on" : "ledger: trade, risk off"];
  }
}

// ---------------------------------------------------------------------------------------------
// Commands

void Model::do_risk(const Command& c, std::vector<json>& out) {
  if (risk_ == c.risk_on) ++coverage_["ledger: risk mode repeated"];
  risk_ = c.risk_on;
  json e = event("risk", c.seq, c.ts);
  e["mode"] = c.risk_on ? "on" : "off";
  out.push_back(e);
}

void Model::do_deposit_withdraw(const Command& c, std::vector<json>& out) {
  const bool deposit = c.type == CommandType::deposit;
  const std::string account = str(c.account.view());
  const std::string symbol = str(c.instrument.view());
  auto emit = [&](const char* type, const char* reason) {
    json e = event(type, c.seq, c.ts);
    e["account"] = account;
    e["instrument"] = symbol;
    e["qty"] = c.qty;
    if (reason) e["reason"] = reason;
    out.push_back(e);
  };
  const char* rejected = deposit ? "deposit_rejected" : "withdraw_rejected";
  const auto parts = parse_symbol(symbol);
  const Product* p = parts ? find_product(parts->product) : nullptr;
  if (!p) return emit(rejected, "unknown_instrument");
  if (parts->hours < 1 || parts->hours > p->max_hours) return emit(rejected, "bad_window");
  if (c.qty <= 0 || c.qty % p->lot != 0 || c.qty > p->max_qty) return emit(rejected, "bad_qty");
  // Hours since the epoch; symbols before 1970 or after 2262 are fine here (no gate, no horizon).
  const Wide first_wide = parts->start_ns / kHourNs;
  const std::int64_t first = static_cast<std::int64_t>(first_wide);
  const std::int64_t hours = static_cast<std::int64_t>(parts->hours);
  if (first_wide < 0 || parts->start_ns > Wide(std::numeric_limits<std::int64_t>::max()))
    ++coverage_["ledger: deposit or withdraw outside the int64 ns range"];
  Account& a = ledger_[account];
  if (deposit) {
    for (std::int64_t h = first; h < first + hours; ++h)
      if (holding(account, p->id, h) + c.qty > kI64Max) {
        ++coverage_["ledger: deposit beyond int64"];
        return emit(rejected, "bad_qty");
      }
    for (std::int64_t h = first; h < first + hours; ++h) {
      a.holdings[{p->id, h}] += c.qty;
      if (a.holdings[{p->id, h}] == 0) a.holdings.erase({p->id, h});
    }
    ++coverage_[hours >= 720 ? "ledger: deposit of 720 hours or more" : "ledger: deposit"];
    return emit("deposited", nullptr);
  }
  const Wide least = min_free_capacity(account, p->id, first, hours);
  if (least < c.qty) {
    ++coverage_[risk_ ? "ledger: withdraw refused, risk on" : "ledger: withdraw refused, risk off"];
    return emit(rejected, "no_capacity");
  }
  if (least == c.qty) ++coverage_["ledger: withdraw of exactly its free capacity"];
  for (std::int64_t h = first; h < first + hours; ++h) {
    a.holdings[{p->id, h}] -= c.qty;
    if (a.holdings[{p->id, h}] == 0) a.holdings.erase({p->id, h});
  }
  emit("withdrawn", nullptr);
}

void Model::do_fund(const Command& c, std::vector<json>& out) {
  const std::string account = str(c.account.view());
  const std::string text = str(c.amount_text.view());
  auto reject = [&](const char* reason) {
    json e = event("fund_rejected", c.seq, c.ts);
    e["account"] = account;
    e["amount"] = text;
    e["reason"] = reason;
    out.push_back(e);
  };
  Account& a = ledger_[account];
  const auto amount = parse_price(text);  // the model's own reading of the price format
  if (!amount || *amount == 0) return reject("bad_amount");
  if (*amount < 0) {
    const Wide free = free_cash(account);
    if (free < -Wide(*amount)) return reject("no_credit");
    ++coverage_[free == -Wide(*amount) ? "ledger: funded negative to exactly 0 free cash" : "ledger: funded negative"];
  } else if (a.cash + *amount > kI64Max) {
    ++coverage_[a.cash > kI64Max ? "ledger: fund refused, cash already beyond int64" : "ledger: fund refused, cash would pass int64"];
    return reject("bad_amount");
  }
  a.cash += *amount;
  if (a.cash == kI64Max) ++coverage_["ledger: cash at exactly int64 max"];
  json e = event("funded", c.seq, c.ts);
  e["account"] = account;
  e["amount"] = format_price(*amount);
  e["cash"] = format_money(a.cash);
  out.push_back(e);
}

}  // namespace gpux::model
