// The ledger of SPEC §7 (docs/ledger.md, to come): every account's cash and, per product, its
// holdings and free capacity per hour, as runs (engine/hour_runs.hpp). Free capacity is kept
// beside the holdings rather than computed from them and the resting sells, so that checking a
// sell is one range minimum: holdings move it (a trade, a deposit, a withdraw) and so do
// commitments (a sell coming to rest, trading, leaving).
//
// Cash is int64 in $0.0001; committed cash (price x open x hours over the resting buys) is kept
// in 128 bits, since one buy's product may pass int64 (such a buy is refused `no_credit`, but a
// sum of accepted ones is still exact).
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
    std::int64_t cash = 0;
    I128 committed_cash = 0;
    std::vector<Holding> products;  // by ProductId, grown on first use
  };

  explicit Ledger(std::size_t products) : products_(products) {}

  Account& account(AccountId a) {
    if (a >= accounts_.size()) accounts_.resize(a + 1);
    return accounts_[a];
  }
  Holding& holding(AccountId a, ProductId p) {
    Account& acc = account(a);
    if (acc.products.empty()) acc.products.resize(products_);
    return acc.products[p];
  }

  // GPUs over [first, first + hours) arriving in (qty > 0) or leaving (qty < 0) the account's
  // holdings: a deposit, a withdraw, either side of a trade. False, changing nothing, when a
  // holding would leave int64 (`bad_qty` for a deposit).
  bool move_holdings(AccountId a, ProductId p, std::int64_t first, std::int64_t hours, Qty qty) {
    Holding& h = holding(a, p);
    if (!h.holdings.add(first, hours, qty)) return false;
    if (!h.free.add(first, hours, qty)) {
      h.holdings.add(first, hours, -qty);
      return false;
    }
    return true;
  }

  // A sell's open quantity over those hours becomes committed (qty > 0) or free again (qty < 0).
  void commit(AccountId a, ProductId p, std::int64_t first, std::int64_t hours, Qty qty) {
    holding(a, p).free.add(first, hours, -qty);
  }

  // The least free capacity over the window: what a sell there may offer.
  Qty free_capacity(AccountId a, ProductId p, std::int64_t first, std::int64_t hours) const {
    if (a >= accounts_.size() || accounts_[a].products.empty()) return 0;
    return accounts_[a].products[p].free.min(first, hours);
  }

  // Cash minus committed cash (may lie outside int64 only when commitments do).
  I128 free_cash(AccountId a) const {
    if (a >= accounts_.size()) return 0;
    return I128{accounts_[a].cash} - accounts_[a].committed_cash;
  }

 private:
  std::size_t products_;
  std::vector<Account> accounts_;
};

}  // namespace gpux
