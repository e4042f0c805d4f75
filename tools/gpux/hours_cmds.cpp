#include "tools/gpux/hours_cmds.hpp"

#include <unistd.h>

#include <charconv>
#include <cstdio>

#include "engine/price.hpp"
#include "tools/client/hours_table.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/demo_market.hpp"
#include "tools/gpux/window_args.hpp"

namespace gpux {

namespace {

// A --from/--to time as an hour since the epoch: the hour it falls in.
bool parse_hour(const std::string& text, Ts now, std::int64_t& hour) {
  Ts t = 0;
  if (!parse_utc_time(text, now, t)) return false;
  hour = t >= 0 ? t / kNsPerHour : (t - kNsPerHour + 1) / kNsPerHour;
  return true;
}

// The quote for a person: one line of what, then the figures aligned.
void print_quote(const wire::QuoteReply& q) {
  const std::int64_t gpu_hours = q.qty() * q.hours();
  std::printf("quote: %s %lld %s\n", q.side() == wire::Side::buy ? "buy" : "sell", static_cast<long long>(q.qty()),
              flatbuffers::GetString(q.instrument()).c_str());
  if (!q.ok()) {
    std::printf("  not quotable: %s\n", wire::EnumNameReason(q.reason()));
    return;
  }
  std::printf("  fills     %lld of %lld GPUs (window book %lld, hour books %lld), %lld hours each\n",
              static_cast<long long>(q.fill_qty()), static_cast<long long>(q.qty()),
              static_cast<long long>(q.window_qty()), static_cast<long long>(q.sweep_qty()),
              static_cast<long long>(q.hours()));
  if (q.fill_qty() > 0) {
    std::printf("  average   %s per GPU-hour (best %s, worst %s)\n", client::price_text(q.average()).c_str(),
                client::price_text(q.best()).c_str(), client::price_text(q.worst()).c_str());
    std::printf("  notional  $%s for %lld of %lld GPU-hours\n", flatbuffers::GetString(q.notional()).c_str(),
                static_cast<long long>(q.fill_qty() * q.hours()), static_cast<long long>(gpu_hours));
  }
  std::printf("  limit     %s\n", client::price_text(q.limit()).c_str());
}

}  // namespace

int run_quote(const QuoteOptions& o) {
  std::string symbol, why;
  if (!resolve_window(WindowArgs{o.instrument, o.start, o.hours}, wall_clock_ns(), symbol, why)) {
    fail("quote", why);
    return kFailed;
  }
  Qty qty = 0;
  const auto [end, ec] = std::from_chars(o.qty.data(), o.qty.data() + o.qty.size(), qty);
  if (ec != std::errc() || end != o.qty.data() + o.qty.size() || o.qty.empty()) {
    fail("quote", "QTY must be a whole number of GPUs, got '" + o.qty + "'");
    return kFailed;
  }
  Price limit = 0;
  if (!o.limit.empty()) {
    std::string_view text = o.limit;
    if (text.starts_with('@')) text.remove_prefix(1);
    if (!parse_price(text, limit) || limit <= 0) {
      fail("quote", "LIMIT must be @DOLLARS with at most 4 decimals (@2.15), got '" + o.limit + "'");
      return kFailed;
    }
  }
  Session s;
  if (!s.open("quote", o.session)) return kFailed;
  bool answered = false, ok = false;
  s.on_message([&](const wire::Envelope& env) {
    const auto* q = env.body_as_QuoteReply();
    if (q == nullptr) return;
    answered = true;
    ok = q->ok();
    if (o.session.json) print_message(env, true);
    else print_quote(*q);
  });
  if (!s.client.quote(symbol, o.sell ? Side::sell : Side::buy, qty, limit)) return s.lost("quote");
  if (const int status = s.await("quote", [&] { return answered; })) return status;
  return ok ? 0 : kRefused;
}

int run_hours_book(const BookOptions& o) {
  if (o.instrument.find('@') != std::string::npos) {
    fail("book", "--hours shows a product's hour books: give PRODUCT (e.g. H100.MEM1), not a window");
    return kFailed;
  }
  const Ts now = wall_clock_ns();
  std::int64_t from = 0, to = 0;
  if (!o.from.empty() && !parse_hour(o.from, now, from)) {
    fail("book", "--from must be YYYY-MM-DDTHHZ (UTC) or +N[h|d], got '" + o.from + "'");
    return kFailed;
  }
  if (!o.to.empty() && !parse_hour(o.to, now, to)) {
    fail("book", "--to must be YYYY-MM-DDTHHZ (UTC) or +N[h|d], got '" + o.to + "'");
    return kFailed;
  }
  // One end given: a week from it, or up to it.
  if (!o.from.empty() && o.to.empty()) to = from + 7 * 24;
  if (o.from.empty() && !o.to.empty()) from = to - 7 * 24;
  if ((!o.from.empty() || !o.to.empty()) && to <= from) {
    fail("book", "--to must be later than --from");
    return kFailed;
  }
  client::HoursTable table(o.instrument);
  Session s;
  if (!s.open("book", o.session)) return kFailed;
  const bool json = o.session.json;
  bool dirty = false;
  s.on_message([&](const wire::Envelope& env) {
    if (!table.apply(env)) return;
    dirty = true;
    if (json && (!o.once || env.body_type() == wire::Body::HoursSnapshot)) print_message(env, true);
  });
  if (!s.client.subscribe_hours(o.instrument)) return s.lost("book");
  s.resume = [&] { return s.client.subscribe_hours(o.instrument); };  // a new snapshot replaces the table
  if (const int status = s.await("book", [&] { return table.has_snapshot(); })) return status;
  if (o.once) {
    if (!json) std::printf("%s", table.render(from, to).c_str());
    return 0;
  }
  if (json) return s.stream() ? 0 : (fail("book", s.client.error()), kFailed);
  const bool tty = isatty(STDOUT_FILENO) != 0;
  const auto draw = [&] {
    if (!dirty) return;
    dirty = false;
    std::printf("%s%s", tty ? "\x1b[H\x1b[2J" : "\n", table.render(from, to).c_str());
    std::fflush(stdout);
  };
  draw();
  if (s.stream(draw)) return 0;
  fail("book", s.client.error());
  return kFailed;
}

}  // namespace gpux
