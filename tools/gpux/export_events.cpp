// The loop `gpux export trades` and `gpux export ledger` share: the source through a fresh
// engine, a header, then what `row` writes for each event, drained to the output as it grows.
#include <cstdio>

#include "tools/gpux/command_source.hpp"
#include "tools/gpux/exports.hpp"
#include "tools/gpux/load_catalog.hpp"
#include "tools/gpux/out_file.hpp"
#include "tools/gpux/progress.hpp"

namespace gpux {

int run_event_export(const TradesExportOptions& options, std::string_view header, const EventRow& row) {
  Catalog catalog;
  if (!load_catalog(options.catalog, "export", catalog)) return 1;
  OutFile file;
  std::string error;
  if (!file.open(options.out, error)) {
    std::fprintf(stderr, "gpux export: %s\n", error.c_str());
    return 1;
  }
  Engine engine(std::move(catalog));
  EventBuffer events;
  std::string out(header);
  Progress progress("export");
  const SourceStatus status = read_commands(options.source, INT64_MAX, [&](const Command& c) {
    events.clear();
    engine.process(c, events);
    for (const Event& e : events) row(engine, e, out);
    file.drain(out);
    progress.add(1, c);
  });
  progress.finish();
  if (!file.close(out, error)) {
    std::fprintf(stderr, "gpux export: %s\n", error.c_str());
    return 1;
  }
  return report("export", status);
}

}  // namespace gpux
