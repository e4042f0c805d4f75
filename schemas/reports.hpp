// Which execution reports one engine event makes, and for whom. Shared by the live routing of
// the sessions and by a resend from the journal, so that a resent report is the same frame as
// the one first sent.
#pragma once

#include <span>
#include <string_view>

#include "engine/engine.hpp"
#include "engine/event.hpp"
#include "schemas/codec.hpp"

namespace gpux::protocol {

// The names an event's reports need, from the engine that made it: `account` (a trade's
// buyer; empty for halted and resumed), `counterparty` (a trade's seller), `instrument`
// (accepted and trade; a divisible order's canceled and expired, which name its hours). Valid
// while the engine's name tables are.
struct ReportNames {
  std::string_view account;
  std::string_view counterparty;
  std::string_view instrument;
};

inline ReportNames report_names(const Engine& engine, const Event& e) {
  switch (e.type) {
    case EventType::trade:
      return {engine.account_name(e.buy_account), engine.account_name(e.sell_account), engine.symbol(e.instrument)};
    case EventType::accepted:
      return {engine.account_name(e.account), {}, engine.symbol(e.instrument)};
    case EventType::halted:
    case EventType::resumed:
    case EventType::risk:
      return {};
    case EventType::canceled:
    case EventType::expired:
      return {engine.account_name(e.account), {}, e.has_instrument ? engine.symbol(e.instrument) : std::string_view()};
    default:
      return {engine.account_name(e.account), {}, {}};
  }
}

// Who a report goes to: an account (its session, and every drop copy), everyone logged in
// (halted, resumed), or the operators and the drop copies (risk, which concerns no account).
enum class Audience : std::uint8_t { account, everyone, operators };

// Calls f(audience, account, frame) for each report; `account` names the account when the
// audience is `account`. `account` is the event's account (a trade's buyer), `counterparty` a
// trade's seller, `instrument` the symbol of an accepted order or a trade. The frame is valid
// until the encoder's next use. Killed and unkilled go to the account concerned; its callers
// also tell the operators.
template <class F>
void execution_reports(ServerEncoder& encoder, const Event& e, std::string_view instrument, std::string_view account,
                       std::string_view counterparty, F&& f) {
  switch (e.type) {
    case EventType::trade:
      f(Audience::account, account, encoder.event(e, instrument, account, Side::buy));
      f(Audience::account, counterparty, encoder.event(e, instrument, counterparty, Side::sell));
      return;
    case EventType::halted:
    case EventType::resumed:
      f(Audience::everyone, std::string_view(), encoder.event(e, "", ""));
      return;
    case EventType::risk:
      f(Audience::operators, std::string_view(), encoder.event(e, "", ""));
      return;
    default:
      f(Audience::account, account, encoder.event(e, instrument, account));
      return;
  }
}

}  // namespace gpux::protocol
