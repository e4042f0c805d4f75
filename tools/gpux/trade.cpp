// asio 1.74's awaitable.hpp needs <utility> included before it (GCC 12, C++20).
#include <utility>

#include "tools/gpux/trade.hpp"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <deque>
#include <vector>
#include <string>

#include "engine/price.hpp"
#include "engine/symbol.hpp"
#include "tools/client/book_ladder.hpp"
#include "tools/client/client.hpp"
#include "tools/client/render_json.hpp"
#include "tools/client/render_text.hpp"
#include "tools/client/utc_time.hpp"
#include "tools/gpux/demo_market.hpp"

namespace gpux {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Exit statuses: 0 done, 1 the exchange refused the command, 2 we could not ask it (bad
// arguments, no connection, login refused, no answer).
constexpr int kRefused = 1;
constexpr int kFailed = 2;
constexpr auto kAnswerTimeout = 3s;
constexpr auto kFillWait = 300ms;  // after an ack, for the fills a crossing order gets at once

struct Connection {
  std::string server = "127.0.0.1:7001";
  std::string account = "lab-x";
  std::string token = "demo";
  bool json = false;
};

struct TradeCommands::Options {
  // One per subcommand: CLI11 reads the environment into the options of every subcommand,
  // parsed or not, so a shared variable would take GPUX_SERVER over an explicit --server.
  std::deque<Connection> connections;
  std::string instrument, qty, price, tif, expire, stp, cl_id, new_cl_id;
  std::int64_t iceberg = 0, min_qty = 0;
  bool post_only = false;
  std::vector<std::string> args;
  std::string target_instrument, target_product, target_account;
  bool once = false;
  Seq since = 0;      // reports
  bool follow = false;  // reports
  int depth = 10;
  std::vector<std::string> instruments;
  DemoMarketOptions demo;
};

namespace {

// ---- text ----------------------------------------------------------------------------------

std::string str(const flatbuffers::String* s) { return s ? s->str() : std::string(); }

void emit(const wire::Envelope& env, bool json, bool brief = false, bool stamped = false) {
  const std::string line =
      json ? client::to_json(env) : client::to_text(env, brief ? client::TextForm::brief : client::TextForm::full);
  if (line.empty()) return;
  const std::string stamp = stamped && !json ? utc_time_of_day(wall_clock_ns()) + " " : "";
  std::printf("%s%s\n", stamp.c_str(), line.c_str());
  std::fflush(stdout);
}

void fail(const char* command, const std::string& message) {
  std::fprintf(stderr, "gpux %s: %s\n", command, message.c_str());
}

// ---- arguments -----------------------------------------------------------------------------

bool parse_int(std::string_view s, std::int64_t& out) {
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

bool parse_price_arg(std::string_view s, Price& out) {
  if (s.starts_with('@')) s.remove_prefix(1);
  return parse_price(s, out);
}

std::string fresh_cl_id(std::string_view prefix) {
  // Base 36 of the wall clock in ns: unique per invocation, and short enough for 36 chars.
  std::uint64_t n = static_cast<std::uint64_t>(wall_clock_ns());
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36]);
    n /= 36;
  } while (n != 0);
  return std::string(prefix) + digits;
}

// ---- a logged-in session -------------------------------------------------------------------

struct Session {
  asio::io_context io;
  client::Client client{io};
  bool protocol_reject = false;  // the server refused our last frame without answering it

  void on_message(std::function<void(const wire::Envelope&)> fn) {
    client.on_message([this, fn = std::move(fn)](const wire::Envelope& env) {
      if (env.body_type() == wire::Body::ProtocolReject) protocol_reject = true;
      fn(env);
    });
  }

  bool open(const char* command, const Connection& conn) {
    std::string host, error;
    std::uint16_t port = 0;
    if (!client::parse_server(conn.server, host, port, error)) {
      fail(command, "--server: " + error);
      return false;
    }
    if (!client.connect(host, port) || !client.login(conn.account, conn.token)) {
      fail(command, client.error());
      return false;
    }
    return true;
  }

