// The ledger of SPEC §7 (docs/ledger.md): every account's cash and, per product, its holdings
// and free capacity per hour, as runs (engine/hour_runs.hpp). Free capacity is kept beside the
// holdings rather than computed from them and the resting sells, so that checking a sell is one
// range minimum over runs: holdings move it (a trade, a deposit, a withdraw) and so do
// commitments (a sell coming to rest, trading, leaving).
//
// Cash is int64 by the rules but kept in 128 bits: a fund never takes it past int64, but a
// trade paying a seller already near $922 trillion could, and money must not wrap. Committed
// cash (price x open x hours over the resting buys) is 128-bit for the same reason.
//
// Memory: per account 48 bytes, plus per product it ever held or offered 2 run vectors, each
// 16 bytes a run. Vectors keep their capacity, so a warm ledger allocates only when an account's
// runs outgrow every shape they had before.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/hour_runs.hpp"
#include "engine/types.hpp"

namespace gpux {

class Ledger {
 public:
  struct Holding {
    HourRuns holdings;
    HourRuns free;  // holdings minus the open quantity of resting sells, per hour
  };
  struct Account {
    I128 cash = 0;
    I128 committed_cash = 0;
    std::vector<Holding> products;  // by ProductId, sized on first use
  };

  explicit Ledger(std::size_t products) : products_(products) {}

  Account& account(AccountId a) {
    if (a >= accounts_.size()) accounts_.resize(a + 1);
    return accounts_[a];
  }
  const Account* find(AccountId a) const { return a < accounts_.size() ? &accounts_[a] : nullptr; }
  const Holding* find(AccountId a, ProductId p) const {
    const Account* acc = find(a);
    return acc == nullptr || acc->products.empty() ? nullptr : &acc->products[p];
  }
  Holding& holding(AccountId a, ProductId p) {
    Account& acc = account(a);
    if (acc.products.empty()) acc.products.resize(products_);
    return acc.products[p];
  }
  std::size_t size() const { return accounts_.size(); }

  // GPUs over [first, first + hours) arriving in (qty > 0) or leaving (qty < 0) the account's
  // holdings and free capacity together: a deposit or a withdraw. False, changing nothing, when
  // a holding or free capacity would leave int64 (`bad_qty` for a deposit).
  bool move_holdings(AccountId a, ProductId p, std::int64_t first, std::int64_t hours, Qty qty) {
    Holding& h = holding(a, p);
    if (!h.holdings.add(first, hours, qty)) return false;
    if (!h.free.add(first, hours, qty)) {
      h.holdings.add(first, hours, -qty);
      return false;
    }
    return true;
  }

  // A trade's GPUs arriving in (qty > 0) or leaving the holdings alone: its free capacity moves
  // apart (the buyer's, an incoming seller's; a resting seller's does not move). A holding past
  // int64 would take 2^23 deposits of the largest max_qty (2^40): not reachable, so not checked.
  void add_holdings(AccountId a, ProductId p, std::int64_t first, std::int64_t hours, Qty qty) {
    holding(a, p).holdings.add(first, hours, qty);
  }

  // A sell's open quantity over those hours becomes committed (qty > 0) or free again (qty < 0).
  void commit(AccountId a, ProductId p, std::int64_t first, std::int64_t hours, Qty qty) {
    holding(a, p).free.add(first, hours, -qty);
  }
  // A buy's price x open x hours becomes committed (> 0) or free again (< 0).
  void commit_cash(AccountId a, I128 amount) { account(a).committed_cash += amount; }

  // The least free capacity over the window: what a sell there may offer.
  Qty free_capacity(AccountId a, ProductId p, std::int64_t first, std::int64_t hours) const {
    const Holding* h = find(a, p);
    return h == nullptr ? 0 : h->free.min(first, hours);
  }
  Qty free_at(AccountId a, ProductId p, std::int64_t hour) const {
    const Holding* h = find(a, p);
    return h == nullptr ? 0 : h->free.value(hour);
  }
  I128 cash(AccountId a) const { return a < accounts_.size() ? accounts_[a].cash : 0; }
  I128 free_cash(AccountId a) const {
    return a < accounts_.size() ? accounts_[a].cash - accounts_[a].committed_cash : 0;
  }

 private:
  std::size_t products_;
  std::vector<Account> accounts_;
};

}  // namespace gpux
