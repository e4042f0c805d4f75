// Capacity and credit (SPEC §7, docs/ledger.md): the operator's risk, deposit, withdraw and
// fund; the checks a `new` or `replace` passes while risk checks are on; and trades settling
// in the ledger. Commitments follow the book as orders join, trade and leave it (the commit_*
// calls in matching.cpp, hours.cpp and sweep.cpp).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "engine/engine_impl.hpp"
#include "engine/symbol.hpp"

namespace gpux {

namespace {

constexpr I128 kInt64Max = std::numeric_limits<std::int64_t>::max();

// price x qty x hours, the cash a buy asks for; a product beyond int64 is `no_credit` whatever
// the account holds.
bool affordable(Price price, Qty qty, std::int64_t hours, I128 free_cash) {
  const I128 cost = I128{price} * qty * hours;
  return cost <= kInt64Max && cost <= free_cash;
}

}  // namespace

// ---- operator commands ------------------------------------------------------------------------

void Engine::Impl::on_risk(const Command& c) {
  const bool was_on = risk_on;
  risk_on = c.risk_on;
  if (risk_on && !was_on) rebuild_commitments();
  emit(EventType::risk, now).risk_on = c.risk_on;
}

// The window is checked like a `new` order's symbol, then the quantity; a withdraw also needs
// the capacity free in every hour, whether risk checks are on or not.
void Engine::Impl::on_deposit(const Command& c, bool withdraw) {
  const AccountId account = account_id(c.account);
  auto done = [&](EventType type, Reason reason) {
    Event& e = emit(type, now);
    e.account = account;
    e.target = c.instrument;
    e.qty = c.qty;
    e.reason = reason;
  };
  const EventType rejected = withdraw ? EventType::withdraw_rejected : EventType::deposit_rejected;
  Symbol sym;
  std::int32_t pid;
  Reason why;
  if (resolve_symbol(catalog, c.instrument.view(), sym, pid, why) != nullptr) return done(rejected, why);
  const auto p = static_cast<ProductId>(pid);
  if (!valid_qty(c.qty, catalog.products()[p])) return done(rejected, Reason::bad_qty);
  flush_commits();  // trades' holdings wait until read; a deposit checks them for overflow
  if (withdraw) {
    const HourRuns* free = free_runs(account, p);
    if ((free ? free->min(sym.start_hour, sym.hours) : 0) < c.qty) return done(rejected, Reason::no_capacity);
    // Holdings are at least free capacity (commitments are never negative): no overflow.
    ledger.move_holdings(account, p, sym.start_hour, sym.hours, -c.qty);
    return done(EventType::withdrawn, Reason::user);
  }
  if (!ledger.move_holdings(account, p, sym.start_hour, sym.hours, c.qty)) return done(rejected, Reason::bad_qty);
  done(EventType::deposited, Reason::user);
}

void Engine::Impl::on_fund(const Command& c) {
  const AccountId account = account_id(c.account);
  auto reject = [&](Reason reason) {
    Event& e = emit(EventType::fund_rejected, now);
    e.account = account;
    e.target.assign(c.amount_text.view());
    e.reason = reason;
  };
  if (!c.amount.valid || c.amount.value == 0) return reject(Reason::bad_amount);
  const I128 amount = c.amount.value;
  Ledger::Account& a = ledger.account(account);
  if (amount < 0 ? a.cash - committed_cash(account) < -amount : a.cash + amount > kInt64Max)
    return reject(amount < 0 ? Reason::no_credit : Reason::bad_amount);
  a.cash += amount;
  Event& e = emit(EventType::funded, now);
  e.account = account;
  e.amount = c.amount.value;
  e.cash = a.cash;
}

// ---- checks -----------------------------------------------------------------------------------

// A `new` while risk checks are on: a sell needs qty free in every hour of its window, a buy
// price x qty x hours of free cash (a divisible buy's hours are its window's too).
bool Engine::Impl::new_order_backed(AccountId account, Side side, ProductId p, std::int64_t first,
                                    std::int64_t hours, Price price, Qty qty) const {
  if (side == Side::sell) return ledger.free_capacity(account, p, first, hours) >= qty;
  return affordable(price, qty, hours, ledger.free_cash(account));
}

// A `replace` while risk checks are on: what the order commits now counts as free for it.
bool Engine::Impl::replace_backed(const Order& o, Price price, Qty qty) const {
  const Instrument& w = instruments[o.instrument];
  if (!o.divisible) {
    if (o.side == Side::sell) return ledger.free_capacity(o.account, w.product, w.start_hour, w.length) + o.open >= qty;
    return affordable(price, qty, w.length, ledger.free_cash(o.account) + I128{o.price} * o.open * w.length);
  }
  std::int64_t resting = 0;
  I128 own = 0;
  for (std::uint32_t si = o.prev; si != kNil; si = slices[si].order_next) {
    const Slice& s = slices[si];
    if (o.side == Side::sell &&
        ledger.free_at(o.account, w.product, instruments[s.book].start_hour) + s.open < qty)
      return false;
    ++resting;
    own += I128{o.price} * s.open;
  }
  return o.side == Side::sell || affordable(price, qty, resting, ledger.free_cash(o.account) + own);
}

// ---- trades -----------------------------------------------------------------------------------

// Every trade of the command, in every mode: qty GPUs in each hour of the traded window from
// seller to buyer (and to the buyer's free capacity), price x qty x hours from buyer to seller. Run once the command's events are
// out, when every trade of hours has been named (a rectangle, hour_events.cpp): one range
// update per trade, not one per hour.
void Engine::Impl::settle_trades(std::size_t first_event) {
  for (std::size_t i = first_event; i < out->size(); ++i) {
    const Event& e = (*out)[i];
    if (e.type != EventType::trade) continue;
    const Instrument& w = instruments[e.instrument];
    pend(e.sell_account, w.product, w.start_hour, w.length, -e.qty, true);
    pend(e.buy_account, w.product, w.start_hour, w.length, e.qty, true);
    // Free capacity is kept only while checks are on (commit()).
    if (risk_on) {
      pend(e.buy_account, w.product, w.start_hour, w.length, e.qty, false);
      // A resting sell's capacity leaves its commitment and its holdings at once: its free
      // capacity does not move, so the trade sites leave its commitment alone (matching.cpp,
      // hours.cpp, sweep.cpp) and only an incoming sell's free capacity goes here. A standing
      // sell block is the aggressor of its sweep's trades; settle_standing() released its
      // commitment.
      if (e.aggressor == Side::sell) pend(e.sell_account, w.product, w.start_hour, w.length, -e.qty, false);
    }
    const I128 value = I128{e.price} * e.qty * w.length;
    ledger.account(e.buy_account).cash -= value;
    ledger.account(e.sell_account).cash += value;
  }
}

// ---- commitments with checks off ----------------------------------------------------------------

void Engine::Impl::rebuild_commitments() {
  flush_commits();
  for (AccountId a = 0; a < ledger.size(); ++a) {
    Ledger::Account& acc = ledger.account(a);
    acc.committed_cash = 0;
    for (Ledger::Holding& h : acc.products) h.free = h.holdings;
  }
  for (AccountId a = 0; a < accounts.size(); ++a)
    for (std::uint32_t oi = accounts[a].head; oi != kNil; oi = pool[oi].account_next) {
      const Order& o = pool[oi];
      each_commitment(o, [&](std::int64_t first, std::int64_t hours, Qty open) { commit(o, first, hours, open); });
    }
  flush_commits();
}

const HourRuns* Engine::Impl::free_runs(AccountId account, ProductId p) const {
  const Ledger::Holding* h = ledger.find(account, p);
  if (risk_on || account >= accounts.size()) return h ? &h->free : nullptr;
  if (h) free_scratch = h->holdings;
  else free_scratch.clear();
  for (std::uint32_t oi = accounts[account].head; oi != kNil; oi = pool[oi].account_next) {
    const Order& o = pool[oi];
    if (o.side != Side::sell || instruments[o.instrument].product != p) continue;
    each_commitment(o, [&](std::int64_t first, std::int64_t hours, Qty open) { free_scratch.add(first, hours, -open); });
  }
  return &free_scratch;
}

I128 Engine::Impl::committed_cash(AccountId account) const {
  const Ledger::Account* acc = ledger.find(account);
  if (risk_on || account >= accounts.size()) return acc ? acc->committed_cash : 0;
  I128 sum = 0;
  for (std::uint32_t oi = accounts[account].head; oi != kNil; oi = pool[oi].account_next) {
    const Order& o = pool[oi];
    if (o.side != Side::buy) continue;
    each_commitment(o, [&](std::int64_t, std::int64_t hours, Qty open) { sum += I128{o.price} * open * hours; });
  }
  return sum;
}

// ---- Engine -----------------------------------------------------------------------------------

namespace {

// The runs of (holdings, free) over [first, end), merged where both are equal.
void joint_runs(const HourRuns* holdings, const HourRuns* free, std::int64_t first, std::int64_t end,
                std::vector<HoldingRun>& out) {
  for (std::int64_t h = first; h < end;) {
    const Qty held = holdings ? holdings->value(h) : 0;
    const Qty left = free ? free->value(h) : 0;
    std::int64_t next = end;
    if (holdings) next = std::min(next, holdings->next_change(h));
    if (free) next = std::min(next, free->next_change(h));
    if (!out.empty() && out.back().holdings == held && out.back().free == left &&
        out.back().start_hour + out.back().hours == h)
      out.back().hours += next - h;
    else
      out.push_back(HoldingRun{h, next - h, held, left});
    h = next;
  }
}

}  // namespace

bool Engine::risk_checks() const { return impl_->risk_on; }

std::size_t Engine::accounts() const { return impl_->accounts.size(); }

Balance Engine::balance(std::string_view account) const {
  const std::uint32_t a = impl_->account_names.find(account);
  if (a == NameTable::npos) return Balance{0, 0};
  return Balance{impl_->ledger.cash(a), impl_->committed_cash(a)};
}

void Engine::holdings(std::string_view account, ProductId p, std::int64_t first_hour, std::int64_t hours,
                      std::vector<HoldingRun>& out) const {
  out.clear();
  if (hours <= 0) return;
  impl_->flush_commits();
  const std::uint32_t a = impl_->account_names.find(account);
  if (a == NameTable::npos) return joint_runs(nullptr, nullptr, first_hour, first_hour + hours, out);
  const Ledger::Holding* h = impl_->ledger.find(a, p);
  joint_runs(h ? &h->holdings : nullptr, impl_->free_runs(a, p), first_hour, first_hour + hours, out);
}

void Engine::holdings(std::string_view account, ProductId p, std::vector<HoldingRun>& out) const {
  out.clear();
  impl_->flush_commits();
  const std::uint32_t a = impl_->account_names.find(account);
  if (a == NameTable::npos) return;
  const Ledger::Holding* h = impl_->ledger.find(a, p);
  const HourRuns* free = impl_->free_runs(a, p);
  const HourRuns none;
  const HourRuns* held = h ? &h->holdings : &none;
  if (free == nullptr) free = &none;
  if (held->empty() && free->empty()) return;
  // Both functions are 0 before their first run and after their last.
  std::int64_t first = std::numeric_limits<std::int64_t>::max();
  std::int64_t end = std::numeric_limits<std::int64_t>::min();
  for (const HourRuns* r : {held, free}) {
    if (r->empty()) continue;
    first = std::min(first, r->runs().front().hour);
    end = std::max(end, r->runs().back().hour);
  }
  joint_runs(held, free, first, end, out);
  std::erase_if(out, [](const HoldingRun& r) { return r.holdings == 0 && r.free == 0; });
}

}  // namespace gpux