  // Until Ctrl-C (true) or the connection ends (false).
  bool stream(const std::function<void()>& every_100ms = {}) {
    bool stop = false;
    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int) {
      if (!ec) stop = true;
    });
    asio::steady_timer ticker(io);
    std::function<void()> tick = [&] {
      ticker.expires_after(100ms);
      ticker.async_wait([&](boost::system::error_code ec) {
        if (ec) return;
        every_100ms();
        tick();
      });
    };
    if (every_100ms) tick();
    client.run_until([&] { return stop; });
    signals.cancel();
    ticker.cancel();
    return stop;
  }

  // A send found the connection gone.
  int lost(const char* command) {
    fail(command, client.error());
    return kFailed;
  }

  // Waits for the answer `answered` looks for: 0 when it came, else an exit status, with a
  // message.
  int await(const char* command, const std::function<bool()>& answered) {
    if (client.run_until([&] { return answered() || protocol_reject; }, kAnswerTimeout) && !protocol_reject) return 0;
    if (protocol_reject) {
      fail(command, client.error());
      return kRefused;
    }
    fail(command, !client.connected() ? client.error() : "no answer from the server within 3 s");
    return kFailed;
  }
};

// ---- orders --------------------------------------------------------------------------------

int place(const TradeCommands::Options& o, const Connection& conn, Side side) {
  const char* name = side == Side::buy ? "buy" : "sell";
  Command c = make_command(CommandType::new_order, 0, 0);
  c.side = side;
  const std::string instrument = demo_instrument(o.instrument, wall_clock_ns());
  Symbol symbol;
  if (!parse_symbol(instrument, symbol) || !c.instrument.assign(instrument)) {
    fail(name, "'" + o.instrument + "' is not an instrument symbol (PRODUCT@YYYY-MM-DDTHHZ+Nh, or a bare PRODUCT)");
    return kFailed;
  }
  c.has_instrument = true;
  if (!parse_int(o.qty, c.qty)) {
    fail(name, "QTY must be a whole number of GPUs, got '" + o.qty + "'");
    return kFailed;
  }
  if (o.price == "market") {
    c.order_type = OrderType::market;
  } else {
    Price p = 0;
    if (!parse_price_arg(o.price, p)) {
      fail(name, "PRICE must be @DOLLARS with at most 4 decimals (@2.15) or 'market', got '" + o.price + "'");
      return kFailed;
    }
    c.price = PriceField{true, true, p};
  }
  if (!o.tif.empty()) {
    c.has_tif = true;
    c.tif = o.tif == "gtc" ? Tif::gtc : o.tif == "gtd" ? Tif::gtd : o.tif == "ioc" ? Tif::ioc : Tif::fok;
  }
  if (!o.expire.empty()) {
    if (!parse_utc_time(o.expire, wall_clock_ns(), c.expire_ts)) {
      fail(name,
           "--expire must be ns since the epoch, +N[s|m|h|d] or YYYY-MM-DDTHH[:MM[:SS]]Z, got '" + o.expire + "'");
      return kFailed;
    }
    c.has_expire_ts = true;
    if (!c.has_tif) {
      c.has_tif = true;
      c.tif = Tif::gtd;
    }
  } else if (c.has_tif && c.tif == Tif::gtd) {
    fail(name, "--tif gtd needs --expire");
    return kFailed;
  }
  if ((c.has_display_qty = o.iceberg != 0)) c.display_qty = o.iceberg;
  if ((c.has_min_qty = o.min_qty != 0)) c.min_qty = o.min_qty;
  c.post_only = o.post_only;
  if (!o.stp.empty())
    c.stp = o.stp == "cancel_aggressor" ? Stp::cancel_aggressor
            : o.stp == "cancel_both"    ? Stp::cancel_both
                                        : Stp::cancel_resting;
  const std::string cl_id = o.cl_id.empty() ? fresh_cl_id("gpux-") : o.cl_id;
  if (!c.cl_id.assign(cl_id) || cl_id.empty()) {
    fail(name, "--cl-id must be 1-36 printable ASCII characters");
    return kFailed;
  }
  c.has_cl_id = true;

  Session s;
  if (!s.open(name, conn)) return kFailed;
  bool answered = false, accepted = false, done = false;
  OrderId id = 0;
  s.on_message([&](const wire::Envelope& env) {
    switch (env.body_type()) {
      case wire::Body::Accepted:
        if (str(env.body_as_Accepted()->cl_id()) != cl_id) return;
        answered = accepted = true;
        id = env.body_as_Accepted()->order_id();
        break;
      case wire::Body::Rejected:
        if (str(env.body_as_Rejected()->cl_id()) != cl_id) return;
        answered = done = true;
        break;
      case wire::Body::Fill:
        if (!accepted || env.body_as_Fill()->order_id() != id) return;
        done = env.body_as_Fill()->leaves() == 0;
        break;
      case wire::Body::Canceled:
        if (!accepted || env.body_as_Canceled()->order_id() != id) return;
        done = true;
        break;
      case wire::Body::Expired:
        if (!accepted || env.body_as_Expired()->order_id() != id) return;
        done = true;
        break;
      default:
        return;
    }
    emit(env, conn.json, true);
  });
  if (!s.client.send(c)) return s.lost(name);
  if (const int status = s.await(name, [&] { return answered; })) return status;
  if (accepted) s.client.run_until([&] { return done; }, kFillWait);
  return accepted ? 0 : kRefused;
}

