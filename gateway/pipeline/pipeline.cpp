#include "gateway/pipeline/pipeline.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
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
      outbound_(config.outbound_capacity),
      events_(1 << 12) {
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
  Inbound* slot = inbound_.claim();
  if (slot == nullptr) return false;
  *slot = in;
  inbound_.publish();
  return true;
}

void Pipeline::flush_submissions() { engine_bell_.notify(); }

void Pipeline::after_drain() { space_bell_.notify(); }

void Pipeline::run() {
  constexpr std::size_t kBatch = 64;
  while (running_.load(std::memory_order_acquire)) {
    const std::size_t n = inbound_.consume([this](Inbound& in) { sequence(in); }, kBatch);
    if (journal_) journal_->flush();
    if (published_) {
      published_ = false;
      // With a journal, the journal thread wakes the gateway once the output is released.
      if (!config_.journal) notify_output_();
    }
    if (n == 0 && !wait_until(engine_bell_, config_.engine_wait, [this] { return !inbound_.empty(); }))
      break;
  }
}

void Pipeline::sequence(const Inbound& in) {
  if (in.kind == Inbound::Kind::list_orders) return list_orders(in);
  if (in.kind == Inbound::Kind::quote) return quote(in);
  if (in.kind == Inbound::Kind::balance) return balance(in);
  if (in.kind == Inbound::Kind::holdings) return holdings(in);
  Command c = in.command;
  c.seq = ++seq_;
  ts_ = std::max(ts_, wall_ns());
  c.ts = ts_;
  if (journal_) journal_->push(JournalEntry{c, in.session, false});
  events_.clear();
  depth_.clear();
  engine_.process(c, events_, &depth_);
  last_seq_.store(seq_, std::memory_order_relaxed);
  if (!config_.journal) released_seq_.store(seq_, std::memory_order_release);

  Outbound out;
  const std::size_t total = events_.size() + depth_.size();
  std::size_t n = 0;
  for (const Event& e : events_) {
    out.kind = Outbound::Kind::event;
    out.last_of_command = ++n == total;
    out.event = e;
    // Names travel as strings: the engine's name tables belong to this thread.
    const ReportNames names = report_names(engine_, e);
    out.account.assign(names.account);
    out.counterparty.assign(names.counterparty);
    out.instrument.assign(names.instrument);
    publish(out);
  }
  for (const LevelUpdate& u : depth_) {
    out.kind = Outbound::Kind::level;
    out.last_of_command = ++n == total;
    out.level = u;
    out.instrument.assign(engine_.symbol(u.instrument));
    publish(out);
  }
  if (journal_) maybe_snapshot();
}

// The start of an answer to a session's request (ListOrders, QuoteRequest, BalanceRequest,
// HoldingsRequest), exact as of the last command run: it goes to that session only and ends no
// command.
Outbound Pipeline::answer(const Inbound& in, Outbound::Kind kind) const {
  Outbound out;
  out.kind = kind;
  out.last_of_command = false;
  out.session = in.session;
  out.account = in.command.account;
  out.event.seq = seq_;
  return out;
}

void Pipeline::list_orders(const Inbound& in) {
  engine_.account_orders(in.command.account.view(), orders_);
  Outbound out = answer(in, Outbound::Kind::open_order);
  std::uint32_t count = 0;
  for (const OrderView& o : orders_) {
    const std::string_view symbol = engine_.symbol(o.instrument);
    if (in.command.has_instrument && symbol != in.command.instrument.view()) continue;
    Event& e = out.event;
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
    out.instrument.assign(symbol);
    publish(out);
    ++count;
  }
  out.kind = Outbound::Kind::orders_end;
  out.event.qty = count;
  publish(out);
}

void Pipeline::quote(const Inbound& in) {
  const Command& c = in.command;
  Outbound out = answer(in, Outbound::Kind::quote_reply);
  out.instrument = c.instrument;
  out.event.side = c.side;
  out.event.qty = c.qty;
  // A limit the client gave must be a price: 0 would mean "none" to the engine.
  if (c.price.present && c.price.value <= 0) {
    out.quote = Quote{};
    out.quote.reason = Reason::bad_price;
    out.quote.ok = false;
  } else {
    out.quote = engine_.quote(QuoteRequest{c.instrument.view(), c.side, c.qty, c.price.present ? c.price.value : 0,
                                           c.account.view()});
  }
  publish(out);
}

void Pipeline::balance(const Inbound& in) {
  Outbound out = answer(in, Outbound::Kind::balance_reply);
  out.balance = engine_.balance(in.command.account.view());
  publish(out);
}

void Pipeline::holdings(const Inbound& in) {
  const Command& c = in.command;
  Outbound out = answer(in, Outbound::Kind::holding_run);  // the drain releases it with the commands before it
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
    out.instrument.assign(products[p].id);
    for (const HoldingRun& r : runs_) {
      if (sent == kMaxHoldingRuns) {
        truncated = true;
        break;
      }
      out.run = r;
      publish(out);
      ++sent;
    }
  }
  out.kind = Outbound::Kind::holdings_end;
  out.event.priority_kept = truncated;
  publish(out);
}

void Pipeline::publish(const Outbound& out) {
  // A full outbound ring means the gateway thread is behind: wait for it (it never waits on
  // a client, slow sessions are cut off there), telling it first that there is work.
  while (!outbound_.try_push(out)) {
    notify_output_();
    if (!wait_until(space_bell_, config_.engine_wait, [this] { return !outbound_.full(); })) return;
  }
  published_ = true;
}

}  // namespace gpux::gateway
