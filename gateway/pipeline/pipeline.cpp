#include "gateway/pipeline/pipeline.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "schemas/reports.hpp"

namespace gpux::gateway {

using namespace protocol;

namespace {

// The sequencer's clock: wall time, never going backwards even when the system clock does.
Ts wall_ns() {
  timespec t;
  clock_gettime(CLOCK_REALTIME, &t);  // vDSO: no system call
  return static_cast<Ts>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

void pin(std::thread& t, int cpu) {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  pthread_setaffinity_np(t.native_handle(), sizeof set, &set);
}

}  // namespace

Pipeline::Pipeline(Engine& engine, const PipelineConfig& config, std::function<void()> notify_output)
    : engine_(engine),
      config_(config),
      notify_output_(std::move(notify_output)),
      inbound_(config.inbound_capacity),
      inbound_whole_(config.inbound_whole_capacity),
      outbound_(config.outbound_capacity),
      rares_(config.rare_capacity),
      events_(1 << 12),
      // Room for the first 4096 ids of each, so that naming them never allocates.
      named_accounts_(1 << 12),
      named_instruments_(1 << 12),
      replica_(config.standby ? config.replica_capacity : 2),
      primary_(!config.standby) {
  depth_.reserve(1 << 12);
  if (config.journal) journal_.emplace(config.journal_capacity, config.engine_wait, [this](Seq seq) { release(seq); });
}

void Pipeline::resume_after(Seq seq, Ts ts) {
  seq_ = seq;
  ts_ = ts;
  snapshot_seq_ = seq;
  last_seq_.store(seq, std::memory_order_relaxed);
  released_seq_.store(seq, std::memory_order_release);
}

bool Pipeline::begin_with_risk_checks() {
  if (seq_ != 0) return false;
  Command c = make_command(CommandType::risk, 0, 0);
  c.risk_on = true;
  return submit(Inbound{c, 0});
}

Pipeline::~Pipeline() { stop(); }

void Pipeline::start() {
  running_.store(true, std::memory_order_release);
  thread_ = std::thread([this] { run(); });
  pin(thread_, config_.engine_cpu);
}

void Pipeline::stop() {
  if (!thread_.joinable()) return;
  running_.store(false, std::memory_order_release);
  replica_closed_.store(true, std::memory_order_release);
  engine_bell_.close();
  space_bell_.close();
  if (journal_) journal_->close_engine_side();
  thread_.join();
  if (journal_) journal_->close_journal_side();
}

void Pipeline::release(Seq seq) {
  released_seq_.store(seq, std::memory_order_release);
  notify_output_();
}

void Pipeline::maybe_snapshot() {
  if (config_.snapshot_every == 0 || static_cast<std::uint64_t>(seq_ - snapshot_seq_) < config_.snapshot_every) return;
  // The previous snapshot is still being written: try again after the next command.
  if (!journal_->snapshot_free()) return;
  engine_.save_state(journal_->snapshot_buffer());
  snapshot_seq_ = seq_;
  journal_->snapshot_taken(seq_, ts_);
}

bool Pipeline::submit(const Inbound& in) {
  if (!InboundSlot::fits(in)) return submit_whole(in);
  InboundSlot* slot = inbound_.claim();
  if (slot == nullptr) return false;
  slot->set(in.command, in.session);
  inbound_.publish();
  return true;
}

bool Pipeline::submit(const Command& c, SessionId session) {
  // No Inbound around a copy of the command unless it goes whole.
  if (!InboundSlot::fits(c)) return submit_whole(Inbound{c, session});
  InboundSlot* slot = inbound_.claim();
  if (slot == nullptr) return false;
  slot->set(c, session);
  inbound_.publish();
  return true;
}

bool Pipeline::submit_whole(const Inbound& in) {
  // Both rings must have room before either is published: the slot says "take the next
  // whole one", so the whole one goes first.
  InboundSlot* slot = inbound_.claim();
  if (slot == nullptr) return false;
  Inbound* whole = inbound_whole_.claim();
  if (whole == nullptr) return false;
  *whole = in;
  inbound_whole_.publish();
  slot->whole = true;
  slot->session = in.session;
  inbound_.publish();
  return true;
}

void Pipeline::flush_submissions() { engine_bell_.notify(); }

void Pipeline::after_drain() { space_bell_.notify(); }

void Pipeline::run() {
  constexpr std::size_t kBatch = 64;
  while (running_.load(std::memory_order_acquire)) {
    // A standby's commands of the replicated log first: a promote among them makes the
    // inbound ring's commands the next to be sequenced.
    std::size_t n = replica_.consume([this](ReplicaItem& item) { apply_replicated(item); }, kBatch);
    n += inbound_.consume([this](InboundSlot& in) { take(in); }, kBatch);
    if (journal_) journal_->flush();
    if (published_) {
      published_ = false;
      // With a journal, the journal thread wakes the gateway once the output is released.
      if (!config_.journal) notify_output_();
    }
    if (n == 0 && !wait_until(engine_bell_, config_.engine_wait,
                              [this] { return !inbound_.empty() || !replica_.empty(); }))
      break;
  }
}

void Pipeline::take(InboundSlot& in) {
  if (in.whole) {
    // Published before the slot that stands for it.
    sequence(*inbound_whole_.peek());
    inbound_whole_.release();
    return;
  }
  Command c = in.get();
  sequence(c, in.session);
}

void Pipeline::sequence(const Inbound& in) {
  if (in.kind == Inbound::Kind::list_orders) return list_orders(in);
  if (in.kind == Inbound::Kind::quote) return quote(in);
  if (in.kind == Inbound::Kind::balance) return balance(in);
  if (in.kind == Inbound::Kind::holdings) return holdings(in);
  Command c = in.command;
  sequence(c, in.session);
}

void Pipeline::sequence(Command& c, SessionId session) {
  if (!primary_.load(std::memory_order_relaxed)) [[unlikely]] {
    refused_not_primary_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  c.seq = ++seq_;
  ts_ = std::max(ts_, wall_ns());
  c.ts = ts_;
  execute(c, session, false);
}

void Pipeline::apply_replicated(ReplicaItem& item) {
  if (item.promote) {
    primary_.store(true, std::memory_order_release);
    if (seq_ == 0 && config_.risk_on_when_new) {
      Command c = make_command(CommandType::risk, 0, 0);
      c.risk_on = true;
      sequence(c, 0);
    }
    return;
  }
  Command& c = item.command;
  seq_ = c.seq;
  ts_ = std::max(ts_, c.ts);
  execute(c, item.session, true);
}

bool Pipeline::push_replicated(const Command& c, SessionId session) {
  while (!replica_.try_push(ReplicaItem{c, session, false})) {
    if (replica_closed_.load(std::memory_order_acquire)) return false;
    engine_bell_.notify();
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  return true;
}

bool Pipeline::promote() {
  while (!replica_.try_push(ReplicaItem{make_command(CommandType::clock, 0, 0), 0, true})) {
    if (replica_closed_.load(std::memory_order_acquire)) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
  engine_bell_.notify();
  return true;
}

void Pipeline::execute(Command& c, SessionId session, bool replicated) {
  // The engine tags the orders a session enters with it, for per-session cancel-on-disconnect
  // (engine/commands.cpp on_disconnect); the journal records the same session.
  c.session = session;
  if (journal_) journal_->push(JournalEntry{c, session, false, replicated});
  events_.clear();
  depth_.clear();
  engine_.process(c, events_, &depth_);
  last_seq_.store(seq_, std::memory_order_relaxed);
  if (!config_.journal) released_seq_.store(seq_, std::memory_order_release);

  const std::size_t total = events_.size() + depth_.size();
  std::size_t n = 0;
  for (const Event& e : events_) publish(e, ++n == total);
  for (const LevelUpdate& u : depth_) {
    name_instrument(u.instrument);
    Outbound& out = next_slot(Outbound::Kind::level, u.seq, ++n == total);
    out.level = LevelRecord{u.instrument, u.side, u.hours, u.orders, u.price, u.qty};
  }
  publish_output();
  if (journal_) maybe_snapshot();
}

void Pipeline::publish(const Event& e, bool last_of_command) {
  if (!EventRecord::fits(e)) {
    // Names as strings: the rare event's reports are built from it alone.
    Rare& r = next_rare();
    r.kind = Rare::Kind::event;
    r.event = e;
    const ReportNames names = report_names(engine_, e);
    r.account.assign(names.account);
    r.counterparty.assign(names.counterparty);
    r.instrument.assign(names.instrument);
    return publish_rare(e.seq, last_of_command);
  }
  if (EventRecord::names_account(e.type)) {
    name_account(e.type == EventType::trade ? e.buy_account : e.account);
    if (e.type == EventType::trade) name_account(e.sell_account);
  }
  // has_instrument is set only on the types that use it.
  const bool cancel_or_expiry = e.type == EventType::canceled || e.type == EventType::expired;
  if (EventRecord::names_instrument(e.type, cancel_or_expiry && e.has_instrument)) name_instrument(e.instrument);
  next_slot(Outbound::Kind::event, e.seq, last_of_command).event.set(e);
}

void Pipeline::name_account(AccountId id) {
  if (id < named_accounts_.size() && named_accounts_[id]) return;
  if (id >= named_accounts_.size()) named_accounts_.resize(std::max<std::size_t>(id + 1, named_accounts_.size() * 2));
  named_accounts_[id] = true;
  Outbound& out = next_slot(Outbound::Kind::name, seq_, false);
  out.name = NameRecord{NameRecord::What::account, id, {}};
  out.name.text.assign(engine_.account_name(id));
}

void Pipeline::name_instrument(InstrumentId id) {
  const std::string_view symbol = engine_.symbol(id);
  if (id < named_instruments_.size() && named_instruments_[id].view() == symbol) return;
  if (id >= named_instruments_.size())
    named_instruments_.resize(std::max<std::size_t>(id + 1, named_instruments_.size() * 2));
  named_instruments_[id].assign(symbol);
  Outbound& out = next_slot(Outbound::Kind::name, seq_, false);
  out.name = NameRecord{NameRecord::What::instrument, id, named_instruments_[id]};
}

Outbound& Pipeline::next_slot(Outbound::Kind kind, Seq seq, bool last_of_command) {
  Outbound* out = &discard_;
  while (!closed_) {
    const std::span<Outbound> free = outbound_.claim(unpublished_ + 1);
    if (free.size() > unpublished_) {
      out = &free[unpublished_++];
      break;
    }
    // Full, or the free run ends at the wrap point: publish what is filled, then look again.
    if (unpublished_) {
      publish_output();
      continue;
    }
    // A full ring means the gateway thread is behind: wait for it (it never waits on a client,
    // slow sessions are cut off there), telling it first that there is work.
    notify_output_();
    if (!wait_until(space_bell_, config_.engine_wait, [this] { return !outbound_.full(); })) closed_ = true;
  }
  out->kind = kind;
  out->seq = seq;
  out->last_of_command = last_of_command;
  return *out;
}

Rare& Pipeline::next_rare() {
  while (!closed_) {
    if (Rare* r = rares_.claim()) return *r;
    publish_output();
    notify_output_();
    if (!wait_until(space_bell_, config_.engine_wait, [this] { return !rares_.full(); })) closed_ = true;
  }
  return discard_rare_;
}

void Pipeline::publish_rare(Seq seq, bool last_of_command) {
  if (closed_) return;
  next_slot(Outbound::Kind::rare, seq, last_of_command);
  if (closed_) return;  // the Rare stays unpublished: no slot stands for it
  rares_.publish();
}

void Pipeline::publish_output() {
  if (unpublished_ == 0) return;
  outbound_.publish(unpublished_);
  unpublished_ = 0;
  published_ = true;
}

// The start of an answer to a session's request (ListOrders, QuoteRequest, BalanceRequest,
// HoldingsRequest), exact as of the last command run: it goes to that session only and ends no
// command.
Rare& Pipeline::answer(const Inbound& in, Rare::Kind kind) {
  Rare& r = next_rare();
  r.kind = kind;
  r.session = in.session;
  r.account = in.command.account;
  return r;
}

void Pipeline::list_orders(const Inbound& in) {
  engine_.account_orders(in.command.account.view(), orders_);
  std::uint32_t count = 0;
  for (const OrderView& o : orders_) {
    const std::string_view symbol = engine_.symbol(o.instrument);
    if (in.command.has_instrument && symbol != in.command.instrument.view()) continue;
    Rare& r = answer(in, Rare::Kind::open_order);
    Event& e = r.event;
    e.order_id = o.order_id;
    e.cl_id.assign(o.cl_id);
    e.side = o.side;
    e.price = o.price;
    e.qty = o.open;
    e.leaves = o.shown;
    e.tif = o.tif;
    e.expire_ts = o.expire_ts;
    e.has_display_qty = o.display_qty > 0;
    e.display_qty = o.display_qty;
    e.divisible = o.divisible;
    e.buy_leaves = o.resting_hours;
    e.sell_leaves = o.gpu_hours;
    r.instrument.assign(symbol);
    publish_rare(seq_, false);
    ++count;
  }
  answer(in, Rare::Kind::orders_end).event.qty = count;
  publish_rare(seq_, false);
  publish_output();
}

void Pipeline::quote(const Inbound& in) {
  const Command& c = in.command;
  Rare& r = answer(in, Rare::Kind::quote_reply);
  r.instrument = c.instrument;
  r.event.side = c.side;
  r.event.qty = c.qty;
  // A limit the client gave must be a price: 0 would mean "none" to the engine.
  if (c.price.present && c.price.value <= 0) {
    r.quote = Quote{};
    r.quote.reason = Reason::bad_price;
    r.quote.ok = false;
  } else {
    r.quote = engine_.quote(QuoteRequest{c.instrument.view(), c.side, c.qty, c.price.present ? c.price.value : 0,
                                         c.account.view()});
  }
  publish_rare(seq_, false);
  publish_output();
}

void Pipeline::balance(const Inbound& in) {
  answer(in, Rare::Kind::balance_reply).balance = engine_.balance(in.command.account.view());
  publish_rare(seq_, false);
  publish_output();
}

void Pipeline::holdings(const Inbound& in) {
  const Command& c = in.command;
  std::size_t sent = 0;
  bool truncated = false;
  const std::vector<Product>& products = engine_.catalog().products();
  for (ProductId p = 0; p < products.size() && !truncated; ++p) {
    if (c.has_product && products[p].id != c.product.view()) continue;
    if (c.has_order_id) engine_.holdings(c.account.view(), p, c.order_id, c.qty, runs_);
    else engine_.holdings(c.account.view(), p, runs_);
    // Every product: only those where something is held or committed in the window.
    if (!c.has_product &&
        std::all_of(runs_.begin(), runs_.end(), [](const HoldingRun& r) { return r.holdings == 0 && r.free == 0; }))
      continue;
    for (const HoldingRun& run : runs_) {
      if (sent == kMaxHoldingRuns) {
        truncated = true;
        break;
      }
      Rare& r = answer(in, Rare::Kind::holding_run);  // the drain releases it with the commands before it
      r.instrument.assign(products[p].id);
      r.run = run;
      publish_rare(seq_, false);
      ++sent;
    }
  }
  answer(in, Rare::Kind::holdings_end).event.priority_kept = truncated;
  publish_rare(seq_, false);
  publish_output();
}

}  // namespace gpux::gateway
