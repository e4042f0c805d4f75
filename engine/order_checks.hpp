// The checks that a `new` and a `replace` share, written once: docs/rules.md "Validation" checks
// 7 to 9 (bad_qty, bad_price, price_band), which "Replace and priority" repeats as its checks 4
// and 5. Inline, because every order entering the book runs them.
#pragma once

#include "engine/catalog.hpp"
#include "engine/command.hpp"
#include "engine/types.hpp"

namespace gpux {

struct Band {
  Price lower;
  Price upper;
};

// docs/rules.md "Price bands": lower = ceil_to_tick(ref*(100-b)/100),
// upper = floor_to_tick(ref*(100+b)/100).
inline Band band_of(Price ref, const Product& p) {
  using I = I128;
  const I unit = I{100} * p.tick;
  const I lo_num = I{ref} * (100 - p.band_pct);
  const I hi_num = I{ref} * (100 + p.band_pct);
  const I lo = (lo_num + unit - 1) / unit;  // numerators are positive
  const I hi = hi_num / unit;
  return Band{static_cast<Price>(lo * p.tick), static_cast<Price>(hi * p.tick)};
}

// bad_qty: a positive whole number of lots, at most max_qty. A snapshot's resting quantities
// must pass it too.
constexpr bool valid_qty(Qty qty, const Product& p) {
  return qty > 0 && qty % p.lot == 0 && qty <= p.max_qty;
}

// bad_price, for a price the command gave: it parsed, is positive and lies on a tick. (A limit
// `new` without a price fails too; a `replace` always has one.)
constexpr bool valid_limit_price(const PriceField& price, const Product& p) {
  return price.valid && price.value > 0 && price.value % p.tick == 0;
}

// price_band.
constexpr bool in_band(Price price, const Band& band) { return price >= band.lower && price <= band.upper; }

}  // namespace gpux
