// `gpux-bench e2e --plot FILE.png`: latency by percentile, one line per run, drawn by gnuplot.
#pragma once

#include <string>
#include <vector>

#include "bench/e2e_histogram.hpp"
#include "bench/timing.hpp"

namespace gpux::bench {

struct PlotLine {
  std::string title;
  const Histogram* latency;  // TSC ticks
  int color;                 // gnuplot line colour index
  int dash;                  // gnuplot dash type: 1 solid, 2 dashed, ...
};

// Writes FILE.dat and FILE.gp beside `png` and runs gnuplot on them. Returns what the user
// must be told: empty when the picture was drawn.
std::string draw_plot(const std::string& png, const std::vector<PlotLine>& lines, const TscClock& clock);

}  // namespace gpux::bench
