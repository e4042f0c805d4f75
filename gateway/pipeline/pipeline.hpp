// The order path between the gateway thread and the engine thread: commands in over one SPSC
// ring, events and level updates out over another. The engine thread is also the sequencer:
// it stamps each command's seq and ts as it takes it, so the order of the ring is the order of
// the market.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>
#include <thread>

#include "engine/engine.hpp"
#include "gateway/pipeline/journal_link.hpp"
#include "gateway/pipeline/spsc_ring.hpp"
#include "gateway/pipeline/wait.hpp"

namespace gpux::gateway {

struct Inbound {
  // A list_orders, quote, balance or holdings query reads the engine between two commands, so
  // its answer is exact as of a seq; it changes nothing and takes no seq of its own.
  enum class Kind : std::uint8_t { command, list_orders, quote, balance, holdings };
  Command command;  // account set by the session; seq and ts by the sequencer. list_orders:
                    // the account, and the instrument when has_instrument. quote: the account,
                    // instrument, side, qty, and price when a limit was given. balance: the
                    // account. holdings: the account, the product when has_product, and a
                    // window when has_order_id (its first hour in order_id, its hours in qty)
  SessionId session;
  Kind kind = Kind::command;
};

// One event or one level update, self-contained: names travel with it, because the engine's
// name tables belong to the engine thread.
struct Outbound {
  // open_order: one answer to list_orders (fields as protocol::ServerEncoder::open_order reads them, seq
  // the last command run); orders_end closes the answer (event.qty: how many). quote_reply:
  // the answer to a quote (event.seq the last command run, event.side and event.qty as asked,
  // `instrument` the window, `quote` the engine's answer). balance_reply: `balance`, event.seq
  // the last command run. holding_run: one run of the answer to holdings, `run`, its product in
  // `instrument`; holdings_end closes it (event.seq the last command run, event.priority_kept:
  // cut short at kMaxHoldingRuns).
  enum class Kind : std::uint8_t {
    event, level, open_order, orders_end, quote_reply, balance_reply, holding_run, holdings_end
  };
  Kind kind;
  bool last_of_command;  // the command's output ends here (so a book mirror is whole again)
  SessionId session;     // open_order, orders_end, quote_reply: who asked
  Event event;
  // Never both: a union keeps the rare quote from widening every slot of the ring.
  union {
    LevelUpdate level;
    Quote quote;
    Balance balance;
    HoldingRun run;
  };
  FixedString<kMaxAccountLen> account;       // the event's account; a trade's buyer
  FixedString<kMaxAccountLen> counterparty;  // a trade's seller
  FixedString<kMaxSymbolLen> instrument;     // accepted, trade, level
};

struct PipelineConfig {
  std::size_t inbound_capacity = 1 << 14;
  std::size_t outbound_capacity = 1 << 16;
  // With a journal, every command also goes to a journal thread, and output reaches clients
  // only up to the seq that thread has released (written, and synced when durable).
  bool journal = false;
  std::size_t journal_capacity = 1 << 16;
  // Take a snapshot after this many commands since the last (0: never). Saving runs on the
  // engine thread and costs about the book's size in memory bandwidth; the write to disk is
  // the journal thread's.
  std::uint64_t snapshot_every = 0;
  WaitPolicy engine_wait{};
  int engine_cpu = -1;  // pin the engine thread to this CPU; -1: don't
};

// Owns the engine thread. The gateway thread is the only producer of `inbound` and the only
// consumer of `outbound`.
class Pipeline {
 public:
  // `notify_output` is called on the engine thread after it published output (at most once
  // per batch): the gateway's transport wake().
  Pipeline(Engine& engine, const PipelineConfig& config, std::function<void()> notify_output);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Before start(): continue the sequence after a recovered state.
  void resume_after(Seq seq, Ts ts);
  // Before start(), after resume_after(): a new exchange (nothing sequenced yet, no journal or
  // an empty one) sequences `risk on` as its seq 1 (SPEC v2 §7), journaled like any command,
  // so a replay or a recovery sees it. After a recovery nothing is added: the journal already
  // says whether checks are on. True when the command was queued.
  bool begin_with_risk_checks();
  void start();
  void stop();  // drains nothing further; joins the engine thread

  // Gateway side. Returns false when the ring is full (the caller retries later).
  bool submit(const Inbound& in);
  void flush_submissions();  // rings the engine's doorbell once for everything submitted
  // Output of commands up to the released seq only: with a durable journal, nobody hears of a
  // command before it is on disk.
  template <class F>
  std::size_t drain(F&& f, std::size_t max = 4096) {
    const Seq released = released_seq_.load(std::memory_order_acquire);
    std::size_t n = 0;
    for (; n < max; ++n) {
      Outbound* out = outbound_.peek();
      if (out == nullptr || seq_of(*out) > released) break;
      f(*out);
      outbound_.release();
    }
    if (n) after_drain();
    return n;
  }

  // The engine's catalog. Fixed once the engine is built; read it before start() (the
  // gateway copies it), as the engine thread owns the engine afterwards.
  const Catalog& catalog() const { return engine_.catalog(); }

  static Seq seq_of(const Outbound& out) { return out.kind == Outbound::Kind::level ? out.level.seq : out.event.seq; }
  Seq last_seq() const { return last_seq_.load(std::memory_order_relaxed); }
  Seq released_seq() const { return released_seq_.load(std::memory_order_acquire); }

  // With a journal: the journal thread's side of the pipeline.
  JournalLink& journal() { return *journal_; }
  // Nothing more can be kept: the gateway refuses new commands from now on.
  bool journal_failed() const { return journal_ && journal_->failed(); }

 private:
  void after_drain();
  void run();
  void maybe_snapshot();
  void sequence(const Inbound& in);  // one command: stamp, journal, run, publish its output
  Outbound answer(const Inbound& in, Outbound::Kind kind) const;
  void list_orders(const Inbound& in);
  void quote(const Inbound& in);
  void balance(const Inbound& in);
  void holdings(const Inbound& in);
  void publish(const Outbound& out);
  void release(Seq seq);

  Engine& engine_;
  PipelineConfig config_;
  std::function<void()> notify_output_;
  SpscRing<Inbound> inbound_;
  SpscRing<Outbound> outbound_;
  Doorbell engine_bell_;       // the engine thread waits here for commands
  Doorbell space_bell_;        // the engine thread waits here for outbound space
  std::atomic<bool> running_{false};
  std::thread thread_;
  EventBuffer events_;
  DepthBuffer depth_;
  std::vector<OrderView> orders_;
  std::vector<HoldingRun> runs_;
  Seq seq_ = 0;
  Ts ts_ = 0;
  std::atomic<Seq> last_seq_{0};
  std::atomic<Seq> released_seq_{0};
  bool published_ = false;

  std::optional<JournalLink> journal_;  // with a journal only
  Seq snapshot_seq_ = 0;
};

}  // namespace gpux::gateway
