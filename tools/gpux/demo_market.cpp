// asio 1.74's awaitable.hpp needs <utility> included before it (GCC 12, C++20).
#include <utility>

#include "tools/gpux/demo_market.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <thread>
#include <unordered_map>

#include "engine/catalog.hpp"
#include "engine/price.hpp"
#include "engine/symbol.hpp"
#include "tools/client/client.hpp"
#include "tools/gpux/demo_bank.hpp"
#include "tools/gpux/demo_hours.hpp"

namespace gpux {

namespace asio = boost::asio;
using namespace std::chrono_literals;

Ts wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<std::int64_t> demo_window_hours(Ts now, int windows) {
  const std::int64_t today = now / kNsPerHour / 24;
  std::vector<std::int64_t> hours;
  for (int w = 0; w < windows; ++w) hours.push_back((today + 2 + w) * 24);
  return hours;
}

std::string demo_instrument(std::string_view text, Ts now) {
  if (text.find('@') != std::string_view::npos) return std::string(text);
  return format_symbol(text, demo_window_hours(now, 1)[0], 24);
}

std::vector<std::string> demo_instruments(Ts now, int windows) {
  std::vector<std::string> out;
  const Catalog catalog = Catalog::builtin();
  for (const Product& p : catalog.products())
    for (const std::int64_t h : demo_window_hours(now, windows)) out.push_back(format_symbol(p.id, h, 24));
  return out;
}

namespace {

constexpr int kLevels = 3;
constexpr std::int64_t kLevelGapTicks = 5;  // between a maker's own levels
constexpr double kTakerChance = 0.25;       // per maker, instrument and re-quote
constexpr auto kRequote = 1000ms;

struct Slot {
  std::uint32_t instrument;
  std::uint8_t side;
  std::uint8_t level;
};

struct Quote {
  OrderId id = 0;
  bool live = false;     // resting, as far as we know
  bool pending = false;  // a new or replace is in flight
  Price price = 0;
  Qty qty = 0;
};

struct Instrument {
  std::string symbol;
  const Product* product;
  Price fair;
};

struct Maker {
  std::string account;
  std::unique_ptr<client::Client> client;
  std::vector<std::array<std::array<Quote, kLevels>, 2>> quotes;  // [instrument][side][level]
  std::unordered_map<std::string, Slot> by_cl_id;                 // news in flight
  std::unordered_map<OrderId, Slot> by_id;                        // resting quotes
  std::uint64_t next_cl_id = 0;
  std::unique_ptr<asio::steady_timer> timer;
};

class DemoMarket {
 public:
  DemoMarket(const DemoMarketOptions& options, std::uint64_t seed) : options_(options), seed_(seed), rng_(seed) {
    const Ts now = wall_clock_ns();
    for (const Product& p : catalog_.products())
      for (const std::int64_t h : demo_window_hours(now, options.windows))
        instruments_.push_back({format_symbol(p.id, h, 24), &p, p.ref_price});
  }

