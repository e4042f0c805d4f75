#include "engine/event.hpp"

namespace gpux {

std::string_view to_string(EventType t) {
  switch (t) {
    case EventType::accepted: return "accepted";
    case EventType::rejected: return "rejected";
    case EventType::trade: return "trade";
    case EventType::canceled: return "canceled";
    case EventType::expired: return "expired";
    case EventType::replaced: return "replaced";
    case EventType::cancel_rejected: return "cancel_rejected";
    case EventType::replace_rejected: return "replace_rejected";
    case EventType::halted: return "halted";
    case EventType::resumed: return "resumed";
    case EventType::killed: return "killed";
    case EventType::unkilled: return "unkilled";
    case EventType::risk: return "risk";
    case EventType::deposited: return "deposited";
    case EventType::withdrawn: return "withdrawn";
    case EventType::deposit_rejected: return "deposit_rejected";
    case EventType::withdraw_rejected: return "withdraw_rejected";
    case EventType::funded: return "funded";
    case EventType::fund_rejected: return "fund_rejected";
  }
  return "?";
}

}  // namespace gpux
