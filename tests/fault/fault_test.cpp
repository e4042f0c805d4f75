// Crash and disk faults against the real server: gpuxd runs as a child process with --journal,
// trading clients speak the wire protocol over loopback, and the test kills gpuxd with SIGKILL
// at random moments, restarts it on the same journal, and goes on. At the end the journal is
// replayed through a fresh engine: every order a client saw acknowledged, and every fill it
// saw, must be there exactly as reported, nothing twice, and every ListOrders answer must be
// the replayed engine's open orders at that seq. Then a journal that cannot be written (a tiny
// tmpfs, or RLIMIT_FSIZE): gpuxd must refuse new orders with journal_unavailable, keep every
// order it acknowledged, and stop cleanly.
//
// Usage: gpux_fault_test --gpuxd PATH [Catch2 options]   (or GPUXD=PATH in the environment)
// Environment: GPUX_FAULT_SEED (default 1) and GPUX_FAULT_CYCLES (default 20) to reproduce.
#define CATCH_CONFIG_RUNNER
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "engine/catalog.hpp"
#include "engine/engine.hpp"
#include "engine/symbol.hpp"
#include "schemas/codec.hpp"
#include "tests/support/env.hpp"
#include "tests/support/gpuxd_process.hpp"
#include "tests/support/journal_replay.hpp"
#include "tests/support/live_orders.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/watchdog.hpp"
#include "tests/support/wire_client.hpp"
#include "gateway/storage/files.hpp"
#include "gateway/storage/reader.hpp"
#include "gateway/storage/record.hpp"

