// Times for people: ISO 8601 in UTC, to and from the int64 ns since the epoch that gpux keeps.
// The client library writes report times with them; the gpux commands read and write theirs
// with them too, so there is one spelling of a time everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/types.hpp"

namespace gpux {

std::string utc_ns(Ts ts);           // "2026-12-01T00:00:00.000000000Z"
std::string utc_seconds(Ts ts);      // "2026-12-01T00:00:00Z", the ns dropped
std::string utc_compact(Ts ts);      // "2026-12-01T00:00:00Z", "2026-12-01T12:30:15.25Z": digits as needed
std::string utc_time_of_day(Ts ts);  // "12:30:15.250", to the ms

// Nanoseconds since the epoch, "+30s"/"+10m"/"+2h"/"+1d"/"+2w" from `now`, "now", "today" or
// "tomorrow" (00:00 UTC of that day), or an ISO 8601 UTC time "YYYY-MM-DDTHH[:MM[:SS[.fraction]]][Z]".
// False for anything else, and for dates that do not exist (2026-02-30).
bool parse_utc_time(std::string_view text, Ts now, Ts& out);

// A length of time in whole hours: "720", "720h", "30d", "2w". False for anything else or 0.
bool parse_hours(std::string_view text, std::int64_t& hours);

}  // namespace gpux