// ORDER_ID from the arguments, or --cl-id; `rest` gets the arguments after the order.
bool order_ref(const char* name, const TradeCommands::Options& o, std::size_t rest_count, client::OrderRef& ref,
               std::vector<std::string>& rest) {
  const std::size_t skip = o.cl_id.empty() ? 1 : 0;
  if (o.args.size() != skip + rest_count) {
    fail(name, o.cl_id.empty() ? "name the order: ORDER_ID or --cl-id X" : "give --cl-id or ORDER_ID, not both");
    return false;
  }
  if (o.cl_id.empty()) {
    std::int64_t id = 0;
    if (!parse_int(o.args[0], id)) {
      fail(name, "ORDER_ID must be a number, got '" + o.args[0] + "'");
      return false;
    }
    ref = client::OrderRef::order_id(id);
  } else {
    ref = client::OrderRef::client_id(o.cl_id);
  }
  rest.assign(o.args.begin() + static_cast<std::ptrdiff_t>(skip), o.args.end());
  return true;
}

// Whether a *_rejected report answers our command on `ref`: they echo what the command gave.
template <class T>
bool echoes(const T* b, const client::OrderRef& ref) {
  return ref.by_id ? b->order_id().has_value() && *b->order_id() == ref.id : str(b->cl_id()) == ref.cl_id;
}

int cancel(const TradeCommands::Options& o, const Connection& conn) {
  client::OrderRef ref;
  std::vector<std::string> rest;
  if (!order_ref("cancel", o, 0, ref, rest)) return kFailed;
  Session s;
  if (!s.open("cancel", conn)) return kFailed;
  bool answered = false, canceled = false;
  s.on_message([&](const wire::Envelope& env) {
    if (const auto* b = env.body_as_Canceled()) {
      if (ref.by_id ? b->order_id() != ref.id : str(b->cl_id()) != ref.cl_id) return;
      answered = canceled = true;
    } else if (const auto* r = env.body_as_CancelRejected()) {
      if (!echoes(r, ref)) return;
      answered = true;
    } else {
      return;
    }
    emit(env, conn.json);
  });
  if (!s.client.cancel(ref)) return s.lost("cancel");
  if (const int status = s.await("cancel", [&] { return answered; })) return status;
  return canceled ? 0 : kRefused;
}

int replace(const TradeCommands::Options& o, const Connection& conn) {
  client::OrderRef ref;
  std::vector<std::string> rest;
  if (!order_ref("replace", o, 2, ref, rest)) return kFailed;
  Price price = 0;
  std::int64_t qty = 0;
  if (!parse_price_arg(rest[0], price)) {
    fail("replace", "PRICE must be @DOLLARS with at most 4 decimals (@2.15), got '" + rest[0] + "'");
    return kFailed;
  }
  if (!parse_int(rest[1], qty)) {
    fail("replace", "QTY must be a whole number of GPUs, got '" + rest[1] + "'");
    return kFailed;
  }
  Session s;
  if (!s.open("replace", conn)) return kFailed;
  bool answered = false, replaced = false, done = false;
  OrderId id = ref.id;
  s.on_message([&](const wire::Envelope& env) {
    if (const auto* b = env.body_as_Replaced()) {
      const std::string cl = str(b->cl_id());
      if (ref.by_id ? b->order_id() != ref.id : cl != ref.cl_id && cl != o.new_cl_id) return;
      answered = replaced = true;
      id = b->order_id();
    } else if (const auto* r = env.body_as_ReplaceRejected()) {
      if (!echoes(r, ref)) return;
      answered = true;
    } else if (const auto* f = env.body_as_Fill()) {
      if (!replaced || f->order_id() != id) return;
      done = f->leaves() == 0;
    } else {
      return;
    }
    emit(env, conn.json, true);
  });
  if (!s.client.replace(ref, price, qty, o.new_cl_id)) return s.lost("replace");
  if (const int status = s.await("replace", [&] { return answered; })) return status;
  if (replaced) s.client.run_until([&] { return done; }, kFillWait);
  return replaced ? 0 : kRefused;
}