namespace {

using namespace gpux;
using namespace std::chrono_literals;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;
namespace fs = std::filesystem;

std::string g_gpuxd;  // --gpuxd or $GPUXD

constexpr std::uint32_t kMaxOrders = 100000;  // gpuxd's --max-orders, and the replay engine's

using gpux::test::env_u64;

std::string_view sv(const flatbuffers::String* s) { return s ? std::string_view(s->data(), s->size()) : std::string_view(); }

// ---- gpuxd as a child process (tests/support/gpuxd_process.hpp) ----------------------------

// The fault test's gpuxd: g_gpuxd, kMaxOrders and the options it varies.
class Gpuxd : public test::GpuxdProcess {
 public:
  struct Options {
    std::string journal;
    bool async = false;
    std::string io = "epoll";
    std::uint64_t snapshot_every = 0;
    std::uint64_t segment_mb = 1;
    rlim_t fsize = 0;  // RLIMIT_FSIZE for the child (0: none)
    bool risk = true;  // risk checks (docs/ledger.md); off for loads that trade without a ledger
  };
  bool start(const Options& o, std::string& error) {
    test::GpuxdProcess::Options p;
    p.binary = g_gpuxd;
    p.journal = o.journal;
    p.async = o.async;
    p.io = o.io;
    p.snapshot_every = o.snapshot_every;
    p.segment_mb = o.segment_mb;
    p.max_orders = kMaxOrders;
    p.fsize = o.fsize;
    p.risk = o.risk;
    return test::GpuxdProcess::start(p, error);
  }
};

using test::describe_status;

// ---- a blocking wire-protocol connection (no Catch2 macros: client threads use it) ----------

using test::Frame;
using Conn = test::WireConnection;

// ---- what each client saw ------------------------------------------------------------------

using test::AckSeen;
using test::CancelSeen;
using test::FillSeen;
using test::RejectSeen;
struct OpenSeen {
  OrderId order_id;
  std::string cl_id;
  std::string instrument;
  Side side;
  Price price;
  Qty qty;
  Qty shown;
  bool operator==(const OpenSeen&) const = default;
};
struct ListSeen {
  Seq seq;
  int cycle;
  std::vector<OpenSeen> orders;
};

std::string describe(const OpenSeen& o) {
  std::ostringstream s;
  s << "#" << o.order_id << " " << o.cl_id << " " << o.instrument << " " << (o.side == Side::buy ? "buy" : "sell") << " "
    << o.qty << "(" << o.shown << ")@" << o.price;
  return s.str();
}

// A BalanceReply or HoldingsReply (docs/ledger.md), written the way ledger_text() writes the
// replayed engine's ledger, to compare at its seq.
struct LedgerSeen {
  Seq seq;
  std::string text;
};

// The reports it saw (name, accepted, fills, canceled, rejected), and more.
struct Account : test::ReportsSeen {
  explicit Account(std::string n) { name = std::move(n); }
  std::vector<LedgerSeen> ledgers;
  std::vector<ListSeen> lists;
  std::vector<std::string> errors;
  Seq max_seq = 0;  // the highest seq of any output seen, every cycle
  std::map<std::string, OrderId> open;  // cl_id -> order_id, as this client believes
  long sent = 0;
};

struct Cycle {
  int index = 0;
  bool final = false;
  std::uint16_t port = 0;
  Seq recovered = 0;
  std::uint64_t seed = 0;
  std::atomic<bool> stop{false};
};

const std::vector<test::LiveInstrument>& instruments() {
  static const auto all = test::live_instruments();
  return all;
}

// One client's session in one cycle: log in, list its orders (resync), trade until told to
// stop or until the server dies; in the final cycle, finish what is outstanding and list again.
void run_client(Account& a, const Cycle& cycle) {
  const auto error = [&](const std::string& what) {
    a.errors.push_back("cycle " + std::to_string(cycle.index) + ": " + what);
  };
  Conn c;
  std::string why;
  if (!c.connect(cycle.port, why)) {
    if (cycle.final) error(why);
    return;
  }
  Seq conn_seq = 0;  // seqs on one connection never go back
  std::set<std::string> pending_new, pending_cancel;
  std::optional<ListSeen> listing;
  bool listed = false;
  auto last_answer = SteadyClock::now();

  const auto handle = [&](const Frame& f) {
    Seq seq = -1;
    switch (f.type()) {
      case wire::Body::Heartbeat:
      case wire::Body::LoginAccepted: return;
      case wire::Body::Accepted: {
        const auto* m = f.as<wire::Accepted>();
        seq = m->seq();
        a.accepted.push_back({seq, m->order_id(), std::string(sv(m->cl_id())), cycle.index});
        a.open[std::string(sv(m->cl_id()))] = m->order_id();
        if (pending_new.erase(std::string(sv(m->cl_id())))) last_answer = SteadyClock::now();
        break;
      }
      case wire::Body::Rejected: {
        const auto* m = f.as<wire::Rejected>();
        seq = m->seq();
        a.rejected.push_back({seq, std::string(sv(m->cl_id())), m->reason()});
        if (pending_new.erase(std::string(sv(m->cl_id())))) last_answer = SteadyClock::now();
        if (m->reason() == wire::Reason::journal_unavailable || m->reason() == wire::Reason::throttled)
          error(std::string("order refused: ") + wire::EnumNameReason(m->reason()));
        break;
      }
      case wire::Body::Fill: {
        const auto* m = f.as<wire::Fill>();
        seq = m->seq();
        a.fills.push_back({seq, m->match(), m->order_id(), m->side() == wire::Side::buy ? Side::buy : Side::sell,
                           m->aggressor(), m->qty(), m->price(), m->leaves(), cycle.index});
        if (m->leaves() == 0)
          std::erase_if(a.open, [&](const auto& kv) { return kv.second == m->order_id(); });
        break;
      }
      case wire::Body::Canceled: {
        const auto* m = f.as<wire::Canceled>();
        seq = m->seq();
        a.canceled.push_back({seq, m->order_id(), std::string(sv(m->cl_id())), m->leaves(), m->reason()});
        std::erase_if(a.open, [&](const auto& kv) { return kv.second == m->order_id(); });
        if (pending_cancel.erase(std::string(sv(m->cl_id())))) last_answer = SteadyClock::now();
        break;
      }
      case wire::Body::CancelRejected: {
        const auto* m = f.as<wire::CancelRejected>();
        seq = m->seq();
        if (pending_cancel.erase(std::string(sv(m->cl_id())))) last_answer = SteadyClock::now();
        if (m->reason() != wire::Reason::unknown_order)
          error(std::string("cancel refused: ") + wire::EnumNameReason(m->reason()));
        break;
      }
      case wire::Body::Expired: {
        const auto* m = f.as<wire::Expired>();
        seq = m->seq();
        std::erase_if(a.open, [&](const auto& kv) { return kv.second == m->order_id(); });
        break;
      }
      case wire::Body::OpenOrder: {
        const auto* m = f.as<wire::OpenOrder>();
        seq = m->seq();
        if (!listing) {
          error("an OpenOrder outside a ListOrders answer");
          return;
        }
        listing->orders.push_back({m->order_id(), std::string(sv(m->cl_id())), std::string(sv(m->instrument())),
                                   m->side() == wire::Side::buy ? Side::buy : Side::sell, m->price(), m->qty(),
                                   m->shown()});
        break;
      }
      case wire::Body::BalanceReply: {
        const auto* m = f.as<wire::BalanceReply>();
        seq = m->seq();
        a.ledgers.push_back({seq, "cash " + std::string(sv(m->cash())) + " committed " +
                                      std::string(sv(m->committed_cash()))});
        break;
      }
      case wire::Body::HoldingsReply: {
        const auto* m = f.as<wire::HoldingsReply>();
        seq = m->seq();
        std::string text = "holdings";
        if (m->products())
          for (const auto* p : *m->products())
            if (p->runs())
              for (const auto* r : *p->runs())
                text += " " + std::string(sv(p->product())) + ":" + std::to_string(r->start_hour()) + "+" +
                        std::to_string(r->hours()) + "=" + std::to_string(r->holdings()) + "/" +
                        std::to_string(r->free());
        if (m->truncated()) error("a HoldingsReply was truncated");
        a.ledgers.push_back({seq, text});
        break;
      }
      case wire::Body::OpenOrdersEnd: {
        const auto* m = f.as<wire::OpenOrdersEnd>();
        seq = m->seq();
        if (!listing) {
          error("an OpenOrdersEnd outside a ListOrders answer");
          return;
        }
        if (m->count() != listing->orders.size())
          error("OpenOrdersEnd counts " + std::to_string(m->count()) + " orders, " +
                std::to_string(listing->orders.size()) + " came");
        listing->seq = seq;
        // Resync: what the server lists is what is open.
        a.open.clear();
        for (const auto& o : listing->orders) a.open[o.cl_id] = o.order_id;
        a.lists.push_back(*listing);
        listing.reset();
        listed = true;
        break;
      }
      default:
        error(std::string("unexpected frame ") + wire::EnumNameBody(f.type()));
        return;
    }
    if (seq > 0) {
      if (seq < conn_seq) error("seq went back from " + std::to_string(conn_seq) + " to " + std::to_string(seq));
      conn_seq = std::max(conn_seq, seq);
      const bool answer = f.type() == wire::Body::OpenOrder || f.type() == wire::Body::OpenOrdersEnd ||
                          f.type() == wire::Body::BalanceReply || f.type() == wire::Body::HoldingsReply;
      if (seq < cycle.recovered || (seq == cycle.recovered && !answer))
        error(std::string(wire::EnumNameBody(f.type())) + " of seq " + std::to_string(seq) +
              " after a restart that recovered to seq " + std::to_string(cycle.recovered));
      a.max_seq = std::max(a.max_seq, seq);
    }
  };

  // Reads one frame (or times out); false when the connection is over.
  const auto pump = [&](milliseconds timeout) {
    Frame f;
    const Conn::Read r = c.read(f, timeout, why);
    if (r == Conn::Read::frame) handle(f);
    if (r == Conn::Read::bad) error(why);
    if (r == Conn::Read::closed && cycle.final) error("the connection closed");
    return r == Conn::Read::frame || r == Conn::Read::timeout;
  };

  // Log in.
  if (!c.write(c.enc.login(a.name, "demo"))) return;
  for (;;) {
    Frame f;
    const Conn::Read r = c.read(f, 3000ms, why);
    if (r != Conn::Read::frame) {
      if (cycle.final || r == Conn::Read::bad) error("no LoginAccepted: " + why);
      return;
    }
    if (f.type() == wire::Body::Heartbeat) continue;
    if (f.type() != wire::Body::LoginAccepted) {
      error(std::string("login answered with ") + wire::EnumNameBody(f.type()));
      return;
    }
    break;
  }
  const auto list = [&] {
    listing = ListSeen{0, cycle.index, {}};
    listed = false;
    if (!c.write(c.enc.list_orders())) return false;
    const auto deadline = SteadyClock::now() + 5s;
    while (!listed) {
      if (SteadyClock::now() > deadline) {
        if (cycle.final) error("no OpenOrdersEnd within 5 s");
        return false;
      }
      if (!pump(100ms)) return false;
    }
    // Then the account's ledger, answered between commands as of a seq (docs/ledger.md).
    const std::size_t had = a.ledgers.size();
    if (!c.write(c.enc.balance()) || !c.write(c.enc.holdings({}))) return false;
    while (a.ledgers.size() < had + 2) {
      if (SteadyClock::now() > deadline) {
        if (cycle.final) error("no BalanceReply and HoldingsReply within 5 s");
        return false;
      }
      if (!pump(100ms)) return false;
    }
    return true;
  };
  if (!list()) return;

  std::mt19937_64 rng(cycle.seed ^ std::hash<std::string>{}(a.name));
  const std::size_t window = 1 + rng() % 6;
  long n = 0;
  while (!cycle.stop.load(std::memory_order_acquire)) {
    while (pending_new.size() + pending_cancel.size() < window) {
      Command cmd;
      if (!a.open.empty() && rng() % 100 < 30) {
        auto it = a.open.begin();
        std::advance(it, static_cast<long>(rng() % a.open.size()));
        if (pending_cancel.contains(it->first)) break;
        cmd = test::live_cancel(it->first);
        pending_cancel.insert(it->first);
      } else {
        const std::string cl = "c" + std::to_string(cycle.index) + "-" + std::to_string(++n);
        cmd = test::live_random_new(rng, cl, instruments()[rng() % instruments().size()]);
        pending_new.insert(cl);
      }
      if (pending_new.size() + pending_cancel.size() == 1) last_answer = SteadyClock::now();
      ++a.sent;
      if (!c.write(c.enc.command(cmd))) return;
    }
    if (!pump(50ms)) return;
    if (!pending_new.empty() || !pending_cancel.empty()) {
      if (SteadyClock::now() - last_answer > 5s) {
        error("no answer to an outstanding command for 5 s");
        return;
      }
    }
  }
  if (!cycle.final) return;  // killed: whatever was outstanding is lost or kept, the next cycle lists it
  // Told to stop (the final cycle): every answer, then the open orders once more.
  const auto deadline = SteadyClock::now() + 5s;
  while (!pending_new.empty() || !pending_cancel.empty()) {
    if (SteadyClock::now() > deadline) {
      error("outstanding commands never answered");
      return;
    }
    if (!pump(50ms)) return;
  }
  list();
}

// The opening of the market (docs/ledger.md): gpuxd checks risk, so the operator deposits
// every account's capacity in both live products and funds it, before anyone trades. Returns
// what went wrong, or nothing.
std::string open_bank(std::uint16_t port, const std::vector<Account>& accounts) {
  Conn c;
  std::string why;
  if (!c.connect(port, why)) return why;
  if (!c.write(c.enc.login("ops", "ops-demo"))) return "the operator's login was not sent";
  int waiting = 1;  // LoginAccepted
  const std::int64_t hour = std::time(nullptr) / 3600;
  for (const Account& a : accounts) {
    for (const char* product : {"H100.MEM1", "H200.MEM1"}) {
      Command d = make_command(CommandType::deposit, 0, 0);
      d.account.assign(a.name);
      d.has_instrument = true;
      d.instrument.assign(format_symbol(product, hour, 24 * 5));  // the live windows start 2 days ahead
      d.qty = 131072;
      if (!c.write(c.enc.command(d))) return "a deposit was not sent";
      ++waiting;
    }
    Command f = make_command(CommandType::fund, 0, 0);
    f.account.assign(a.name);
    f.amount_text.assign("1000000000");
    if (!c.write(c.enc.command(f))) return "a fund was not sent";
    ++waiting;
  }
  const auto deadline = SteadyClock::now() + 10s;
  while (waiting > 0) {
    if (SteadyClock::now() > deadline) return "the operator's deposits and funds got no answer";
    Frame f;
    const Conn::Read r = c.read(f, 100ms, why);
    if (r == Conn::Read::bad || r == Conn::Read::closed) return why;
    if (r != Conn::Read::frame) continue;
    switch (f.type()) {
      case wire::Body::LoginAccepted:
      case wire::Body::Deposited:
      case wire::Body::Funded: --waiting; break;
      case wire::Body::DepositRejected:
      case wire::Body::FundRejected:
      case wire::Body::LoginRefused:
      case wire::Body::ProtocolReject: return std::string("refused: ") + wire::EnumNameBody(f.type());
      default: break;
    }
  }
  return {};
}

// The replayed engine's ledger of one account, as the replies write it (LedgerSeen).
std::string ledger_text(const Engine& engine, const std::string& account, bool balance) {
  if (balance) {
    const Balance b = engine.balance(account);
    return "cash " + protocol::notional_text(b.cash) + " committed " + protocol::notional_text(b.committed_cash);
  }
  std::string text = "holdings";
  std::vector<HoldingRun> runs;
  for (ProductId p = 0; p < engine.catalog().products().size(); ++p) {
    engine.holdings(account, p, runs);
    for (const HoldingRun& r : runs)
      text += " " + engine.catalog().products()[p].id + ":" + std::to_string(r.start_hour) + "+" +
              std::to_string(r.hours) + "=" + std::to_string(r.holdings) + "/" + std::to_string(r.free);
  }
  return text;
}

// ---- the journal, replayed -----------------------------------------------------------------

using test::Replay;

// The journal replayed with gpuxd's --max-orders (tests/support/journal_replay.hpp).
bool replay_journal(const std::string& dir, Replay& out, std::string& error,
                    const std::function<void(Seq, const Engine&)>& at_seq = {},
                    const std::function<void(const Engine&)>& at_end = {}) {
  return test::replay(dir, out, error, at_seq, at_end, kMaxOrders);
}

std::vector<OpenSeen> open_orders(const Engine& engine, const std::string& account) {
  std::vector<OrderView> views;
  engine.account_orders(account, views);
  std::vector<OpenSeen> out;
  for (const OrderView& v : views)
    out.push_back({v.order_id, std::string(v.cl_id), std::string(engine.symbol(v.instrument)), v.side, v.price, v.open,
                   v.shown});
  return out;
}

using test::check_reports;

}  // namespace

