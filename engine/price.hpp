// Prices as docs/rules.md ("What is traded", Units) writes them: decimal strings with at most 4
// places, in $0.0001 units.
#pragma once

#include <cstdint>
#include <string_view>

#include "engine/types.hpp"

namespace gpux {

// Parses "[-]digits[.1-4 digits]". False for any other spelling or a value outside int64.
bool parse_price(std::string_view text, Price& out);

// Writes the price with exactly 4 decimals into `buf` (at least 24 bytes); returns the length.
std::size_t format_price(Price p, char* buf);

// The same for a sum of money that may pass int64 (a notional, a cash balance): `buf` needs
// kMoneyChars bytes.
constexpr std::size_t kMoneyChars = 48;
std::size_t format_money(I128 units, char* buf);

}  // namespace gpux
