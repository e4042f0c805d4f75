#include "tools/gpux/market_data.hpp"

#include <unistd.h>

#include <cstdio>

#include "tools/client/book_ladder.hpp"
#include "tools/gpux/demo_market.hpp"
#include "tools/gpux/hours_cmds.hpp"

namespace gpux {

namespace {

std::vector<std::string> stream_instruments(const std::vector<std::string>& given) {
  const Ts now = wall_clock_ns();
  if (given.empty()) return demo_instruments(now, DemoMarketOptions{}.windows);
  std::vector<std::string> out;
  for (const std::string& i : given) out.push_back(demo_instrument(i, now));
  return out;
}

// `trades_only`: public trades; otherwise everything but heartbeats.
int stream(const char* name, const StreamOptions& o, bool trades_only) {
  const std::vector<std::string> instruments = stream_instruments(o.instruments);
  Session s;
  if (!s.open(name, o.session)) return kFailed;
  s.on_message([&](const wire::Envelope& env) {
    if (env.body_type() == wire::Body::Heartbeat) return;
    if (trades_only && env.body_type() != wire::Body::PublicTrade) return;
    print_message(env, o.session.json, client::TextForm::full, true);
  });
  const auto subscribe = [&] {
    for (const std::string& i : instruments)
      if (!s.client.subscribe(i)) return false;
    return true;
  };
  if (!subscribe()) return s.lost(name);
  s.resume = subscribe;
  // watch shows the account's reports: after a failover, the ones missed come first.
  s.resend_reports = !trades_only;
  if (!o.session.json)
    std::fprintf(stderr, "%s on %zu instrument%s (Ctrl-C stops)\n", trades_only ? "trades" : "watching",
                 instruments.size(), instruments.size() == 1 ? "" : "s");
  if (s.stream()) return 0;
  fail(name, s.client.error());
  return kFailed;
}

}  // namespace

int run_book(const BookOptions& o) {
  if (o.hours) return run_hours_book(o);
  if (!o.from.empty() || !o.to.empty()) {
    fail("book", "--from and --to go with --hours");
    return kFailed;
  }
  client::BookLadder ladder(demo_instrument(o.instrument, wall_clock_ns()));
  Session s;
  if (!s.open("book", o.session)) return kFailed;
  const bool json = o.session.json;
  bool dirty = false;
  s.on_message([&](const wire::Envelope& env) {
    if (!ladder.apply(env)) return;
    dirty = true;
    if (json && (!o.once || env.body_type() == wire::Body::BookSnapshot)) print_message(env, true);
  });
  if (!s.client.subscribe(ladder.instrument())) return s.lost("book");
  s.resume = [&] { return s.client.subscribe(ladder.instrument()); };  // a new snapshot redraws the whole book
  if (const int status = s.await("book", [&] { return ladder.has_snapshot(); })) return status;
  if (o.once) {
    if (!json) std::printf("%s", ladder.render(o.depth).c_str());
    return 0;
  }
  if (json) return s.stream() ? 0 : (fail("book", s.client.error()), kFailed);
  const bool tty = isatty(STDOUT_FILENO) != 0;
  const auto draw = [&] {
    if (!dirty) return;
    dirty = false;
    std::printf("%s%s", tty ? "\x1b[H\x1b[2J" : "\n", ladder.render(o.depth).c_str());
    std::fflush(stdout);
  };
  draw();
  if (s.stream(draw)) return 0;
  fail("book", s.client.error());
  return kFailed;
}

int run_trades(const StreamOptions& o) { return stream("trades", o, true); }
int run_watch(const StreamOptions& o) { return stream("watch", o, false); }

}  // namespace gpux