TEST_CASE("fault: gpuxd killed with SIGKILL at random moments loses no acknowledged report", "[fault]") {
  REQUIRE_FALSE(g_gpuxd.empty());
  const std::uint64_t seed = env_u64("GPUX_FAULT_SEED", 1);
  const int cycles = static_cast<int>(env_u64("GPUX_FAULT_CYCLES", 20));
  INFO("reproduce with GPUX_FAULT_SEED=" << seed << " GPUX_FAULT_CYCLES=" << cycles);
  std::printf("fault: seed %llu, %d kill cycles\n", static_cast<unsigned long long>(seed), cycles);
  test::Watchdog watchdog(std::chrono::seconds(240));
  std::mt19937_64 rng(seed);
  test::TempDir dir("gpux-fault");
  const std::string journal = dir / "journal";
  std::vector<Account> accounts;
  for (const char* name : {"maker-1", "maker-2", "lab-x", "lab-y"}) accounts.push_back(Account{name});

  Seq seen_before = 0;  // the highest seq clients saw output of, before the last kill
  int torn_repairs = 0, from_snapshot = 0;
  int tears = 0;
  for (int i = 0; i <= cycles; ++i) {
    const bool final = i == cycles;
    // Now and then the crash tore the last write: the start of one more record at the end of
    // the newest segment (SIGKILL alone hardly ever does that). gpuxd must cut it off and say so.
    bool torn = false;
    if (i > 0 && rng() % 4 == 0) {
      std::vector<storage::DirEntry> segments;
      std::string error;
      REQUIRE(storage::list_segments(journal, segments, error));
      REQUIRE_FALSE(segments.empty());
      std::vector<std::uint8_t> record;
      storage::append_record(make_command(CommandType::clock, seen_before + 1000, 1), 0, record);
      record.resize(1 + rng() % (record.size() - 1));
      const int fd = ::open(segments.back().path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
      REQUIRE(fd >= 0);
      REQUIRE(storage::write_all(fd, record, error));
      ::close(fd);
      torn = true;
      ++tears;
    }
    Gpuxd::Options o;
    o.journal = journal;
    o.async = !final && rng() % 3 == 0;  // SIGKILL loses nothing from the page cache
    o.io = rng() % 2 ? "epoll" : "auto";
    o.snapshot_every = std::vector<std::uint64_t>{0, 150, 1000}[rng() % 3];
    Gpuxd g;
    std::string error;
    const bool started = g.start(o, error);
    INFO("cycle " << i << (o.async ? " (async journal)" : "") << ": " << error);
    REQUIRE(started);
    const std::string log = g.log();
    if (log.find("truncated a torn") != std::string::npos) ++torn_repairs;
    if (torn) CHECK(log.find("truncated a torn") != std::string::npos);
    if (log.find("(snapshot 0 ") == std::string::npos) ++from_snapshot;
    // What clients heard of was kept: the restart recovers at least that far.
    INFO("gpuxd log:\n" << log);
    REQUIRE(g.recovered() >= seen_before);

    Cycle cycle;
    cycle.index = i;
    cycle.final = final;
    cycle.port = g.port();
    cycle.recovered = g.recovered();
    cycle.seed = rng();
    if (i == 0) {
      const std::string bank = open_bank(g.port(), accounts);
      INFO("gpuxd log:\n" << g.log());
      REQUIRE(bank.empty());
    }
    std::vector<std::thread> clients;
    for (Account& a : accounts) clients.emplace_back([&a, &cycle] { run_client(a, cycle); });
    if (!final) {
      const auto delay = rng() % 8 == 0 ? milliseconds(rng() % 5) : milliseconds(100 + rng() % 600);
      std::this_thread::sleep_for(delay);
      const bool alive = g.alive();
      INFO("gpuxd died before the kill:\n" << g.log());
      REQUIRE(alive);
      g.signal(SIGKILL);
      cycle.stop = true;
      for (auto& t : clients) t.join();
      const auto status = g.wait(10s);
      REQUIRE(status);
      INFO(describe_status(*status));
      CHECK((WIFSIGNALED(*status) && WTERMSIG(*status) == SIGKILL));
    } else {
      std::this_thread::sleep_for(400ms);
      cycle.stop = true;
      for (auto& t : clients) t.join();
      g.signal(SIGTERM);
      const auto status = g.wait(15s);
      INFO("gpuxd log:\n" << g.log());
      REQUIRE(status);
      CHECK(describe_status(*status) == "exit 0");
    }
    for (const Account& a : accounts) seen_before = std::max(seen_before, a.max_seq);
    for (const Account& a : accounts) {
      INFO("client " << a.name);
      for (const std::string& e : a.errors) FAIL_CHECK(e);
    }
    for (Account& a : accounts) a.errors.clear();
  }

  // The journal replayed: every ListOrders answer is the engine's open orders at its seq.
  std::map<Seq, std::vector<std::pair<const Account*, const ListSeen*>>> lists;
  for (const Account& a : accounts)
    for (const ListSeen& l : a.lists) lists[l.seq].push_back({&a, &l});
  std::size_t lists_checked = 0;
  std::vector<std::string> mismatches;
  Replay r;
  std::string error;
  std::map<std::string, std::vector<OpenSeen>> at_end;  // each account's open orders, the whole journal replayed
  const auto end_state = [&](const Engine& engine) {
    for (const Account& a : accounts) at_end[a.name] = open_orders(engine, a.name);
  };
  // And every BalanceReply and HoldingsReply is the engine's ledger at its seq: what a client
  // heard of its ledger, across every kill, is what a run that never stopped has.
  std::map<Seq, std::vector<std::pair<const Account*, const LedgerSeen*>>> ledgers;
  for (const Account& a : accounts)
    for (const LedgerSeen& l : a.ledgers) ledgers[l.seq].push_back({&a, &l});
  std::size_t ledgers_checked = 0;
  const bool ok = replay_journal(journal, r, error, [&](Seq seq, const Engine& engine) {
    if (const auto lt = ledgers.find(seq); lt != ledgers.end()) {
      for (const auto& [a, l] : lt->second) {
        ++ledgers_checked;
        const std::string expected = ledger_text(engine, a->name, l->text.starts_with("cash"));
        if (expected != l->text)
          mismatches.push_back(a->name + "'s ledger at seq " + std::to_string(seq) + ": " + l->text +
                               "\n  the journal has: " + expected);
      }
    }
    const auto it = lists.find(seq);
    if (it == lists.end()) return;
    for (const auto& [a, l] : it->second) {
      ++lists_checked;
      const auto expected = open_orders(engine, a->name);
      if (expected == l->orders) continue;
      std::string m = a->name + " listed at seq " + std::to_string(seq) + " (cycle " + std::to_string(l->cycle) +
                      "):";
      for (const auto& o : l->orders) m += " " + describe(o);
      m += "\n  the journal has:";
      for (const auto& o : expected) m += " " + describe(o);
      mismatches.push_back(m);
    }
  }, end_state);
  INFO(error);
  REQUIRE(ok);
  CHECK_FALSE(r.torn);
  CHECK(r.duplicate_orders == 0);
  CHECK(r.duplicate_trades == 0);
  for (const auto& m : mismatches) FAIL_CHECK(m);
  std::size_t list_count = 0, final_lists = 0;
  for (const Account& a : accounts) {
    list_count += a.lists.size();
    final_lists += !a.lists.empty() && a.lists.back().cycle == cycles && a.lists.size() >= 2 &&
                   a.lists[a.lists.size() - 2].cycle == cycles;
  }
  CHECK(lists_checked == list_count);
  std::size_t ledger_count = 0, holdings_seen = 0;
  for (const Account& a : accounts) {
    ledger_count += a.ledgers.size();
    for (const LedgerSeen& l : a.ledgers) holdings_seen += l.text.starts_with("holdings ");
  }
  CHECK(ledgers_checked == ledger_count);
  CHECK(holdings_seen > 0);  // replies with runs in them were compared, not only empty ones
  CHECK(final_lists == accounts.size());  // each client listed after the final restart's trading
  // Nothing but the sequencer's clock ran after those answers (all orders gtc or ioc): the state
  // recovered from the whole journal has the same open orders.
  for (const Account& a : accounts) {
    INFO("account " << a.name << ": open orders at the end of the journal vs its last ListOrders answer");
    REQUIRE_FALSE(a.lists.empty());
    CHECK(at_end[a.name] == a.lists.back().orders);
  }
  for (const Account& a : accounts) check_reports(a, r);

  std::size_t acks = 0, fills = 0;
  for (const Account& a : accounts) acks += a.accepted.size(), fills += a.fills.size();
  std::printf("fault: %d restarts, %llu journal records, %zu acks and %zu fills checked, %zu ListOrders answers, "
              "%zu ledger answers, %d torn tails repaired (%d made), %d recoveries from a snapshot\n",
              cycles, static_cast<unsigned long long>(r.records), acks, fills, list_count, ledger_count, torn_repairs,
              tears, from_snapshot);
  CHECK(torn_repairs >= tears);
  CHECK(r.ts_regressions == 0);
  CHECK(acks > 200);
  CHECK(fills > 100);
}

// ---- a journal that cannot be written -------------------------------------------------------

namespace {

// Pushes orders at gpuxd until it refuses them with journal_unavailable, then checks it refuses
// every further one, that it stops cleanly, and that every order it acknowledged is in the
// journal.
void fill_the_journal(const Gpuxd::Options& o, const std::string& journal) {
  Gpuxd g;
  std::string error;
  INFO(error);
  REQUIRE(g.start(o, error));
  Conn c;
  REQUIRE(c.connect(g.port(), error));
  REQUIRE(c.write(c.enc.login("maker-1", "demo")));
  Frame f;
  while (c.read(f, 3000ms, error) == Conn::Read::frame && f.type() == wire::Body::Heartbeat) {
  }
  REQUIRE(f.type() == wire::Body::LoginAccepted);

  std::mt19937_64 rng(5);
  std::map<std::string, long> index;  // cl_id -> order of sending
  std::map<std::string, std::pair<OrderId, Seq>> acked;
  long first_refused = -1;  // the first order refused with journal_unavailable
  int refused = 0;
  std::vector<std::string> late_acks;
  long n = 0;
  std::size_t unanswered = 0;
  auto last_sent = SteadyClock::now();
  const auto handle = [&](const Frame& fr) {
    if (fr.type() == wire::Body::Accepted) {
      const auto* m = fr.as<wire::Accepted>();
      const std::string cl(sv(m->cl_id()));
      acked[cl] = {m->order_id(), m->seq()};
      if (first_refused >= 0 && index[cl] > first_refused) late_acks.push_back(cl);
      if (unanswered) --unanswered;
    } else if (fr.type() == wire::Body::Rejected) {
      const auto* m = fr.as<wire::Rejected>();
      if (m->reason() == wire::Reason::journal_unavailable) {
        ++refused;
        if (first_refused < 0 || index[std::string(sv(m->cl_id()))] < first_refused)
          first_refused = index[std::string(sv(m->cl_id()))];
      }
      if (unanswered) --unanswered;
    }
  };
  const auto deadline = SteadyClock::now() + 30s;
  while (refused < 20 && SteadyClock::now() < deadline) {
    // Up to 8 orders in flight; once the journal failed some are never answered, so send on
    // anyway after a short silence.
    if (unanswered < 8 || SteadyClock::now() - last_sent > 30ms) {
      const std::string cl = "d" + std::to_string(++n);
      index[cl] = n;
      REQUIRE(c.write(c.enc.command(test::live_random_new(rng, cl, instruments()[rng() % 2]))));
      ++unanswered;
      last_sent = SteadyClock::now();
    }
    const Conn::Read r = c.read(f, 5ms, error);
    REQUIRE(r != Conn::Read::closed);
    REQUIRE(r != Conn::Read::bad);
    if (r == Conn::Read::frame) handle(f);
  }
  INFO("gpuxd log:\n" << g.log());
  INFO(n << " orders sent, " << acked.size() << " acknowledged, " << refused << " refused");
  REQUIRE(refused >= 20);  // the journal filled up and gpuxd said so
  CHECK(acked.size() > 10);
  CHECK(late_acks.empty());
  CHECK(g.logged("journal failed"));
  CHECK(g.alive());

  // Everything from now on is refused at once, cancels too; nothing is acknowledged.
  for (int i = 0; i < 10; ++i) {
    const std::string cl = "late" + std::to_string(i);
    index[cl] = ++n;
    REQUIRE(c.write(c.enc.command(test::live_random_new(rng, cl, instruments()[0]))));
    bool answered = false;
    while (!answered) {
      const Conn::Read r = c.read(f, 2000ms, error);
      REQUIRE(r == Conn::Read::frame);
      if (f.type() == wire::Body::Rejected && sv(f.as<wire::Rejected>()->cl_id()) == cl) {
        CHECK(f.as<wire::Rejected>()->reason() == wire::Reason::journal_unavailable);
        CHECK(f.as<wire::Rejected>()->seq() == 0);
        answered = true;
      } else {
        handle(f);
      }
    }
  }
  REQUIRE(c.write(c.enc.command(test::live_cancel(acked.begin()->first))));
  for (;;) {
    const Conn::Read r = c.read(f, 2000ms, error);
    REQUIRE(r == Conn::Read::frame);
    if (f.type() != wire::Body::CancelRejected) continue;
    CHECK(f.as<wire::CancelRejected>()->reason() == wire::Reason::journal_unavailable);
    break;
  }
  // A query still gets an answer (the open orders, or a refusal), not silence.
  REQUIRE(c.write(c.enc.list_orders()));
  bool list_answered = false;
  const auto list_deadline = SteadyClock::now() + 2s;
  while (!list_answered && SteadyClock::now() < list_deadline) {
    const Conn::Read r = c.read(f, 100ms, error);
    REQUIRE(r != Conn::Read::closed);
    if (r == Conn::Read::frame)
      list_answered = f.type() == wire::Body::OpenOrdersEnd || f.type() == wire::Body::ProtocolReject;
  }
  CHECK(list_answered);
  CHECK(late_acks.empty());
  CHECK(g.alive());

  g.signal(SIGTERM);
  const auto status = g.wait(15s);
  INFO("gpuxd log:\n" << g.log());
  REQUIRE(status);
  CHECK(describe_status(*status) == "exit 0");

  Replay r;
  REQUIRE(replay_journal(journal, r, error));
  INFO("journal: " << r.records << " records, last seq " << r.last_seq << (r.torn ? ", torn tail" : ""));
  for (const auto& [cl, id] : acked) {
    INFO("acknowledged order " << cl << " #" << id.first << " seq " << id.second);
    const auto it = r.accepted.find(id.first);
    REQUIRE(it != r.accepted.end());
    CHECK(it->second.cl_id == cl);
    CHECK(it->second.seq == id.second);
  }
}

}  // namespace

TEST_CASE("fault: a journal that cannot be written makes gpuxd refuse orders, not lose them", "[fault]") {
  REQUIRE_FALSE(g_gpuxd.empty());
  test::Watchdog watchdog(std::chrono::seconds(120));
  SECTION("the file size limit (RLIMIT_FSIZE): writes fail with EFBIG") {
    test::TempDir dir("gpux-fault");
    Gpuxd::Options o;
    o.journal = dir / "journal";
    o.risk = false;  // its orders need no ledger: the journal is what fails
    o.fsize = 48 << 10;
    fill_the_journal(o, o.journal);
  }
  SECTION("a full file system (a 256 KiB tmpfs): writes fail with ENOSPC") {
    test::TempDir dir("gpux-fault");
    if (::mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=256k") != 0) {
      WARN("cannot mount a tmpfs here (" << std::strerror(errno) << "): the full-disk case is skipped");
      return;
    }
    struct Unmount {
      std::string path;
      ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
    } unmount{dir.path()};
    Gpuxd::Options o;
    o.journal = dir / "journal";
    o.risk = false;
    fill_the_journal(o, o.journal);
  }
}

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  Catch::Session session;
  using namespace Catch::clara;
  auto cli = session.cli() | Opt(g_gpuxd, "path")["--gpuxd"]("the gpuxd binary to test");
  session.cli(cli);
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  if (g_gpuxd.empty())
    if (const char* e = std::getenv("GPUXD")) g_gpuxd = e;
  return session.run();
}
