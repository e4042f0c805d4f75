#include "engine/types.hpp"

namespace gpux {

std::string_view to_string(Side s) { return s == Side::buy ? "buy" : "sell"; }

std::string_view to_string(OrderType t) { return t == OrderType::limit ? "limit" : "market"; }

std::string_view to_string(Tif t) {
  switch (t) {
    case Tif::gtc: return "gtc";
    case Tif::gtd: return "gtd";
    case Tif::ioc: return "ioc";
    case Tif::fok: return "fok";
  }
  return "?";
}

std::string_view to_string(Stp s) {
  switch (s) {
    case Stp::cancel_resting: return "cancel_resting";
    case Stp::cancel_aggressor: return "cancel_aggressor";
    case Stp::cancel_both: return "cancel_both";
  }
  return "?";
}

std::string_view to_string(Reason r) {
  switch (r) {
    case Reason::killed: return "killed";
    case Reason::unknown_instrument: return "unknown_instrument";
    case Reason::bad_window: return "bad_window";
    case Reason::window_closed: return "window_closed";
    case Reason::window_too_far: return "window_too_far";
    case Reason::halted: return "halted";
    case Reason::bad_qty: return "bad_qty";
    case Reason::bad_price: return "bad_price";
    case Reason::price_band: return "price_band";
    case Reason::bad_tif: return "bad_tif";
    case Reason::bad_min_qty: return "bad_min_qty";
    case Reason::bad_display_qty: return "bad_display_qty";
    case Reason::duplicate_cl_id: return "duplicate_cl_id";
    case Reason::post_only: return "post_only";
    case Reason::unknown_order: return "unknown_order";
    case Reason::user: return "user";
    case Reason::ioc: return "ioc";
    case Reason::fok: return "fok";
    case Reason::min_qty: return "min_qty";
    case Reason::stp: return "stp";
    case Reason::mass: return "mass";
    case Reason::kill: return "kill";
    case Reason::disconnect: return "disconnect";
    case Reason::gtd: return "gtd";
    case Reason::gate_closed: return "gate_closed";
    case Reason::capacity: return "capacity";
    case Reason::no_capacity: return "no_capacity";
    case Reason::no_credit: return "no_credit";
    case Reason::bad_amount: return "bad_amount";
  }
  return "?";
}

std::string_view to_string(CommandType t) {
  switch (t) {
    case CommandType::new_order: return "new";
    case CommandType::cancel: return "cancel";
    case CommandType::replace: return "replace";
    case CommandType::mass_cancel: return "mass_cancel";
    case CommandType::halt: return "halt";
    case CommandType::resume: return "resume";
    case CommandType::kill: return "kill";
    case CommandType::unkill: return "unkill";
    case CommandType::clock: return "clock";
    case CommandType::disconnect: return "disconnect";
    case CommandType::risk: return "risk";
    case CommandType::deposit: return "deposit";
    case CommandType::withdraw: return "withdraw";
    case CommandType::fund: return "fund";
  }
  return "?";
}

}  // namespace gpux
