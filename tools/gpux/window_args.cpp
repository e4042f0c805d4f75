#include "tools/gpux/window_args.hpp"

#include "engine/symbol.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/demo_market.hpp"

namespace gpux {

bool resolve_window(const WindowArgs& a, Ts now, std::string& symbol, std::string& error) {
  const bool full = a.instrument.find('@') != std::string::npos;
  if (full) {
    if (!a.start.empty() || a.hours != 0) {
      error = "give a full symbol or PRODUCT with --start/--hours, not both";
      return false;
    }
    symbol = a.instrument;
  } else {
    std::int64_t start_hour = 0;
    if (a.start.empty()) {
      start_hour = demo_window_hours(now, 1)[0];
    } else {
      Ts start = 0;
      if (!parse_utc_time(a.start, now, start)) {
        error = "--start must be YYYY-MM-DDTHHZ (UTC), today, tomorrow, now, or +N[h|d|w] from now, got '" + a.start +
                "'";
        return false;
      }
      // A relative start ("+2d", "now") is rounded up to the next whole hour; a written one must be one.
      if (a.start.starts_with('+') || a.start == "now") start += (kNsPerHour - start % kNsPerHour) % kNsPerHour;
      if (start % kNsPerHour != 0) {
        error = "--start must be a whole UTC hour (windows start on the hour), got '" + a.start + "'";
        return false;
      }
      start_hour = start / kNsPerHour;
    }
    if (a.hours < 0) {
      error = "--hours must be 1 or more";
      return false;
    }
    symbol = format_symbol(a.instrument, start_hour, a.hours != 0 ? a.hours : 24);
  }
  Symbol parsed;
  if (!parse_symbol(symbol, parsed)) {
    error = "'" + symbol + "' is not an instrument symbol (PRODUCT@YYYY-MM-DDTHHZ+Nh, or PRODUCT [--start T --hours N])";
    return false;
  }
  return true;
}

}  // namespace gpux
