// The replication test's trading clients (harness.hpp): a random flow of crossing orders and
// cancels at a moderate rate over the wire protocol, failing over between the servers it knows
// the way a real client does, and keeping every sequenced report it received, in order.
#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "tests/replication/harness.hpp"
#include "tests/support/live_orders.hpp"
#include "tests/support/wire_client.hpp"

namespace gpux::test::replication {

using namespace std::chrono_literals;

namespace {

std::string_view sv(const flatbuffers::String* s) { return s ? std::string_view(s->data(), s->size()) : std::string_view(); }

const std::vector<LiveInstrument>& instruments() {
  static const auto all = live_instruments();
  return all;
}

}  // namespace

std::string describe(const Report& r) {
  std::ostringstream s;
  s << wire::EnumNameBody(static_cast<wire::Body>(r.type)) << " seq " << r.seq << " order " << r.order_id;
  if (r.type == static_cast<int>(wire::Body::Fill)) s << " match " << r.match << " side " << r.side;
  s << " qty " << r.qty << " leaves " << r.leaves << " cl_id '" << r.cl_id << "'";
  return s.str();
}

Trader::Trader(std::string account, TraderConfig config) : account_(std::move(account)), config_(std::move(config)) {
  seen_.name = account_;
}

Trader::~Trader() {
  stop_ = true;
  resend_ = true;
  if (thread_.joinable()) thread_.join();
}

void Trader::start() {
  thread_ = std::thread([this] { run(); });
}

void Trader::quiesce() {
  stop_ = true;
  const auto deadline = SteadyClock::now() + 15s;
  while (!drained_.load() && thread_.joinable() && SteadyClock::now() < deadline) std::this_thread::sleep_for(5ms);
}

void Trader::finish() {
  stop_ = true;
  resend_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<std::pair<SteadyClock::time_point, int>> Trader::acks() {
  std::lock_guard lock(ack_mutex_);
  return ack_times_;
}

std::size_t Trader::ack_count() {
  std::lock_guard lock(ack_mutex_);
  return ack_times_.size();
}

void Trader::run() {
  const auto error = [&](const std::string& what) {
    if (errors_.size() < 20) errors_.push_back(what);
  };
  WireConnection c;
  std::string why;
  bool connected = false;
  int node = -1;  // index of the server connected to
  const int servers = static_cast<int>(config_.ports.size());
  std::mt19937_64 rng(config_.seed ^ std::hash<std::string>{}(account_));
  std::set<std::string> pending_new, pending_cancel;
  std::map<std::string, OrderId> open;  // cl_id -> order_id, as this client believes
  Seq max_seq = 0;
  auto last_answer = SteadyClock::now();
  auto next_send = SteadyClock::now();
  const auto interval = std::chrono::microseconds(1'000'000 / std::max(config_.rate, 1));
  long n = 0;

  // A server frame; false on a ResendDone (its through_seq in `through`), true otherwise.
  // Reports go to `into` (received_, or the final Resend{0}'s list).
  const auto handle = [&](const Frame& f, std::vector<Report>& into, bool live, Seq& through) {
    Report r;
    r.type = static_cast<int>(f.type());
    bool answered = false;
    switch (f.type()) {
      case wire::Body::Heartbeat:
      case wire::Body::LoginAccepted: return true;
      case wire::Body::ResendDone: through = f.as<wire::ResendDone>()->through_seq(); return false;
      case wire::Body::Accepted: {
        const auto* m = f.as<wire::Accepted>();
        r.seq = m->seq();
        r.order_id = m->order_id();
        r.cl_id = sv(m->cl_id());
        if (&into == &received_) {
          seen_.accepted.push_back({r.seq, r.order_id, r.cl_id, phase.load()});
          open[r.cl_id] = r.order_id;
          if (live) {
            std::lock_guard lock(ack_mutex_);
            ack_times_.emplace_back(SteadyClock::now(), node);
          }
        }
        answered = pending_new.erase(r.cl_id) > 0;
        break;
      }
      case wire::Body::Rejected: {
        const auto* m = f.as<wire::Rejected>();
        r.seq = m->seq();
        r.cl_id = sv(m->cl_id());
        answered = pending_new.erase(r.cl_id) > 0;
        if (r.seq > 0 && &into == &received_) seen_.rejected.push_back({r.seq, r.cl_id, m->reason()});
        if (m->reason() == wire::Reason::throttled || m->reason() == wire::Reason::journal_unavailable)
          error(std::string("order ") + r.cl_id + " rejected: " + wire::EnumNameReason(m->reason()));
        break;
      }
      case wire::Body::Fill: {
        const auto* m = f.as<wire::Fill>();
        r.seq = m->seq();
        r.order_id = m->order_id();
        r.match = m->match();
        r.side = m->side() == wire::Side::buy ? 1 : 2;
        r.qty = m->qty();
        r.leaves = m->leaves();
        if (&into == &received_) {
          seen_.fills.push_back({r.seq, r.match, r.order_id, m->side() == wire::Side::buy ? Side::buy : Side::sell,
                                 m->aggressor(), m->qty(), m->price(), m->leaves(), phase.load()});
          if (m->leaves() == 0) std::erase_if(open, [&](const auto& kv) { return kv.second == r.order_id; });
        }
        break;
      }
      case wire::Body::Canceled: {
        const auto* m = f.as<wire::Canceled>();
        r.seq = m->seq();
        r.order_id = m->order_id();
        r.cl_id = sv(m->cl_id());
        r.leaves = m->leaves();
        if (&into == &received_) {
          seen_.canceled.push_back({r.seq, r.order_id, r.cl_id, r.leaves, m->reason()});
          std::erase_if(open, [&](const auto& kv) { return kv.second == r.order_id; });
        }
        answered = pending_cancel.erase(r.cl_id) > 0;
        break;
      }
      case wire::Body::CancelRejected: {
        const auto* m = f.as<wire::CancelRejected>();
        r.seq = m->seq();
        r.cl_id = sv(m->cl_id());
        answered = pending_cancel.erase(r.cl_id) > 0;
        if (&into == &received_) std::erase_if(open, [&](const auto& kv) { return kv.first == r.cl_id; });
        if (m->reason() != wire::Reason::unknown_order && m->reason() != wire::Reason::not_primary)
          error(std::string("cancel ") + r.cl_id + " refused: " + wire::EnumNameReason(m->reason()));
        break;
      }
      case wire::Body::Expired: {
        const auto* m = f.as<wire::Expired>();
        r.seq = m->seq();
        r.order_id = m->order_id();
        if (&into == &received_) std::erase_if(open, [&](const auto& kv) { return kv.second == r.order_id; });
        break;
      }
      case wire::Body::ProtocolReject: {
        const auto* m = f.as<wire::ProtocolReject>();
        error(std::string("ProtocolReject ") + wire::EnumNameReason(m->reason()) + ": " + std::string(sv(m->text())));
        return true;
      }
      default: error(std::string("unexpected frame ") + wire::EnumNameBody(f.type())); return true;
    }
    if (answered) last_answer = SteadyClock::now();
    if (r.seq <= 0) return true;  // refused by the gateway, never sequenced
    if (!into.empty() && r.seq < into.back().seq)
      error("seq went back from " + std::to_string(into.back().seq) + " to " + std::to_string(r.seq) + " (" +
            describe(r) + ")");
    if (&into == &received_) max_seq = std::max(max_seq, r.seq);
    into.push_back(std::move(r));
    return true;
  };

  // One login attempt on server i: true when it accepted.
  const auto try_login = [&](int i) {
    if (!c.connect(config_.ports[static_cast<std::size_t>(i)], why)) return false;
    if (!c.write(c.enc.login(account_, "demo"))) return false;
    const auto deadline = SteadyClock::now() + 1000ms;
    while (SteadyClock::now() < deadline) {
      Frame f;
      const auto r = c.read(f, 100ms, why);
      if (r == WireConnection::Read::closed || r == WireConnection::Read::bad) return false;
      if (r != WireConnection::Read::frame) continue;
      if (f.type() == wire::Body::LoginAccepted) return true;
      if (f.type() == wire::Body::LoginRefused) {
        const auto reason = f.as<wire::LoginRefused>()->reason();
        if (reason != wire::Reason::not_primary && reason != wire::Reason::already_logged_in)
          error(std::string("login refused: ") + wire::EnumNameReason(reason));
        return false;
      }
    }
    return false;  // a stopped server: the kernel accepts, nobody answers
  };

  // Finds the primary (the next server first), logs in, and asks for everything after the
  // last report seen. False when no server takes it for reconnect_limit.
  const auto connect_any = [&]() {
    const auto deadline = SteadyClock::now() + config_.reconnect_limit;
    const int first = node < 0 ? 0 : (node + 1) % servers;
    for (;;) {
      for (int k = 0; k < servers; ++k) {
        const int i = (first + k) % servers;
        if (!try_login(i)) {
          c.close();
          continue;
        }
        node = i;
        if (!c.write(c.enc.resend(max_seq))) {
          c.close();
          continue;
        }
        Seq through = -1;
        const auto resend_deadline = SteadyClock::now() + 10s;
        bool lost = false;
        while (through < 0) {
          if (SteadyClock::now() > resend_deadline) {
            error("no ResendDone within 10 s from server " + std::to_string(i));
            lost = true;
            break;
          }
          Frame f;
          const auto r = c.read(f, 100ms, why);
          if (r == WireConnection::Read::closed || r == WireConnection::Read::bad) {
            lost = true;
            break;
          }
          if (r == WireConnection::Read::frame) handle(f, received_, false, through);
        }
        if (lost) {
          c.close();
          continue;
        }
        // Whatever was outstanding on the old connection was answered by the resend, or was
        // never sequenced (or is answered later: any report is taken as it comes).
        pending_new.clear();
        pending_cancel.clear();
        last_answer = SteadyClock::now();
        return true;
      }
      if (SteadyClock::now() > deadline) {
        error("no server took the login for " + std::to_string(config_.reconnect_limit.count()) + " ms");
        return false;
      }
      std::this_thread::sleep_for(50ms);
    }
  };

  bool finishing = false;
  auto finish_deadline = SteadyClock::now();
  for (;;) {
    if (!connected) {
      if (node >= 0) ++reconnects_;
      if (!connect_any()) return;
      connected = true;
    }
    if (stop_.load(std::memory_order_acquire) && !finishing) {
      finishing = true;
      finish_deadline = SteadyClock::now() + 10s;
    }
    if (finishing && !drained_ && pending_new.empty() && pending_cancel.empty()) drained_ = true;
    if (finishing && !drained_ && SteadyClock::now() > finish_deadline) {
      error("outstanding commands never answered");
      drained_ = true;
    }
    if (drained_ && resend_.load()) break;
    const auto now = SteadyClock::now();
    if (!finishing && pending_new.size() + pending_cancel.size() < config_.window && now >= next_send) {
      Command cmd;
      bool cancel = false;
      if (!open.empty() && rng() % 100 < 25) {
        auto it = open.begin();
        std::advance(it, static_cast<long>(rng() % open.size()));
        if (!pending_cancel.contains(it->first)) {
          cmd = live_cancel(it->first);
          pending_cancel.insert(it->first);
          cancel = true;
        }
      }
      if (!cancel) {
        const std::string cl = live_numbered("c", ++n);
        cmd = live_random_new(rng, cl, instruments()[rng() % instruments().size()]);
        pending_new.insert(cl);
      }
      if (pending_new.size() + pending_cancel.size() == 1) last_answer = now;
      ++sent_;
      next_send = now + interval;
      if (!c.write(c.enc.command(cmd))) {
        c.close();
        connected = false;
        continue;
      }
    }
    Frame f;
    const auto r = c.read(f, 10ms, why);
    if (r == WireConnection::Read::frame) {
      Seq through = -1;
      handle(f, received_, true, through);
    } else if (r == WireConnection::Read::closed || r == WireConnection::Read::bad) {
      if (r == WireConnection::Read::bad) error("server " + std::to_string(node) + ": " + why);
      c.close();
      connected = false;
    } else if ((!pending_new.empty() || !pending_cancel.empty()) &&
               SteadyClock::now() - last_answer > config_.silence) {
      c.close();  // a stopped or stalled server: try the others
      connected = false;
    }
  }
  // Everything the final primary has for this account, from the start, to compare.
  if (!c.write(c.enc.resend(0))) {
    error("the final Resend{0} was not sent");
    return;
  }
  const auto deadline = SteadyClock::now() + 20s;
  while (final_through_ < 0) {
    if (SteadyClock::now() > deadline) {
      error("no ResendDone for the final Resend{0} within 20 s");
      return;
    }
    Frame f;
    const auto r = c.read(f, 100ms, why);
    if (r == WireConnection::Read::closed || r == WireConnection::Read::bad) {
      error("the connection closed during the final Resend{0}");
      return;
    }
    if (r == WireConnection::Read::frame) handle(f, final_resend_, false, final_through_);
  }
}

std::vector<std::unique_ptr<Trader>> start_traders(Replicas& r, std::size_t n, std::uint64_t seed) {
  std::vector<std::unique_ptr<Trader>> out;
  TraderConfig config;
  config.ports = r.ports(n);
  config.seed = seed;
  if (const char* rate = std::getenv("GPUX_FAILOVER_RATE"); rate && *rate) config.rate = std::atoi(rate);
  for (const char* account : {"maker-1", "maker-2", "lab-x", "lab-y"}) {
    out.push_back(std::make_unique<Trader>(account, config));
    out.back()->start();
  }
  return out;
}

std::optional<SteadyClock::time_point> first_ack(std::vector<std::unique_ptr<Trader>>& traders, int except,
                                                 SteadyClock::time_point since, milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    std::optional<SteadyClock::time_point> best;
    for (auto& t : traders)
      for (const auto& [at, node] : t->acks())
        if (at >= since && node != except && (!best || at < *best)) {
          best = at;
          break;
        }
    if (best || SteadyClock::now() > deadline) return best;
    std::this_thread::sleep_for(10ms);
  }
}

double longest_ack_gap_ms(std::vector<std::unique_ptr<Trader>>& traders, SteadyClock::time_point from,
                          SteadyClock::time_point to) {
  std::vector<SteadyClock::time_point> all{from};
  for (auto& t : traders)
    for (const auto& [at, node] : t->acks())
      if (at >= from && at <= to) all.push_back(at);
  std::sort(all.begin(), all.end());
  double gap = 0;
  for (std::size_t i = 1; i < all.size(); ++i) gap = std::max(gap, ms_between(all[i - 1], all[i]));
  return gap;
}

}  // namespace gpux::test::replication
