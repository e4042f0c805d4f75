#include "engine/catalog.hpp"

#include "engine/limits.hpp"

namespace gpux {

bool valid_product_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxProductLen) return false;
  bool segment_empty = true;
  for (char c : id) {
    if (c == '.') {
      if (segment_empty) return false;
      segment_empty = true;
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      segment_empty = false;
    } else {
      return false;
    }
  }
  return !segment_empty;
}

Catalog Catalog::builtin() {
  struct Row {
    const char* id;
    const char* gpu;
    const char* site;
    const char* fabric;
    Qty lot;
    Price ref;
  };
  static constexpr Row rows[] = {
      {"H100.MEM1", "H100-SXM5-80G", "MEM1", "IB-NDR400", 8, 21000},
      {"H200.MEM1", "H200-SXM5-141G", "MEM1", "IB-NDR400", 8, 30000},
      {"GB200.MEM1", "GB200-NVL72", "MEM1", "NVLINK5-IB-XDR800", 72, 45000},
      {"H100.IAD1", "H100-SXM5-80G", "IAD1", "IB-NDR400", 8, 22000},
      {"B200.DAL1", "B200-SXM6-180G", "DAL1", "IB-NDR400", 8, 38000},
      {"MI300X.PHX1", "MI300X-OAM-192G", "PHX1", "ROCE-400G", 8, 19000},
  };
  Catalog c;
  for (const Row& r : rows) {
    Product p;
    p.id = r.id;
    p.gpu = r.gpu;
    p.site = r.site;
    p.fabric = r.fabric;
    p.lot = r.lot;
    p.ref_price = r.ref;
    c.add(std::move(p));
  }
  return c;
}

std::optional<std::string> Catalog::add(Product p) {
  if (!valid_product_id(p.id))
    return "product id '" + p.id + "' must match [A-Z0-9]+(.[A-Z0-9]+)* and be at most 32 characters";
  if (find(p.id) >= 0) return "product '" + p.id + "' is listed twice";
  const std::string& id = p.id;
  if (p.lot <= 0) return id + ": lot must be positive";
  if (p.tick <= 0) return id + ": tick must be positive";
  if (p.ref_price <= 0) return id + ": ref_price must be positive";
  if (p.band_pct < 0 || p.band_pct > 99) return id + ": band_pct must be in 0..99";
  if (p.max_qty < p.lot || p.max_qty > (std::int64_t{1} << 40))
    return id + ": max_qty must be in lot..2^40";
  if (p.max_hours < 1 || p.max_hours > 1'000'000) return id + ": max_hours must be in 1..1000000";
  if (p.gate_minutes < 0 || p.gate_minutes > 1'000'000)
    return id + ": gate_minutes must be in 0..1000000";
  if (p.horizon_hours < 0 || p.horizon_hours > 1'000'000)
    return id + ": horizon_hours must be in 0..1000000";
  products_.push_back(std::move(p));
  return std::nullopt;
}

std::int32_t Catalog::find(std::string_view id) const {
  for (std::size_t i = 0; i < products_.size(); ++i)
    if (products_[i].id == id) return static_cast<std::int32_t>(i);
  return -1;
}

const char* resolve_symbol(const Catalog& catalog, std::string_view symbol, Symbol& sym, std::int32_t& product,
                           Reason& reason) {
  reason = Reason::unknown_instrument;
  if (!parse_symbol(symbol, sym)) return "not an instrument symbol (PRODUCT@YYYY-MM-DDTHHZ+Nh)";
  product = catalog.find(sym.product);
  if (product < 0) return "no such product in the catalog";
  reason = Reason::bad_window;
  const Product& p = catalog.products()[static_cast<std::size_t>(product)];
  if (sym.hours < 1 || sym.hours > p.max_hours) return "the window's hours are outside the product's 1..max_hours";
  return nullptr;
}

}  // namespace gpux