  int run() {
    std::string host;
    std::uint16_t port = 0;
    std::string error;
    std::vector<client::Server> servers;
    if (!client::parse_servers(options_.server, servers, error)) {
      std::fprintf(stderr, "gpux demo-market: --server: %s\n", error.c_str());
      return 2;
    }
    host = servers[0].host;
    port = servers[0].port;
    // Every maker, the bank and the hours desk connect to one server: the primary of a list.
    // A failover later ends the demo (nothing here reconnects).
    if (servers.size() > 1) {
      client::Client probe(io_);
      const int used = probe.connect_primary(servers, {"ops", "ops-demo", false});
      if (used < 0) {
        std::fprintf(stderr, "gpux demo-market: %s\n", probe.error().c_str());
        return 2;
      }
      host = servers[used].host;
      port = servers[used].port;
    }
    if (!open_demo_bank(host, port, options_.makers, wall_clock_ns(), error)) {
      std::fprintf(stderr, "gpux demo-market: %s\n", error.c_str());
      return 2;
    }
    for (int m = 1; m <= options_.makers; ++m) {
      Maker maker;
      maker.account = "maker-" + std::to_string(m);
      maker.client = connect(host, port);
      if (!maker.client) return 2;
      // Quotes must not outlive their maker: a crash or a kill -9 cancels them server-side.
      if (!maker.client->login(maker.account, "demo", true)) {
        std::fprintf(stderr, "gpux demo-market: %s: %s\n", maker.account.c_str(), maker.client->error().c_str());
        return 2;
      }
      maker.quotes.resize(instruments_.size());
      makers_.push_back(std::move(maker));
    }
    // The hours desk trades through the makers' sessions as owners, and logs in two labs.
    hours_ = std::make_unique<HoursDesk>(io_, seed_, makers_.size(), [this](std::size_t owner, const Command& c) {
      return makers_[owner].client->send(c);
    });
    const bool hours_on = hours_->start(host, port, wall_clock_ns());
    for (std::size_t i = 0; i < makers_.size(); ++i) {
      makers_[i].client->on_message([this, i](const wire::Envelope& env) {
        on_message(makers_[i], env);
        hours_->owner_message(i, env);
      });
      makers_[i].client->on_closed([this, i](const std::string& why) {
        std::fprintf(stderr, "gpux demo-market: %s: %s\n", makers_[i].account.c_str(), why.c_str());
        failed_ = true;
        io_.stop();
      });
    }
    std::printf("demo market: %zu makers quoting %zu instruments on %s (Ctrl-C stops)\n", makers_.size(),
                instruments_.size(), options_.server.c_str());
    for (const Instrument& ins : instruments_) std::printf("  %s\n", ins.symbol.c_str());
    if (hours_on)
      std::printf("and an hours desk: owners offer divisible capacity over days and weeks, lab-y and lab-z buy\n"
                  "blocks that sweep it (see `gpux book H100.MEM1 --hours`)\n");
    std::fflush(stdout);

    asio::signal_set signals(io_, SIGINT, SIGTERM);
    signals.async_wait([this](boost::system::error_code ec, int) {
      if (!ec) io_.stop();
    });
    for (Maker& m : makers_) {
      m.timer = std::make_unique<asio::steady_timer>(io_);
      // Staggered, so the makers' bursts do not all land on the same tick.
      schedule(m, std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 1000)(rng_)));
    }
    asio::steady_timer status(io_);
    report(status);
    asio::steady_timer desk(io_);
    if (hours_on) hours_step(desk);
    io_.restart();
    io_.run();
    if (failed_) return 1;

    hours_->stop();
    for (Maker& m : makers_) {
      m.timer->cancel();
      m.client->mass_cancel();
    }
    makers_.front().client->run_until([this] { return resting() == 0; }, 1s);
    std::printf("demo market stopped: %llu trades\n", static_cast<unsigned long long>(trades_));
    return 0;
  }

 private:
  std::unique_ptr<client::Client> connect(const std::string& host, std::uint16_t port) {
    // The README starts us next to gpuxd, which may not be listening yet.
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    bool said = false;
    while (true) {
      auto c = std::make_unique<client::Client>(io_);
      if (c->connect(host, port, 1s)) return c;
      if (std::chrono::steady_clock::now() >= deadline) {
        std::fprintf(stderr, "gpux demo-market: %s\n", c->error().c_str());
        return nullptr;
      }
      if (!said) {
        std::fprintf(stderr, "gpux demo-market: waiting for gpuxd at %s:%u\n", host.c_str(), port);
        said = true;
      }
      std::this_thread::sleep_for(200ms);
    }
  }

  // An offer or a block every 2-3 s: slow enough to read the lines as they come.
  void hours_step(asio::steady_timer& timer) {
    timer.expires_after(std::chrono::milliseconds(std::uniform_int_distribution<int>(2000, 3000)(rng_)));
    timer.async_wait([this, &timer](boost::system::error_code ec) {
      if (ec) return;
      hours_->step(wall_clock_ns());
      hours_step(timer);
    });
  }

