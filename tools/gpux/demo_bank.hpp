// The demo market's opening (docs/ledger.md): before anyone quotes, the operator deposits each
// maker's capacity and funds the makers and the labs, through the same operator commands an
// exchange's back office would send, so the journal shows where every GPU-hour and dollar came
// from and risk checks can stay on.
#pragma once

#include <string>

#include "engine/types.hpp"

namespace gpux {

// Connects to host:port as the demo operator (ops, token ops-demo), deposits and funds, and
// waits for every answer. False, with `error`, if any is refused or the server does not answer.
bool open_demo_bank(const std::string& host, std::uint16_t port, int makers, Ts now, std::string& error);

}  // namespace gpux
