// The product catalog (docs/catalog.md, docs/rules.md "What is traded"): what may be traded, and
// each product's limits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/symbol.hpp"
#include "engine/types.hpp"

namespace gpux {

struct Product {
  std::string id;  // [A-Z0-9]+(\.[A-Z0-9]+)*, at most kMaxProductLen characters
  std::string gpu;
  std::string site;
  std::string fabric;
  Qty lot = 8;
  Price tick = 10;
  Price ref_price = 0;
  std::int64_t band_pct = 50;
  Qty max_qty = 262144;
  std::int64_t max_hours = 26280;
  std::int64_t gate_minutes = 5;
  std::int64_t horizon_hours = 26280;
};

class Catalog {
 public:
  // The built-in default catalog of docs/catalog.md.
  static Catalog builtin();

  // Adds a product; returns an error message when it breaks a catalog rule.
  std::optional<std::string> add(Product p);

  const std::vector<Product>& products() const { return products_; }
  // Index into products(), or -1.
  std::int32_t find(std::string_view id) const;

 private:
  std::vector<Product> products_;
};

// True when `id` has the product-id syntax of docs/catalog.md.
bool valid_product_id(std::string_view id);

// The checks that decide whether `symbol` can name an instrument of `catalog`, in the rules'
// order: its syntax and product (unknown_instrument), then its window length against the
// product's 1..max_hours (bad_window). nullptr when it can, with `sym` and `product` filled;
// otherwise why not, for a person, with `reason` set. The engine's `new` and the gateway's
// Subscribe both ask this, so they never disagree on what a symbol is.
const char* resolve_symbol(const Catalog& catalog, std::string_view symbol, Symbol& sym, std::int32_t& product,
                           Reason& reason);

}  // namespace gpux
