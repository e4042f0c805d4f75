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
#include "gateway/pipeline/records.hpp"
#include "gateway/pipeline/spsc_ring.hpp"
#include "gateway/pipeline/wait.hpp"

namespace gpux::gateway {

struct PipelineConfig {
  std::size_t inbound_capacity = 1 << 14;  // 224-byte slots
  std::size_t outbound_capacity = 1 << 16;  // 128-byte slots
  // The side rings for what does not fit a slot (records.hpp): commands other than new, cancel
  // and clock (432 bytes each), and answers and rare events (~570 bytes each). A list_orders
  // answer longer than this waits for the gateway to drain, as any output does.
  std::size_t inbound_whole_capacity = 1 << 10;
  std::size_t rare_capacity = 1 << 11;
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
  // Replication (docs/replication.md): start as a standby, which applies the commands of the
  // replicated log (push_replicated) and sequences none of its own until promote().
  bool standby = false;
  // A standby promoted with nothing sequenced yet (a new exchange) sequences `risk on` first,
  // as begin_with_risk_checks does for a single node.
  bool risk_on_when_new = false;
  std::size_t replica_capacity = 1 << 12;
};

// A command of the replicated log on its way to a standby's engine thread, already sequenced;
// or (promote) the word that every command of the log before it has been handed over.
struct ReplicaItem {
  Command command;
  SessionId session;
  bool promote;
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
  bool submit(const Command& c, SessionId session);  // a command (Inbound::Kind::command)
  void flush_submissions();  // rings the engine's doorbell once for everything submitted
  // Output of commands up to the released seq only: with a durable journal, nobody hears of a
  // command before it is on disk.
  // `f(Outbound&)` is called on each item in order; for a `rare` one, `out.rare` points at its
  // item of the side ring meanwhile. Slots are freed in runs, with one index store each.
  template <class F>
  std::size_t drain(F&& f, std::size_t max = 4096) {
    const Seq released = released_seq_.load(std::memory_order_acquire);
    std::size_t n = 0;
    while (n < max) {
      const std::span<Outbound> run = outbound_.peek(max - n);
      std::size_t k = 0;
      for (; k < run.size() && run[k].seq <= released; ++k) {
        Outbound& out = run[k];
        if (out.kind != Outbound::Kind::rare) {
          f(out);
          continue;
        }
        out.rare = rares_.peek();  // published before the slot that stands for it
        f(out);
        rares_.release();
      }
      if (k) outbound_.release(k);
      n += k;
      if (k == 0 || k < run.size()) break;
    }
    if (n) after_drain();
    return n;
  }

  // The engine's catalog. Fixed once the engine is built; read it before start() (the
  // gateway copies it), as the engine thread owns the engine afterwards.
  const Catalog& catalog() const { return engine_.catalog(); }

  static Seq seq_of(const Outbound& out) { return out.seq; }
  Seq last_seq() const { return last_seq_.load(std::memory_order_relaxed); }
  Seq released_seq() const { return released_seq_.load(std::memory_order_acquire); }

  // ---- replication ----
  // Sequencing its own commands: true unless a standby (not yet promoted) or stepped down.
  // The gateway refuses trading while it is false; the engine thread sequences nothing from
  // the inbound ring meanwhile (answers to queries still flow).
  bool primary() const { return primary_.load(std::memory_order_acquire); }
  // The replication thread, the ring's only producer: a command of the log, in log order, with
  // its seq and ts. Waits while the ring is full; false once the pipeline stopped.
  bool push_replicated(const Command& c, SessionId session);
  // Wakes the engine thread once for everything pushed (once per message of the log).
  void flush_replicated() { engine_bell_.notify(); }
  // The replication thread, after the last command of the log: the engine thread becomes the
  // sequencer once it has applied everything pushed before.
  bool promote();
  // Any thread: a deposed primary stops sequencing at once.
  void step_down() { primary_.store(false, std::memory_order_release); }
  // Commands that reached the engine thread while it was not the sequencer and were not
  // sequenced (the gateway refuses them first; this counts any that slip past).
  std::uint64_t refused_not_primary() const { return refused_not_primary_.load(std::memory_order_relaxed); }

  // With a journal: the journal thread's side of the pipeline.
  JournalLink& journal() { return *journal_; }
  // Nothing more can be kept: the gateway refuses new commands from now on.
  bool journal_failed() const { return journal_ && journal_->failed(); }

 private:
  void after_drain();
  void run();
  void maybe_snapshot();
  void take(InboundSlot& in);  // one slot of the inbound ring
  void apply_replicated(ReplicaItem& item);
  void sequence(const Inbound& in);
  void sequence(Command& c, SessionId session);  // one command: stamp, then execute
  void execute(Command& c, SessionId session, bool replicated);  // journal, run, publish its output
  bool submit_whole(const Inbound& in);
  Rare& answer(const Inbound& in, Rare::Kind kind);
  void list_orders(const Inbound& in);
  void quote(const Inbound& in);
  void balance(const Inbound& in);
  void holdings(const Inbound& in);

  // Output, engine thread. A slot is claimed, filled in place, and published with the others
  // of its command by publish_output(); a Rare is filled in place, then published with the
  // slot that stands for it by publish_rare(). Both wait while their ring is full.
  Outbound& next_slot(Outbound::Kind kind, Seq seq, bool last_of_command);
  Rare& next_rare();
  void publish_rare(Seq seq, bool last_of_command);
  void publish_output();
  void name_account(AccountId id);         // sends its name unless sent already
  void name_instrument(InstrumentId id);   // sends its name unless the gateway has it
  void publish(const Event& e, bool last_of_command);
  void release(Seq seq);

  Engine& engine_;
  PipelineConfig config_;
  std::function<void()> notify_output_;
  SpscRing<InboundSlot> inbound_;
  SpscRing<Inbound> inbound_whole_;
  SpscRing<Outbound> outbound_;
  SpscRing<Rare> rares_;
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
  std::size_t unpublished_ = 0;  // slots claimed and filled, not yet published
  bool published_ = false;
  bool closed_ = false;     // stopped while waiting for room: output goes to the discards
  Outbound discard_{};
  Rare discard_rare_{};
  // What the gateway was told each id names (NameRecord). An account id names one account for
  // good; an instrument id is reused once its instrument is unlisted (engine.hpp), so its name
  // is compared with the engine's at each use (~25 bytes) and sent again when it changed.
  std::vector<bool> named_accounts_;
  std::vector<FixedString<kMaxSymbolLen>> named_instruments_;

  SpscRing<ReplicaItem> replica_;  // replication thread -> engine thread
  std::atomic<bool> primary_{true};
  std::atomic<bool> replica_closed_{false};
  std::atomic<std::uint64_t> refused_not_primary_{0};

  std::optional<JournalLink> journal_;  // with a journal only
  Seq snapshot_seq_ = 0;
};

}  // namespace gpux::gateway