  void schedule(Maker& m, std::chrono::milliseconds delay) {
    m.timer->expires_after(delay);
    m.timer->async_wait([this, &m](boost::system::error_code ec) {
      if (ec) return;
      requote(m);
      schedule(m, kRequote + std::chrono::milliseconds(std::uniform_int_distribution<int>(-200, 200)(rng_)));
    });
  }

  void report(asio::steady_timer& timer) {
    timer.expires_after(10s);
    timer.async_wait([this, &timer](boost::system::error_code ec) {
      if (ec) return;
      std::printf("demo market: %zu resting quotes, %llu trades so far, %llu sweeps, %llu standing-block fills", resting(),
                  static_cast<unsigned long long>(trades_), static_cast<unsigned long long>(hours_->sweeps()),
                  static_cast<unsigned long long>(hours_->standing_fills()));
      // Refusals are summed rather than printed one by one: a halt refuses every re-quote.
      for (const auto& [reason, n] : rejections_) std::printf(", %llu refused (%s)", n, wire::EnumNameReason(reason));
      std::printf("\n");
      rejections_.clear();
      std::fflush(stdout);
      report(timer);
    });
  }

  std::size_t resting() const {
    std::size_t n = 0;
    for (const Maker& m : makers_) n += m.by_id.size();
    return n;
  }

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  // A random walk of a few ticks a step, pulled back once it strays 5% from the reference.
  void move_fair(Instrument& ins) {
    const Price tick = ins.product->tick;
    const Price ref = ins.product->ref_price;
    int step = uniform(-2, 2);
    if (ins.fair > ref + ref / 20) step = -std::abs(step);
    if (ins.fair < ref - ref / 20) step = std::abs(step);
    ins.fair += step * tick;
  }

  std::string next_cl_id(Maker& m) { return m.account + "-" + std::to_string(++m.next_cl_id); }

  void requote(Maker& m) {
    client::Client& c = *m.client;
    for (std::uint32_t i = 0; i < instruments_.size(); ++i) {
      Instrument& ins = instruments_[i];
      // Each maker nudges the shared fair price: together they make it drift.
      move_fair(ins);
      const Price tick = ins.product->tick;
      const Qty lot = ins.product->lot;
      const std::int64_t edge = uniform(1, 3);
      for (std::uint8_t side = 0; side < 2; ++side) {
        for (std::uint8_t level = 0; level < kLevels; ++level) {
          Quote& q = m.quotes[i][side][level];
          if (q.pending || (q.live && !chance(0.7))) continue;
          const std::int64_t ticks = edge + level * kLevelGapTicks;
          const Price price = side == 0 ? ins.fair - ticks * tick : ins.fair + ticks * tick;
          const Qty qty = lot * uniform(1, 6);
          if (q.live) {
            if (price == q.price && qty == q.qty) continue;
            c.replace(client::OrderRef::order_id(q.id), price, qty);
          } else {
            Command cmd = make_command(CommandType::new_order, 0, 0);
            const std::string cl_id = next_cl_id(m);
            cmd.cl_id.assign(cl_id);
            cmd.instrument.assign(ins.symbol);
            cmd.has_instrument = true;
            cmd.side = side == 0 ? Side::buy : Side::sell;
            cmd.price = PriceField{true, true, price};
            cmd.qty = qty;
            c.send(cmd);
            m.by_cl_id[cl_id] = Slot{i, side, level};
          }
          q.pending = true;
          q.price = price;
          q.qty = qty;
        }
      }
      if (chance(kTakerChance)) take(m, ins);
    }
  }