int mass_cancel(const TradeCommands::Options& o, const Connection& conn) {
  Session s;
  if (!s.open("mass-cancel", conn)) return kFailed;
  // Mass cancel has no acknowledgement of its own: a cancel of an order that cannot exist,
  // sent right after, is answered after every event of the mass cancel.
  const std::string fence = fresh_cl_id("gpux-fence-");
  bool fenced = false;
  int canceled = 0;
  s.on_message([&](const wire::Envelope& env) {
    if (const auto* b = env.body_as_Canceled(); b && b->reason() == wire::Reason::mass) {
      ++canceled;
      emit(env, conn.json);
    } else if (const auto* r = env.body_as_CancelRejected(); r && str(r->cl_id()) == fence) {
      fenced = true;
    }
  });
  if (!s.client.mass_cancel(o.target_instrument, o.target_product) ||
      !s.client.cancel(client::OrderRef::client_id(fence)))
    return s.lost("mass-cancel");
  if (const int status = s.await("mass-cancel", [&] { return fenced; })) return status;
  if (!conn.json) std::printf("canceled %d order%s\n", canceled, canceled == 1 ? "" : "s");
  return 0;
}

int orders(const TradeCommands::Options& o, const Connection& conn) {
  Session s;
  if (!s.open("orders", conn)) return kFailed;
  bool done = false;
  client::OpenOrdersTable table;
  s.on_message([&](const wire::Envelope& env) {
    if (const auto* b = env.body_as_OpenOrder()) {
      if (conn.json) return emit(env, true);
      table.add(*b);
    } else if (const auto* e = env.body_as_OpenOrdersEnd()) {
      done = true;
      if (conn.json) return emit(env, true);
      std::printf("%s", table.render(*e).c_str());
    }
  });
  if (!s.client.list_orders(o.target_instrument)) return s.lost("orders");
  return s.await("orders", [&] { return done; });
}

// ---- market data ---------------------------------------------------------------------------

