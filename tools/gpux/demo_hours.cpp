// asio 1.74's awaitable.hpp needs <utility> included before it (GCC 12, C++20).
#include <utility>

#include "tools/gpux/demo_hours.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdio>

#include "engine/price.hpp"
#include "engine/symbol.hpp"

namespace gpux {

namespace {

constexpr std::size_t kMaxOffers = 12;   // owners' divisible offers alive at once
constexpr std::size_t kMaxStanding = 6;  // labs' standing blocks alive at once

std::string price_text(Price p) {
  char buf[32];
  return std::string(buf, format_price(p, buf));
}

void say(const std::string& line) {
  std::printf("hours: %s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

HoursDesk::HoursDesk(boost::asio::io_context& io, std::uint64_t seed, std::size_t owners, OwnerSend send)
    : io_(io), rng_(seed ^ 0x686f757273ULL), owners_(owners), send_(std::move(send)) {
  // Two products keep the lines readable; H100.MEM1 is the one the README looks at.
  for (const char* id : {"H100.MEM1", "H200.MEM1"})
    if (const std::int32_t p = catalog_.find(id); p >= 0) products_.push_back(&catalog_.products()[p]);
}

HoursDesk::~HoursDesk() = default;

bool HoursDesk::start(const std::string& host, std::uint16_t port, Ts) {
  for (const char* account : {"lab-y", "lab-z"}) {
    Lab lab{account, std::make_unique<client::Client>(io_)};
    // Cancel-on-disconnect: a demo's standing blocks must not outlive it.
    if (!lab.client->connect(host, port) || !lab.client->login(account, "demo", true)) {
      std::fprintf(stderr, "gpux demo-market: hours desk off (%s: %s)\n", account, lab.client->error().c_str());
      labs_.clear();
      return false;
    }
    labs_.push_back(std::move(lab));
  }
  for (std::size_t i = 0; i < labs_.size(); ++i)
    labs_[i].client->on_message([this, i](const wire::Envelope& env) { lab_message(i, env); });
  return true;
}

std::string HoursDesk::next_cl_id(const std::string& who) { return who + "-h" + std::to_string(++next_); }

// A start hour within `days` days from the demo's first window (00Z two days ahead, far from
// any gate), on a multiple of 6 hours so that windows overlap in many ways.
std::int64_t HoursDesk::window_start(Ts now, int days) {
  const std::int64_t today = now / kNsPerHour / 24;
  return (today + 2) * 24 + std::uniform_int_distribution<int>(0, days * 4)(rng_) * 6;
}

Price HoursDesk::price_near(const Product& p, int lo_ticks, int hi_ticks) {
  return p.ref_price + std::uniform_int_distribution<int>(lo_ticks, hi_ticks)(rng_) * p.tick;
}

void HoursDesk::step(Ts now) {
  if (labs_.empty() || products_.empty()) return;
  // Two offers for every block at first, so that blocks find something to sweep; then
  // alternating.
  ++steps_;
  if (steps_ <= 2 || steps_ % 2 == 0) offer(now);
  else block(now);
}

void HoursDesk::offer(Ts now) {
  const Product& p = *products_[std::uniform_int_distribution<std::size_t>(0, products_.size() - 1)(rng_)];
  const std::size_t owner = std::uniform_int_distribution<std::size_t>(0, owners_ - 1)(rng_);
  const std::string who = "maker-" + std::to_string(owner + 1);
  // Capacity over days or weeks, from the demo's horizon.
  const int hours = 24 * std::uniform_int_distribution<int>(3, 14)(rng_);
  const std::int64_t start = window_start(now, 6);
  Command c = make_command(CommandType::new_order, 0, 0);
  const std::string cl_id = next_cl_id(who);
  const std::string symbol = format_symbol(p.id, start, hours);
  c.cl_id.assign(cl_id);
  c.instrument.assign(symbol);
  c.has_instrument = true;
  c.side = Side::sell;
  c.qty = p.lot * std::uniform_int_distribution<int>(8, 32)(rng_);
  c.price = PriceField{true, true, price_near(p, 0, 12)};
  c.divisible = true;
  if (!send_(owner, c)) return;
  Live live{who, std::to_string(c.qty) + " GPUs of " + symbol + " divisible @" + price_text(c.price.value)};
  live.lab_or_owner = owner;
  by_cl_id_[cl_id] = live;
  say(who + " offers " + live.what);
  trim(false, kMaxOffers);
}

void HoursDesk::block(Ts now) {
  const Product& p = *products_[std::uniform_int_distribution<std::size_t>(0, products_.size() - 1)(rng_)];
  const std::size_t lab = std::uniform_int_distribution<std::size_t>(0, labs_.size() - 1)(rng_);
  // A run of days inside the horizon, not a daily window: it can only trade by sweeping.
  const int hours = 24 * std::uniform_int_distribution<int>(1, 4)(rng_) + 6 * std::uniform_int_distribution<int>(0, 3)(rng_);
  const std::int64_t start = window_start(now, 8);
  const bool ioc = std::bernoulli_distribution(0.5)(rng_);
  Command c = make_command(CommandType::new_order, 0, 0);
  const std::string cl_id = next_cl_id(labs_[lab].account);
  const std::string symbol = format_symbol(p.id, start, hours);
  c.cl_id.assign(cl_id);
  c.instrument.assign(symbol);
  c.has_instrument = true;
  c.side = Side::buy;
  c.qty = p.lot * std::uniform_int_distribution<int>(2, 8)(rng_);
  c.price = PriceField{true, true, price_near(p, 6, 16)};
  c.has_tif = ioc;
  c.tif = Tif::ioc;
  if (!labs_[lab].client->send(c)) return;
  Live live{labs_[lab].account, "block " + std::to_string(c.qty) + " " + symbol + " @" + price_text(c.price.value),
            true, ioc};
  live.lab_or_owner = lab;
  by_cl_id_[cl_id] = live;
  say(live.who + " buys " + live.what + (ioc ? " ioc" : " gtc"));
  trim(true, kMaxStanding);
}

// Cancels the oldest offers (or standing blocks) beyond `max`, so the desk holds a bounded set.
void HoursDesk::trim(bool blocks, std::size_t max) {
  std::size_t n = 0;
  for (const auto& [id, cl] : by_id_)
    if (by_cl_id_.at(cl).block == blocks) ++n;
  for (auto it = by_id_.begin(); n > max && it != by_id_.end();) {
    const Live& live = by_cl_id_.at(it->second);
    if (live.block != blocks) {
      ++it;
      continue;
    }
    if (blocks) {
      labs_[live.lab_or_owner].client->cancel(client::OrderRef::order_id(it->first));
    } else {
      Command c = make_command(CommandType::cancel, 0, 0);
      c.has_order_id = true;
      c.order_id = it->first;
      send_(live.lab_or_owner, c);
    }
    by_cl_id_.erase(it->second);
    it = by_id_.erase(it);
    --n;
  }
}

void HoursDesk::owner_message(std::size_t owner, const wire::Envelope& env) {
  on_report("maker-" + std::to_string(owner + 1), env);
}

void HoursDesk::lab_message(std::size_t lab, const wire::Envelope& env) { on_report(labs_[lab].account, env); }

void HoursDesk::on_report(const std::string& account, const wire::Envelope& env) {
  const auto find_id = [&](OrderId id) -> Live* {
    const auto it = by_id_.find(id);
    if (it == by_id_.end()) return nullptr;
    Live& live = by_cl_id_.at(it->second);
    return live.who == account ? &live : nullptr;
  };
  const auto forget = [&](OrderId id) {
    if (const auto it = by_id_.find(id); it != by_id_.end()) {
      by_cl_id_.erase(it->second);
      by_id_.erase(it);
    }
  };
  if (const auto* a = env.body_as_Accepted()) {
    const auto it = by_cl_id_.find(flatbuffers::GetString(a->cl_id()));
    if (it == by_cl_id_.end() || it->second.who != account) return;
    it->second.accepted = true;
    it->second.accepted_seq = a->seq();
    by_id_[a->order_id()] = it->first;
  } else if (const auto* r = env.body_as_Rejected()) {
    const auto it = by_cl_id_.find(flatbuffers::GetString(r->cl_id()));
    if (it == by_cl_id_.end() || it->second.who != account) return;
    say(account + "'s " + it->second.what + " refused: " + wire::EnumNameReason(r->reason()));
    by_cl_id_.erase(it);
  } else if (const auto* f = env.body_as_Fill()) {
    Live* live = find_id(f->order_id());
    if (live == nullptr || !live->block) return;  // an offer: its lab says it
    live->filled += f->qty();
    const std::string what = std::to_string(f->qty()) + " GPUs of " + flatbuffers::GetString(f->instrument()) +
                             " @" + price_text(f->price());
    if (f->seq() == live->accepted_seq) {
      ++sweeps_;
      say(account + " swept the hour books at once: " + what + " (" + std::to_string(f->leaves()) + " left)");
    } else {
      ++standing_fills_;
      say(account + "'s standing block filled by new capacity: " + what + " (" + std::to_string(f->leaves()) +
          " left)");
    }
    if (f->leaves() == 0) forget(f->order_id());
  } else if (const auto* c = env.body_as_Canceled()) {
    Live* live = find_id(c->order_id());
    if (live == nullptr) return;
    if (live->block && c->reason() == wire::Reason::ioc && live->filled == 0)
      say(account + "'s ioc " + live->what + " found nothing to sweep: canceled");
    if (live->block) {
      forget(c->order_id());
    } else if (c->reason() != wire::Reason::user) {
      forget(c->order_id());  // a kill or a halt's aftermath: the offer is gone
    }
  }
  // Expired: offers start days ahead; their hours expire one by one as gates pass, and the
  // oldest are trimmed long before.
}

void HoursDesk::stop() {
  for (Lab& lab : labs_) lab.client->mass_cancel();
}

}  // namespace gpux
