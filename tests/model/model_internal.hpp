// Small helpers shared by the model's source files (tests/model/model*.cpp); not used elsewhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/command.hpp"

namespace gpux::model::detail {

constexpr std::int64_t kMinuteNs = 60'000'000'000;
constexpr std::int64_t kHourNs = 60 * kMinuteNs;

// Our own wire names (deliberately not the engine's to_string).
inline const char* side_name(Side s) { return s == Side::buy ? "buy" : "sell"; }
inline const char* tif_name(Tif t) {
  switch (t) {
    case Tif::gtc: return "gtc";
    case Tif::gtd: return "gtd";
    case Tif::ioc: return "ioc";
    case Tif::fok: return "fok";
  }
  return "?";
}
inline const char* stp_name(Stp s) {
  switch (s) {
    case Stp::cancel_resting: return "cancel_resting";
    case Stp::cancel_aggressor: return "cancel_aggressor";
    case Stp::cancel_both: return "cancel_both";
  }
  return "?";
}

inline std::string str(std::string_view s) { return std::string(s); }

inline nlohmann::json event(const char* type, Seq seq, Ts ts) {
  nlohmann::json e = nlohmann::json::object();
  e["type"] = type;
  e["seq"] = seq;
  e["ts"] = ts;
  return e;
}

inline nlohmann::json canceled_event(Seq seq, Ts ts, OrderId id, const std::string& account,
                                     const std::string& cl_id, std::int64_t leaves, const char* reason) {
  nlohmann::json e = event("canceled", seq, ts);
  e["order_id"] = id;
  e["account"] = account;
  e["cl_id"] = cl_id;
  e["leaves"] = leaves;
  e["reason"] = reason;
  return e;
}

// Hours since the epoch, rounded down.
inline std::int64_t hour_of(std::int64_t ns) {
  std::int64_t h = ns / kHourNs;
  if (ns % kHourNs != 0 && ns < 0) --h;
  return h;
}

}  // namespace gpux::model::detail
