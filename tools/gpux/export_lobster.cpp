#include <cstdio>
#include <filesystem>

#include "engine/symbol.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/command_source.hpp"
#include "tools/gpux/exports.hpp"
#include "tools/gpux/progress.hpp"
#include "tools/gpux/load_catalog.hpp"
#include "tools/gpux/lobster_tape.hpp"
#include "tools/gpux/out_file.hpp"
#include "tools/orderlog/event_writer.hpp"

namespace gpux {

namespace {

namespace fs = std::filesystem;

// LOBSTER's stand-ins for a level that is not there.
constexpr Price kNoAsk = 9'999'999'999;
constexpr Price kNoBid = -9'999'999'999;

// '@' and '+' are awkward in file names; everything but [A-Za-z0-9._-] becomes '_'.
std::string file_stem(std::string_view symbol) {
  std::string out(symbol);
  for (char& c : out) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
    if (!keep) c = '_';
  }
  return out;
}

void write_message(const LobsterMessage& m, std::string& out) {
  append_int(m.time, out);
  out += ',';
  append_int(m.type, out);
  out += ',';
  append_int(m.order_id, out);
  out += ',';
  append_int(m.size, out);
  out += ',';
  append_int(m.price, out);
  out += ',';
  append_int(m.direction, out);
  out += '\n';
}

void write_book(const LobsterTape::Book& book, int levels, std::string& out) {
  auto ask = book.asks.begin();
  auto bid = book.bids.begin();
  for (int i = 0; i < levels; ++i) {
    if (i) out += ',';
    const bool has_ask = ask != book.asks.end(), has_bid = bid != book.bids.end();
    append_int(has_ask ? ask->first : kNoAsk, out);
    out += ',';
    append_int(has_ask ? ask->second : 0, out);
    out += ',';
    append_int(has_bid ? bid->first : kNoBid, out);
    out += ',';
    append_int(has_bid ? bid->second : 0, out);
    if (has_ask) ++ask;
    if (has_bid) ++bid;
  }
  out += '\n';
}

// The window key and the units, which LOBSTER's own files leave to their file name and manual.
std::string window_note(const std::string& symbol, const Symbol& s, int levels, std::uint64_t messages) {
  std::string out = "{\"instrument\":\"" + symbol + "\",\"product\":\"" + std::string(s.product) +
                    "\",\"window_start\":\"" + utc_seconds(s.start_hour * kNsPerHour) + "\",\"window_start_ns\":";
  append_int(s.start_hour * kNsPerHour, out);
  out += ",\"window_hours\":";
  append_int(s.hours, out);
  out += ",\"levels\":";
  append_int(levels, out);
  out += ",\"messages\":";
  append_int(static_cast<std::int64_t>(messages), out);
  out += ",\"time\":\"ns since the Unix epoch, UTC\",\"price\":\"USD per GPU-hour x 10000\","
         "\"size\":\"GPUs, visible quantity\"}\n";
  return out;
}

int fail(const std::string& why) {
  std::fprintf(stderr, "gpux export: %s\n", why.c_str());
  return 1;
}

}  // namespace

int run_export_lobster(const LobsterExportOptions& options) {
  Symbol symbol;
  if (!parse_symbol(options.instrument, symbol))
    return fail("'" + options.instrument + "' is not an instrument symbol (PRODUCT@YYYY-MM-DDTHHZ+Nh)");
  if (options.levels < 1) return fail("--levels must be at least 1");
  Catalog catalog;
  if (!load_catalog(options.catalog, "export", catalog)) return 1;
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return fail("cannot create " + options.out_dir + ": " + ec.message());
  const std::string stem = (fs::path(options.out_dir) / file_stem(options.instrument)).string();
  OutFile message_file, book_file, note_file;
  std::string error;
  if (!message_file.open(stem + "_message.csv", error) || !book_file.open(stem + "_orderbook.csv", error) ||
      !note_file.open(stem + "_window.json", error))
    return fail(error);

  std::string messages, books;
  LobsterTape tape(options.instrument, std::string(symbol.product),
                   [&](const LobsterMessage& m, const LobsterTape::Book& book) {
                     write_message(m, messages);
                     write_book(book, options.levels, books);
                   });
  Engine engine(std::move(catalog));
  EventBuffer events;
  DepthBuffer depth;
  Seq disagrees_at = 0;
  Progress progress("export lobster");
  const SourceStatus status = read_commands(options.source, INT64_MAX, [&](const Command& c) {
    if (disagrees_at != 0) return;
    progress.add(1, c);
    events.clear();
    depth.clear();
    engine.process(c, events, &depth);
    if (!tape.command(events, depth, engine)) disagrees_at = c.seq;
    message_file.drain(messages);
    book_file.drain(books);
  });
  std::string note = window_note(options.instrument, symbol, options.levels, tape.messages());
  if (!message_file.close(messages, error) || !book_file.close(books, error) || !note_file.close(note, error))
    return fail(error);
  if (disagrees_at != 0)
    return fail("internal error: the book built from the messages disagrees with the engine's after seq " +
                std::to_string(disagrees_at));
  if (status.exit == 0 && tape.messages() == 0)
    std::fprintf(stderr, "gpux export: note: %s has no book events in %s\n", options.instrument.c_str(),
                 options.source.c_str());
  return report("export", status);
}

}  // namespace gpux