  // An ioc through the first levels on one side, so trades print. Our own quote in the way is
  // canceled (stp cancel_resting) and comes back at the next re-quote.
  void take(Maker& m, const Instrument& ins) {
    const bool buy = chance(0.5);
    const Price reach = (3 + kLevelGapTicks) * ins.product->tick;
    Command cmd = make_command(CommandType::new_order, 0, 0);
    cmd.cl_id.assign(next_cl_id(m));
    cmd.instrument.assign(ins.symbol);
    cmd.has_instrument = true;
    cmd.side = buy ? Side::buy : Side::sell;
    cmd.price = PriceField{true, true, buy ? ins.fair + reach : ins.fair - reach};
    cmd.qty = ins.product->lot * uniform(1, 3);
    cmd.has_tif = true;
    cmd.tif = Tif::ioc;
    m.client->send(cmd);
  }

  Quote* quote(Maker& m, const Slot& s) { return &m.quotes[s.instrument][s.side][s.level]; }

  void gone(Maker& m, OrderId id) {
    const auto it = m.by_id.find(id);
    if (it == m.by_id.end()) return;
    Quote* q = quote(m, it->second);
    q->live = q->pending = false;
    m.by_id.erase(it);
  }

  void on_message(Maker& m, const wire::Envelope& env) {
    switch (env.body_type()) {
      case wire::Body::Accepted: {
        const auto* b = env.body_as_Accepted();
        const auto it = m.by_cl_id.find(b->cl_id()->str());
        if (it == m.by_cl_id.end()) return;  // a taker
        Quote* q = quote(m, it->second);
        q->id = b->order_id();
        q->live = true;
        q->pending = false;
        m.by_id[q->id] = it->second;
        m.by_cl_id.erase(it);
        return;
      }
      case wire::Body::Rejected: {
        const auto* b = env.body_as_Rejected();
        const std::string cl_id = b->cl_id() ? b->cl_id()->str() : std::string();
        if (const auto it = m.by_cl_id.find(cl_id); it != m.by_cl_id.end()) {
          quote(m, it->second)->pending = false;
          m.by_cl_id.erase(it);
        }
        ++rejections_[b->reason()];
        return;
      }
      case wire::Body::Replaced: {
        const auto* b = env.body_as_Replaced();
        if (const auto it = m.by_id.find(b->order_id()); it != m.by_id.end()) quote(m, it->second)->pending = false;
        return;
      }
      case wire::Body::ReplaceRejected: {
        const auto* b = env.body_as_ReplaceRejected();
        if (!b->order_id().has_value()) return;
        // unknown_order: filled or canceled while the replace was in flight, so quote afresh
        // next time; any other reason (halted, killed) leaves the order where it was.
        if (b->reason() == wire::Reason::unknown_order) {
          gone(m, *b->order_id());
        } else {
          ++rejections_[b->reason()];
          if (const auto it = m.by_id.find(*b->order_id()); it != m.by_id.end()) quote(m, it->second)->pending = false;
        }
        return;
      }
      case wire::Body::Fill: {
        const auto* b = env.body_as_Fill();
        if (b->aggressor()) ++trades_;
        if (b->leaves() == 0) gone(m, b->order_id());
        return;
      }
      case wire::Body::Canceled:
        gone(m, env.body_as_Canceled()->order_id());
        return;
      case wire::Body::Expired:
        gone(m, env.body_as_Expired()->order_id());
        return;
      default:
        return;
    }
  }

  DemoMarketOptions options_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
  asio::io_context io_;
  Catalog catalog_ = Catalog::builtin();
  std::vector<Instrument> instruments_;
  std::vector<Maker> makers_;
  std::uint64_t trades_ = 0;
  std::map<wire::Reason, unsigned long long> rejections_;  // since the last report
  bool failed_ = false;
  std::unique_ptr<HoursDesk> hours_;  // after io_: its lab clients live on it
};

}  // namespace

int run_demo_market(const DemoMarketOptions& options) {
  const std::uint64_t seed = options.seed != 0 ? options.seed : std::random_device{}();
  DemoMarket market(options, seed);
  return market.run();
}

}  // namespace gpux
