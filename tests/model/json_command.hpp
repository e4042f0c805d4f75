// Commands for the model's hand-computed tests (test_model_*.cpp), built from JSON with a few
// lines of our own, so that those tests need nothing of the engine or the order-log codec: a
// codec bug cannot hide a model bug there. Fields absent from the JSON take the order log's
// defaults; ts defaults to kT0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/catalog.hpp"
#include "engine/command.hpp"
#include "tests/model/model.hpp"

namespace gpux::model::test {

inline constexpr std::int64_t kSec = 1'000'000'000;
inline constexpr std::int64_t kT0 = 1795996800 * kSec;  // 2026-11-30T00:00Z; the windows are on 2026-12-01
inline const std::string kDay = "H100.MEM1@2026-12-01T";

inline Command command(const nlohmann::json& j, Seq seq) {
  const std::string type = j["type"];
  CommandType t = CommandType::clock;
  if (type == "new") t = CommandType::new_order;
  else if (type == "cancel") t = CommandType::cancel;
  else if (type == "replace") t = CommandType::replace;
  else if (type == "mass_cancel") t = CommandType::mass_cancel;
  else if (type == "halt") t = CommandType::halt;
  else if (type == "resume") t = CommandType::resume;
  else if (type == "kill") t = CommandType::kill;
  else if (type == "unkill") t = CommandType::unkill;
  else if (type == "risk") t = CommandType::risk;
  else if (type == "deposit") t = CommandType::deposit;
  else if (type == "withdraw") t = CommandType::withdraw;
  else if (type == "fund") t = CommandType::fund;
  Command c = make_command(t, seq, j.value("ts", kT0));
  if (j.contains("account")) c.account.assign(j["account"].get<std::string>());
  if ((c.has_cl_id = j.contains("cl_id"))) c.cl_id.assign(j["cl_id"].get<std::string>());
  if ((c.has_order_id = j.contains("order_id"))) c.order_id = j["order_id"];
  if ((c.has_new_cl_id = j.contains("new_cl_id"))) c.new_cl_id.assign(j["new_cl_id"].get<std::string>());
  if ((c.has_instrument = j.contains("instrument"))) c.instrument.assign(j["instrument"].get<std::string>());
  if ((c.has_product = j.contains("product"))) c.product.assign(j["product"].get<std::string>());
  c.side = j.value("side", "buy") == std::string("buy") ? Side::buy : Side::sell;
  if (j.value("order_type", "limit") == std::string("market")) c.order_type = OrderType::market;
  if (j.contains("price")) {
    const auto v = parse_price(j["price"].get<std::string>());
    c.price = PriceField{true, v.has_value(), v.value_or(0)};
  }
  c.qty = j.value("qty", std::int64_t{0});
  if ((c.has_tif = j.contains("tif"))) {
    const std::string tif = j["tif"];
    c.tif = tif == "gtc" ? Tif::gtc : tif == "gtd" ? Tif::gtd : tif == "ioc" ? Tif::ioc : Tif::fok;
  }
  if ((c.has_expire_ts = j.contains("expire_ts"))) c.expire_ts = j["expire_ts"];
  if ((c.has_min_qty = j.contains("min_qty"))) c.min_qty = j["min_qty"];
  if ((c.has_display_qty = j.contains("display_qty"))) c.display_qty = j["display_qty"];
  c.post_only = j.value("post_only", false);
  if (j.contains("stp")) {
    const std::string stp = j["stp"];
    c.stp = stp == "cancel_aggressor" ? Stp::cancel_aggressor
            : stp == "cancel_both"    ? Stp::cancel_both
                                      : Stp::cancel_resting;
  }
  c.divisible = j.value("divisible", false);
  c.risk_on = j.value("mode", "off") == std::string("on");
  if (j.contains("amount")) {
    const std::string a = j["amount"];
    c.amount_text.assign(a);
    const auto v = parse_price(a);
    c.amount = AmountField{v.has_value(), v.value_or(0)};
  }
  return c;
}

// A model on the built-in catalog, fed one JSON command at a time, numbered from 1.
struct Run {
  Model model{Catalog::builtin()};
  Seq seq = 0;
  std::vector<nlohmann::json> operator()(const std::string& text) {
    return model.process(command(nlohmann::json::parse(text), ++seq));
  }
  // The one event of a command.
  nlohmann::json one(const std::string& text) {
    auto e = (*this)(text);
    INFO(text);
    REQUIRE(e.size() == 1);
    return e[0];
  }
};

// A `new` on the window kDay + `window` (e.g. "00Z+4h"); `extra` adds fields (",\"tif\":\"ioc\"").
inline std::string order(const std::string& account, const std::string& cl_id, const std::string& window,
                         const std::string& side, const std::string& price, int qty, const std::string& extra = "") {
  return R"({"type":"new","account":")" + account + R"(","cl_id":")" + cl_id + R"(","instrument":")" + kDay +
         window + R"(","side":")" + side + R"(","price":")" + price + R"(","qty":)" + std::to_string(qty) +
         extra + "}";
}

}  // namespace gpux::model::test
