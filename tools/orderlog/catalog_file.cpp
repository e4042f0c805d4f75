#include "tools/orderlog/catalog_file.hpp"

#include <simdjson.h>

#include "engine/price.hpp"

namespace gpux {

namespace {

namespace dom = simdjson::dom;

bool product_from(dom::object o, Product& p, std::string& error) {
  bool has_id = false, has_ref = false;
  for (const auto field : o) {
    const std::string_view k = field.key;
    const dom::element v = field.value;
    auto text = [&](std::string& dst) {
      std::string_view s;
      if (v.get_string().get(s) != simdjson::SUCCESS) return false;
      dst = std::string(s);
      return true;
    };
    auto integer = [&](std::int64_t& dst) { return v.get_int64().get(dst) == simdjson::SUCCESS; };
    bool ok;
    if (k == "id") ok = has_id = text(p.id);
    else if (k == "gpu") ok = text(p.gpu);
    else if (k == "site") ok = text(p.site);
    else if (k == "fabric") ok = text(p.fabric);
    else if (k == "lot") ok = integer(p.lot);
    else if (k == "tick") ok = integer(p.tick);
    else if (k == "band_pct") ok = integer(p.band_pct);
    else if (k == "max_qty") ok = integer(p.max_qty);
    else if (k == "max_hours") ok = integer(p.max_hours);
    else if (k == "gate_minutes") ok = integer(p.gate_minutes);
    else if (k == "horizon_hours") ok = integer(p.horizon_hours);
    else if (k == "ref_price") {
      std::string_view s;
      ok = has_ref = v.get_string().get(s) == simdjson::SUCCESS && parse_price(s, p.ref_price);
    } else {
      error = "unknown field '" + std::string(k) + "'";
      return false;
    }
    if (!ok) {
      error = "field '" + std::string(k) + "' has the wrong type or value";
      return false;
    }
  }
  if (!has_id) error = "a product needs an 'id'";
  else if (!has_ref) error = p.id + ": a product needs a 'ref_price' such as \"2.1000\"";
  return has_id && has_ref;
}

}  // namespace

bool parse_catalog(std::string_view json, Catalog& out, std::string& error) {
  dom::parser parser;
  dom::element doc;
  if (const auto err = parser.parse(json.data(), json.size()).get(doc); err != simdjson::SUCCESS) {
    error = std::string("not valid JSON: ") + simdjson::error_message(err);
    return false;
  }
  dom::object top;
  dom::array products;
  if (doc.get_object().get(top) != simdjson::SUCCESS || top["products"].get_array().get(products) != simdjson::SUCCESS) {
    error = "expected an object with a 'products' array";
    return false;
  }
  for (const auto field : top) {
    if (field.key != "products") {
      error = "unknown field '" + std::string(field.key) + "'";
      return false;
    }
  }
  Catalog catalog;
  std::size_t n = 0;
  for (const dom::element e : products) {
    ++n;
    dom::object o;
    Product p;
    std::string why;
    if (e.get_object().get(o) != simdjson::SUCCESS) why = "must be an object";
    else if (product_from(o, p, why)) {
      if (auto bad = catalog.add(std::move(p))) why = *bad;
    }
    if (!why.empty()) {
      error = "product #" + std::to_string(n) + ": " + why;
      return false;
    }
  }
  if (n == 0) {
    error = "the catalog lists no products";
    return false;
  }
  out = std::move(catalog);
  return true;
}

}  // namespace gpux