int book(const TradeCommands::Options& o, const Connection& conn) {
  client::BookLadder ladder(demo_instrument(o.instrument, wall_clock_ns()));
  Session s;
  if (!s.open("book", conn)) return kFailed;
  bool dirty = false;
  s.on_message([&](const wire::Envelope& env) {
    if (!ladder.apply(env)) return;
    dirty = true;
    if (conn.json && (!o.once || env.body_type() == wire::Body::BookSnapshot)) emit(env, true);
  });
  if (!s.client.subscribe(ladder.instrument())) return s.lost("book");
  if (const int status = s.await("book", [&] { return ladder.has_snapshot(); })) return status;
  if (o.once) {
    if (!conn.json) std::printf("%s", ladder.render(o.depth).c_str());
    return 0;
  }
  if (conn.json) return s.stream() ? 0 : (fail("book", s.client.error()), kFailed);
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

std::vector<std::string> stream_instruments(const std::vector<std::string>& given) {
  const Ts now = wall_clock_ns();
  if (given.empty()) return demo_instruments(now, DemoMarketOptions{}.windows);
  std::vector<std::string> out;
  for (const std::string& i : given) out.push_back(demo_instrument(i, now));
  return out;
}

// `trades_only`: public trades; otherwise everything but heartbeats.
int stream(const char* name, const TradeCommands::Options& o, const Connection& conn, bool trades_only) {
  const std::vector<std::string> instruments = stream_instruments(o.instruments);
  Session s;
  if (!s.open(name, conn)) return kFailed;
  s.on_message([&](const wire::Envelope& env) {
    if (env.body_type() == wire::Body::Heartbeat) return;
    if (trades_only && env.body_type() != wire::Body::PublicTrade) return;
    emit(env, conn.json, false, true);
  });
  for (const std::string& i : instruments)
    if (!s.client.subscribe(i)) return s.lost(name);
  if (!conn.json)
    std::fprintf(stderr, "%s on %zu instrument%s (Ctrl-C stops)\n", trades_only ? "trades" : "watching",
                 instruments.size(), instruments.size() == 1 ? "" : "s");
  if (s.stream()) return 0;
  fail(name, s.client.error());
  return kFailed;
}

// Past reports from the journal (after a reconnect, or a drop copy's audit), then live ones
// with --follow.
int reports(const TradeCommands::Options& o, const Connection& conn) {
  Session s;
  if (!s.open("reports", conn)) return kFailed;
  const bool everyone = s.client.role() == wire::Role::drop_copy;
  bool done = false;
  std::uint64_t count = 0;
  s.on_message([&](const wire::Envelope& env) {
    if (env.body_type() == wire::Body::Heartbeat) return;
    if (const auto* d = env.body_as_ResendDone()) {
      done = true;
      if (conn.json) return emit(env, true);
      std::fprintf(stderr, "%llu report%s for seq %lld..%lld\n", static_cast<unsigned long long>(count),
                   count == 1 ? "" : "s", static_cast<long long>(d->since_seq() + 1),
                   static_cast<long long>(d->through_seq()));
      return;
    }
    if (env.body_type() == wire::Body::ProtocolReject) return;
    ++count;
    if (conn.json || !everyone) return emit(env, conn.json);
    const std::string line = client::to_text(env, client::TextForm::with_account);
    if (!line.empty()) std::printf("%s\n", line.c_str());
  });
  if (!s.client.resend(o.since)) return s.lost("reports");
  if (const int status = s.await("reports", [&] { return done; })) return status;
  if (!o.follow) return 0;
  if (s.stream()) return 0;
  fail("reports", s.client.error());
  return kFailed;
}

// ---- operator ------------------------------------------------------------------------------

int halt_resume(const TradeCommands::Options& o, const Connection& conn, bool halt) {
  const char* name = halt ? "halt" : "resume";
  if (o.target_instrument.empty() == o.target_product.empty()) {
    fail(name, "give exactly one of --instrument I and --product P");
    return kFailed;
  }
  Session s;
  if (!s.open(name, conn)) return kFailed;
  bool answered = false;
  s.on_message([&](const wire::Envelope& env) {
    const bool is_halt = env.body_type() == wire::Body::Halted;
    if (env.body_type() != (halt ? wire::Body::Halted : wire::Body::Resumed)) return;
    const auto* i = is_halt ? env.body_as_Halted()->instrument() : env.body_as_Resumed()->instrument();
    const auto* p = is_halt ? env.body_as_Halted()->product() : env.body_as_Resumed()->product();
    if (o.target_instrument.empty() ? str(p) != o.target_product : str(i) != o.target_instrument) return;
    answered = true;
    emit(env, conn.json);
  });
  const bool sent = halt ? s.client.halt(o.target_instrument, o.target_product)
                         : s.client.resume(o.target_instrument, o.target_product);
  if (!sent) return s.lost(name);
  return s.await(name, [&] { return answered; });
}

int kill_unkill(const TradeCommands::Options& o, const Connection& conn, bool kill) {
  const char* name = kill ? "kill" : "unkill";
  Session s;
  if (!s.open(name, conn)) return kFailed;
  bool answered = false;
  s.on_message([&](const wire::Envelope& env) {
    if (env.body_type() != (kill ? wire::Body::Killed : wire::Body::Unkilled)) return;
    const auto* a = kill ? env.body_as_Killed()->account() : env.body_as_Unkilled()->account();
    if (str(a) != o.target_account) return;
    answered = true;
    emit(env, conn.json);
  });
  const bool sent = kill ? s.client.kill(o.target_account) : s.client.unkill(o.target_account);
  if (!sent) return s.lost(name);
  return s.await(name, [&] { return answered; });
}

Connection& add_connection(CLI::App* app, std::deque<Connection>& all, bool operator_ = false) {
  Connection& c = all.emplace_back();
  if (operator_) {
    c.account = "ops";
    c.token = "ops-demo";
  }
  app->add_option("--server", c.server, "gpuxd address, HOST:PORT")->envname("GPUX_SERVER")->capture_default_str();
  app->add_option("--account", c.account, "Account to log in as")->envname("GPUX_ACCOUNT")->capture_default_str();
  app->add_option("--token", c.token, "The account's token")->envname("GPUX_TOKEN")->capture_default_str();
  app->add_flag("--json", c.json, "Print each server message as a JSON line");
  return c;
}

}  // namespace

