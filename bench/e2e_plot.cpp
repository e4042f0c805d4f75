#include "bench/e2e_plot.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

extern char** environ;

namespace gpux::bench {
namespace {

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  return false;
}

}  // namespace

std::string draw_plot(const std::string& png, const std::vector<PlotLine>& lines, const TscClock& clock) {
  const bool has_ext = png.size() > 4 && png.compare(png.size() - 4, 4, ".png") == 0;
  const std::string base = has_ext ? png.substr(0, png.size() - 4) : png;
  const std::string dat = base + ".dat", gp = base + ".gp";

  // x is 1 / (1 - percentile): the "nines" are evenly spaced on a log axis. 20 points a
  // decade, up to the last rank the samples support.
  std::ofstream d(dat);
  for (const PlotLine& l : lines) {
    d << "# " << l.title << "\n# x percentile latency_us\n";
    const double n = static_cast<double>(l.latency->count());
    for (int i = 0; n > 0; ++i) {
      const double x = std::min(std::pow(10.0, i / 20.0), n);
      const double q = 1.0 - 1.0 / x;
      d << x << ' ' << 100.0 * q << ' ' << clock.to_ns(static_cast<std::uint64_t>(l.latency->quantile(q))) / 1e3
        << '\n';
      if (x >= n) break;
    }
    d << "\n\n";
  }
  std::ofstream g(gp);
  g << "set terminal pngcairo size 1100,650 noenhanced\n"
    << "set output '" << png << "'\n"
    << "set title 'gpuxd order -> ack round trip by percentile'\n"
    << "set logscale xy\n"
    << "set xrange [1:*]\n"
    << "set xtics (\"0%%\" 1, \"50%%\" 2, \"90%%\" 10, \"99%%\" 100, \"99.9%%\" 1000, \"99.99%%\" 10000, "
       "\"99.999%%\" 100000, \"99.9999%%\" 1000000)\n"
    << "set xlabel 'percentile'\nset ylabel 'latency (us)'\nset grid\nset key outside right top\n"
    << "plot";
  for (std::size_t i = 0; i < lines.size(); ++i)
    g << (i ? ", \\\n    " : " ") << "'" << dat << "' index " << i << " using 1:3 with lines lw 2 lc "
      << lines[i].color << " dt " << lines[i].dash << " title '" << lines[i].title << "'";
  g << "\n";
  d.close();
  g.close();
  if (!d || !g) return "cannot write " + dat + " or " + gp;

  if (!on_path("gnuplot"))
    return "gnuplot is not installed (Debian: apt-get install gnuplot-nox); wrote " + dat + " and " + gp +
           ": run `gnuplot " + gp + "` to draw " + png;
  const char* argv[] = {"gnuplot", gp.c_str(), nullptr};
  pid_t pid = 0;
  int status = 0;
  if (::posix_spawnp(&pid, "gnuplot", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0 ||
      ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return "gnuplot failed on " + gp;
  return {};
}

}  // namespace gpux::bench
