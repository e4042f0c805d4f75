// Instrument symbols, docs/rules.md "What is traded": PRODUCT@YYYY-MM-DDTHHZ+Nh, canonical
// spelling only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/fixed_string.hpp"
#include "engine/limits.hpp"

namespace gpux {

struct Symbol {
  std::string_view product;
  std::int64_t start_hour;  // whole hours since the Unix epoch
  std::int64_t hours;       // saturates at INT64_MAX for absurdly long digit strings
};

// False when `text` is not a canonical symbol (bad syntax, leading zeros in N, a date that
// is not on the calendar). Whether the product exists is the catalog's business.
bool parse_symbol(std::string_view text, Symbol& out);

// The canonical spelling of a symbol.
std::string format_symbol(std::string_view product, std::int64_t start_hour, std::int64_t hours);
// The same into `out`, without allocating (the engine names hour rectangles with it).
void format_symbol(std::string_view product, std::int64_t start_hour, std::int64_t hours,
                   FixedString<kMaxSymbolLen>& out);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);
void civil_from_days(std::int64_t days, std::int64_t& y, unsigned& m, unsigned& d);

}  // namespace gpux