TradeCommands::TradeCommands(CLI::App& app) : options_(std::make_unique<Options>()) {
  Options& o = *options_;
  const char* footer = "Exit status: 0 done, 1 the exchange refused, 2 no answer (bad arguments, connection, login).";

  for (const Side side : {Side::buy, Side::sell}) {
    const bool buy = side == Side::buy;
    CLI::App* c = app.add_subcommand(buy ? "buy" : "sell", buy ? "Send a buy order" : "Send a sell order");
    c->footer(footer);
    const Connection& conn = add_connection(c, o.connections);
    c->add_option("INSTRUMENT", o.instrument,
                  "PRODUCT@YYYY-MM-DDTHHZ+Nh, or a bare PRODUCT for the demo market's first window")
        ->required();
    c->add_option("QTY", o.qty, "GPUs, a multiple of the product's lot")->required();
    c->add_option("PRICE", o.price, "@DOLLARS per GPU-hour (@2.15), or market")->required();
    c->add_option("--tif", o.tif, "Time in force (default gtc; ioc for market orders)")
        ->check(CLI::IsMember({"gtc", "gtd", "ioc", "fok"}));
    c->add_option("--expire", o.expire, "gtd deadline: ISO 8601 UTC, ns since the epoch, or +N[s|m|h|d]");
    c->add_option("--iceberg", o.iceberg, "Show only this much at a time");
    c->add_option("--min-qty", o.min_qty, "Fill at least this much at once, or nothing");
    c->add_flag("--post-only", o.post_only, "Refuse the order rather than trade on arrival");
    c->add_option("--stp", o.stp, "Self-trade prevention (default cancel_resting)")
        ->check(CLI::IsMember({"cancel_resting", "cancel_aggressor", "cancel_both"}));
    c->add_option("--cl-id", o.cl_id, "Your id for the order (default: a generated one)");
    commands_.emplace_back(c, [this, &conn, side] { return place(*options_, conn, side); });
  }

  CLI::App* cancel_cmd = app.add_subcommand("cancel", "Cancel an order: gpux cancel ORDER_ID | --cl-id X");
  cancel_cmd->footer(footer);
  const Connection& cancel_conn = add_connection(cancel_cmd, o.connections);
  cancel_cmd->add_option("ORDER_ID", o.args, "The order_id of the order's acknowledgement");
  cancel_cmd->add_option("--cl-id", o.cl_id, "Name the order by its cl_id instead");
  commands_.emplace_back(cancel_cmd, [this, &cancel_conn] { return cancel(*options_, cancel_conn); });

  CLI::App* replace_cmd = app.add_subcommand(
      "replace", "Change an order's price and open quantity: gpux replace ORDER_ID|--cl-id X @PRICE QTY");
  replace_cmd->footer(footer);
  const Connection& replace_conn = add_connection(replace_cmd, o.connections);
  replace_cmd->add_option("ARGS", o.args, "[ORDER_ID] @PRICE QTY")->required();
  replace_cmd->add_option("--cl-id", o.cl_id, "Name the order by its cl_id instead of ORDER_ID");
  replace_cmd->add_option("--new-cl-id", o.new_cl_id, "Give the order this cl_id from now on");
  commands_.emplace_back(replace_cmd, [this, &replace_conn] { return replace(*options_, replace_conn); });

  CLI::App* mass =
      app.add_subcommand("mass-cancel", "Cancel all the account's orders, or one instrument's or product's");
  mass->footer(footer);
  const Connection& mass_conn = add_connection(mass, o.connections);
  mass->add_option("--instrument", o.target_instrument, "Only this instrument's orders");
  mass->add_option("--product", o.target_product, "Only this product's orders");
  commands_.emplace_back(mass, [this, &mass_conn] { return mass_cancel(*options_, mass_conn); });

  CLI::App* orders_cmd = app.add_subcommand("orders", "List your open orders");
  orders_cmd->footer(footer);
  const Connection& orders_conn = add_connection(orders_cmd, o.connections);
  orders_cmd->add_option("--instrument", o.target_instrument, "Only this instrument's orders");
  commands_.emplace_back(orders_cmd, [this, &orders_conn] { return orders(*options_, orders_conn); });

  CLI::App* reports_cmd = app.add_subcommand(
      "reports", "Your execution reports since a seq, from the journal (a drop copy: everyone's)");
  reports_cmd->footer(footer);
  const Connection& reports_conn = add_connection(reports_cmd, o.connections);
  reports_cmd->add_option("--since", o.since, "Reports of commands after this seq (0: all)")->capture_default_str();
  reports_cmd->add_flag("--follow", o.follow, "Then stream live reports until Ctrl-C");
  commands_.emplace_back(reports_cmd, [this, &reports_conn] { return reports(*options_, reports_conn); });

  CLI::App* book_cmd = app.add_subcommand("book", "Show an instrument's order book, live");
  const Connection& book_conn = add_connection(book_cmd, o.connections);
  book_cmd
      ->add_option("INSTRUMENT", o.instrument,
                   "PRODUCT@YYYY-MM-DDTHHZ+Nh, or a bare PRODUCT for the demo market's first window")
      ->required();
  book_cmd->add_flag("--once", o.once, "Print the current book and exit");
  book_cmd->add_option("--depth", o.depth, "Levels shown per side")->check(CLI::Range(1, 1000))->capture_default_str();
  commands_.emplace_back(book_cmd, [this, &book_conn] { return book(*options_, book_conn); });

  CLI::App* trades = app.add_subcommand("trades", "Stream public trades until Ctrl-C");
  const Connection& trades_conn = add_connection(trades, o.connections);
  trades->add_option("INSTRUMENT", o.instruments,
                     "Instruments (bare PRODUCT: demo window; none: every demo instrument)");
  commands_.emplace_back(trades, [this, &trades_conn] { return stream("trades", *options_, trades_conn, true); });

  CLI::App* watch =
      app.add_subcommand("watch", "Stream your execution reports and the instruments' market data until Ctrl-C");
  const Connection& watch_conn = add_connection(watch, o.connections);
  watch->add_option("INSTRUMENT", o.instruments,
                    "Instruments (bare PRODUCT: demo window; none: every demo instrument)");
  commands_.emplace_back(watch, [this, &watch_conn] { return stream("watch", *options_, watch_conn, false); });

  for (const bool halt : {true, false}) {
    CLI::App* c = app.add_subcommand(halt ? "halt" : "resume",
                                     halt ? "Operator: halt an instrument or a product" : "Operator: resume trading");
    c->footer(footer);
    const Connection& conn = add_connection(c, o.connections, true);
    c->add_option("--instrument", o.target_instrument, "The instrument");
    c->add_option("--product", o.target_product, "Every instrument of the product");
    commands_.emplace_back(c, [this, &conn, halt] { return halt_resume(*options_, conn, halt); });
  }
  for (const bool kill : {true, false}) {
    CLI::App* c = app.add_subcommand(kill ? "kill" : "unkill",
                                     kill ? "Operator: cancel an account's orders and refuse its new ones"
                                          : "Operator: let a killed account trade again");
    c->footer(footer);
    const Connection& conn = add_connection(c, o.connections, true);
    c->add_option("ACCOUNT", o.target_account, "The account")->required();
    commands_.emplace_back(c, [this, &conn, kill] { return kill_unkill(*options_, conn, kill); });
  }

  CLI::App* demo = app.add_subcommand("demo-market", "Run market makers on every built-in product until Ctrl-C");
  demo->add_option("--server", o.demo.server, "gpuxd address, HOST:PORT")
      ->envname("GPUX_SERVER")
      ->capture_default_str();
  demo->add_option("--makers", o.demo.makers, "Makers maker-1..maker-N (token demo)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  demo->add_option("--windows", o.demo.windows, "Daily delivery windows per product, from two days ahead")
      ->check(CLI::Range(1, 30))
      ->capture_default_str();
  demo->add_option("--seed", o.demo.seed, "Random seed (0: a random one)")->capture_default_str();
  commands_.emplace_back(demo, [this] { return run_demo_market(options_->demo); });
}

TradeCommands::~TradeCommands() = default;

std::optional<int> TradeCommands::run() const {
  for (const auto& [app, command] : commands_)
    if (app->parsed()) return command();
  return std::nullopt;
}

}  // namespace gpux
