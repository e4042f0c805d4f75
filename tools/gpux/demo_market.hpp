// `gpux demo-market`: market makers quoting every product of the built-in catalog against a
// running gpuxd, so that `gpux book` shows a live market at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types.hpp"

namespace gpux {

struct DemoMarketOptions {
  std::string server = "127.0.0.1:7001";
  int makers = 4;          // maker-1..maker-N, token "demo"
  int windows = 3;         // daily delivery windows per product
  std::uint64_t seed = 0;  // 0: a random seed
};

int run_demo_market(const DemoMarketOptions& options);

// The delivery windows the demo market quotes when started at `now`: daily, from 00Z two days
// ahead, as whole hours since the epoch. Other commands use them to name its instruments.
std::vector<std::int64_t> demo_window_hours(Ts now, int windows);

// "PRODUCT@YYYY-MM-DDTHHZ+24h" for the first demo window when `text` is a bare product id;
// `text` itself otherwise.
std::string demo_instrument(std::string_view text, Ts now);

// Every instrument the demo market quotes: the built-in catalog over `windows` windows.
std::vector<std::string> demo_instruments(Ts now, int windows);

Ts wall_clock_ns();

}  // namespace gpux
