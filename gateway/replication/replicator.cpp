#include "gateway/replication/replicator.hpp"

#include <nats/nats.h>

#include <charconv>
#include <cstring>

#include "gateway/storage/record.hpp"

namespace gpux::replication {

namespace {

using Clock = std::chrono::steady_clock;

// A decimal header of the log's messages; false when absent or not a number.
bool header_u64(natsMsg* msg, const char* key, std::uint64_t& out) {
  const char* v = nullptr;
  if (natsMsgHeader_Get(msg, key, &v) != NATS_OK || v == nullptr) return false;
  const char* end = v + std::strlen(v);
  const auto r = std::from_chars(v, end, out);
  return r.ec == std::errc{} && r.ptr == end;
}

}  // namespace

Replicator::Replicator(NatsLink& link, gateway::Pipeline& pipeline, std::string node, LogFn log, DeposedFn deposed)
    : link_(link),
      pipeline_(pipeline),
      node_(std::move(node)),
      log_(std::move(log)),
      deposed_(std::move(deposed)),
      publisher_(link, log_),
      lease_(link),
      // Four looks a lease period: a standby sees a free lease within a quarter of it, and a
      // primary renews three times before it would lapse.
      lease_period_(std::chrono::milliseconds(std::max<std::int64_t>(link.config().lease_ms / 4, 50))) {}

Replicator::~Replicator() {
  stop();
  if (sub_) natsSubscription_Destroy(sub_);
}

std::uint64_t Replicator::last_stream_seq(bool& ok) {
  jsStreamInfo* si = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  ok = js_GetStreamInfo(&si, link_.js(), link_.config().stream.c_str(), nullptr, &code) == NATS_OK;
  if (!ok) return 0;
  const std::uint64_t last = si->State.LastSeq;
  jsStreamInfo_Destroy(si);
  return last;
}

bool Replicator::open(Seq applied, std::string& error) {
  if (!lease_.open(error)) return false;
  applied_ = applied;
  jsStreamInfo* si = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&si, link_.js(), link_.config().stream.c_str(), nullptr, &code);
  if (s != NATS_OK) {
    error = nats_error("cannot read the stream's state", s, code);
    return false;
  }
  const std::uint64_t first = si->State.FirstSeq, last = si->State.LastSeq;
  jsStreamInfo_Destroy(si);
  if (last == 0) {
    if (applied > 0) {
      error = "the replicated log is empty but the local journal holds seq 1.." + std::to_string(applied) +
              ": it belongs to another history";
      return false;
    }
    follow_from_ = 1;
    return true;
  }
  // The log's message at stream seq m: its last command's seq, first command's seq, epoch.
  auto read = [&](std::uint64_t m, std::uint64_t& msg_first, std::uint64_t& msg_last, std::uint64_t& epoch) {
    natsMsg* msg = nullptr;
    s = js_GetMsg(&msg, link_.js(), link_.config().stream.c_str(), m, nullptr, &code);
    if (s != NATS_OK) {
      error = nats_error("cannot read stream message " + std::to_string(m), s, code);
      return false;
    }
    const bool ok = header_u64(msg, kHeaderFirst, msg_first) && header_u64(msg, kHeaderLast, msg_last) &&
                    header_u64(msg, kHeaderEpoch, epoch);
    natsMsg_Destroy(msg);
    if (!ok) error = "stream message " + std::to_string(m) + " is not a gpux log message";
    return ok;
  };
  std::uint64_t f = 0, l = 0, epoch = 0;
  if (!read(last, f, l, epoch)) return false;
  epoch_ = epoch;
  if (applied > l) {
    error = "the local journal (seq " + std::to_string(applied) + ") is ahead of the replicated log (seq " +
            std::to_string(l) + "): it holds commands the log never acknowledged; move it aside";
    return false;
  }
  // The first message whose last command is at or past `applied`: commands are in the log in
  // seq order, so that is a binary search over stream seqs.
  std::uint64_t lo = first, hi = last;
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (!read(mid, f, l, epoch)) return false;
    if (l >= applied) hi = mid;
    else lo = mid + 1;
  }
  if (!read(lo, f, l, epoch)) return false;
  if (f > applied + 1) {
    error = "the replicated log begins at seq " + std::to_string(f) + ", after the local state's seq " +
            std::to_string(applied) + ": start from a newer snapshot";
    return false;
  }
  follow_from_ = lo;
  stream_seq_ = lo - 1;
  return true;
}

bool Replicator::subscribe(std::uint64_t from, std::string& error) {
  if (sub_) {
    natsSubscription_Destroy(sub_);
    sub_ = nullptr;
  }
  jsSubOptions so;
  jsSubOptions_Init(&so);
  so.Stream = link_.config().stream.c_str();
  // Ordered: the library recreates the consumer after a gap it notices. It does not notice
  // them all: with a NATS node killed, deliveries stalled ~16 s, or resumed past a hole, in
  // probes of libnats 3.4 against nats-server 2.9.10 here (docs/replication.md), so follow()
  // checks every stream seq itself and subscribes again from the next one it needs.
  so.Ordered = true;
  so.Config.DeliverPolicy = js_DeliverByStartSequence;
  so.Config.OptStartSeq = from;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_SubscribeSync(&sub_, link_.js(), link_.config().subject.c_str(), nullptr, &so, &code);
  // Room for a catch-up of 512 KiB messages without a slow-consumer cut: 1 GiB, 64k messages.
  if (s == NATS_OK) s = natsSubscription_SetPendingLimits(sub_, 1 << 16, 1 << 30);
  if (s != NATS_OK) {
    error = nats_error("cannot follow the replicated log from stream seq " + std::to_string(from), s, code);
    return false;
  }
  progress_ = Clock::now();
  return true;
}

bool Replicator::resubscribe(const std::string& why) {
  const std::uint64_t from = stream_seq_.load(std::memory_order_relaxed) + 1;
  log_("following the log again from stream seq " + std::to_string(from) + ": " + why);
  std::string error;
  while (!stopping_.load(std::memory_order_acquire)) {
    if (subscribe(from, error)) return true;
    log_(error);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return false;
}

void Replicator::start() {
  thread_ = std::thread([this] { run(); });
}

void Replicator::stop() {
  stopping_.store(true, std::memory_order_release);
  publisher_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string Replicator::lease_value() const { return node_ + " epoch " + std::to_string(epoch_.load()); }

bool Replicator::apply(natsMsg* msg, std::string& error) {
  std::uint64_t epoch = 0, version = 0;
  if (!header_u64(msg, kHeaderEpoch, epoch) || !header_u64(msg, kHeaderVersion, version)) {
    error = "a message without gpux headers";
    return false;
  }
  if (epoch > epoch_) epoch_ = epoch;
  const char* marker = nullptr;
  if (natsMsgHeader_Get(msg, kHeaderMarker, &marker) == NATS_OK) return true;
  if (version == 0 || version > storage::kRecordVersion) {
    error = "records of version " + std::to_string(version) + ", newer than this gpuxd reads (" +
            std::to_string(storage::kRecordVersion) + ")";
    return false;
  }
  std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(msg)),
                                      static_cast<std::size_t>(natsMsg_GetDataLength(msg)));
  Command c;
  std::uint32_t session = 0;
  while (!bytes.empty()) {
    std::size_t size = 0;
    const storage::Check check = storage::read_record(bytes, c, session, size, static_cast<std::uint32_t>(version));
    if (check != storage::Check::ok) {
      error = std::string("a damaged record (") + storage::to_string(check) + ")";
      return false;
    }
    bytes = bytes.subspan(size);
    if (c.seq <= applied_) continue;  // the local journal has it
    if (c.seq != applied_ + 1) {
      error = "seq " + std::to_string(c.seq) + " follows seq " + std::to_string(applied_) + ": a gap";
      return false;
    }
    if (!pipeline_.push_replicated(c, session)) return true;  // stopping
    applied_ = c.seq;
  }
  pipeline_.flush_replicated();
  return true;
}

bool Replicator::follow(std::chrono::milliseconds budget) {
  const auto until = Clock::now() + budget;
  while (!stopping_.load(std::memory_order_acquire)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) return true;
    natsMsg* msg = nullptr;
    const natsStatus s = natsSubscription_NextMsg(&msg, sub_, std::min<std::int64_t>(left, 250));
    if (s == NATS_TIMEOUT) {
      // Nothing for a second: fine if the log has nothing new, a stalled consumer if it has.
      if (Clock::now() - progress_ < std::chrono::seconds(1)) continue;
      bool ok = false;
      const std::uint64_t last = last_stream_seq(ok);
      if (!ok) continue;  // no stream leader yet: ask again after the next timeout
      if (last > stream_seq_.load(std::memory_order_relaxed)) {
        if (!resubscribe("no delivery for 1 s while the log holds stream seq " + std::to_string(last))) return true;
      } else {
        progress_ = Clock::now();
      }
      continue;
    }
    if (s != NATS_OK) {
      if (!resubscribe(nats_error("the consumer failed", s))) return true;
      continue;
    }
    jsMsgMetaData* meta = nullptr;
    std::uint64_t seq = 0;
    if (natsMsg_GetMetaData(&meta, msg) == NATS_OK) {
      seq = meta->Sequence.Stream;
      jsMsgMetaData_Destroy(meta);
    }
    const std::uint64_t expected = stream_seq_.load(std::memory_order_relaxed) + 1;
    if (seq < expected) {  // delivered again after a resubscription
      natsMsg_Destroy(msg);
      continue;
    }
    if (seq > expected) {
      natsMsg_Destroy(msg);
      if (!resubscribe("stream seq " + std::to_string(seq) + " delivered where " + std::to_string(expected) +
                       " was due"))
        return true;
      continue;
    }
    std::string error;
    const bool ok = apply(msg, error);
    natsMsg_Destroy(msg);
    if (!ok) {
      depose("cannot apply stream message " + std::to_string(seq) + ": " + error);
      return false;
    }
    stream_seq_.store(seq, std::memory_order_relaxed);
    progress_ = Clock::now();
  }
  return true;
}

bool Replicator::take_over() {
  log_("lease taken by " + node_ + "; applying the rest of the log");
  const auto started = Clock::now();
  while (!stopping_.load(std::memory_order_acquire)) {
    bool ok = false;
    const std::uint64_t last = last_stream_seq(ok);
    if (!ok) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    while (stream_seq_.load() < last && !stopping_.load(std::memory_order_acquire)) {
      if (!follow(std::chrono::milliseconds(200))) return false;
      if (lease_.renew(lease_value()) == Lease::Result::taken) {
        log_("lost the lease while applying the log; staying a standby");
        return false;
      }
    }
    const std::uint64_t epoch = epoch_.load() + 1;
    std::uint64_t marker_seq = 0;
    std::string error;
    const Publisher::Result r = publisher_.publish_marker(stream_seq_.load(), applied_, epoch, marker_seq, error);
    if (r == Publisher::Result::stopped) return false;
    if (r == Publisher::Result::fenced) continue;  // the old primary appended meanwhile: apply that too
    natsSubscription_Unsubscribe(sub_);
    epoch_ = epoch;
    stream_seq_ = marker_seq;
    publisher_.begin(marker_seq, epoch);
    role_.store(Role::primary, std::memory_order_release);
    pipeline_.promote();
    lease_.renew(lease_value());
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
    log_("primary: epoch " + std::to_string(epoch) + " from seq " + std::to_string(applied_ + 1) + " (stream seq " +
         std::to_string(marker_seq) + "), log applied in " + std::to_string(ms) + " ms");
    return true;
  }
  return false;
}

void Replicator::depose(const std::string& why) {
  Role was = role_.load();
  while (was != Role::deposed && !role_.compare_exchange_weak(was, Role::deposed)) {
  }
  if (was == Role::deposed) return;
  pipeline_.step_down();
  publisher_.stop();
  log_((was == Role::primary ? "stepping down: " : "standby stopping: ") + why);
  deposed_(why);
}

bool Replicator::publish(std::span<const std::uint8_t> bytes, std::span<const gateway::RecordRun> runs,
                         std::string& error) {
  const Publisher::Result r = publisher_.publish(bytes, runs, error);
  if (r == Publisher::Result::ok) {
    stream_seq_.store(publisher_.tip(), std::memory_order_relaxed);
    return true;
  }
  if (r == Publisher::Result::fenced) depose(error);
  return false;
}

void Replicator::run() {
  std::string error;
  if (!subscribe(follow_from_, error)) return depose(error);
  auto renewed = Clock::now();
  bool unreachable = false;  // primary: renewals failing for longer than the lease
  while (!stopping_.load(std::memory_order_acquire)) {
    switch (role_.load(std::memory_order_acquire)) {
      case Role::standby:
        if (!follow(lease_period_)) return;
        if (lease_.acquire(lease_value()) == Lease::Result::held) {
          if (take_over()) renewed = Clock::now();
        }
        break;
      case Role::primary: {
        const auto next = renewed + lease_period_;
        while (Clock::now() < next && !stopping_.load(std::memory_order_acquire) && role_.load() == Role::primary)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (role_.load() != Role::primary || stopping_.load()) break;
        const Lease::Result r = lease_.renew(lease_value());
        if (r == Lease::Result::held) {
          if (unreachable) log_("lease renewed again after NATS was unreachable");
          unreachable = false;
          renewed = Clock::now();
        } else if (r == Lease::Result::taken) {
          // Refused: another node holds it, or it lapsed (NATS slow to renew) and nobody has
          // it yet. Taking it again then is safe: the stream's tip is still this node's, or
          // its next publish is fenced.
          if (lease_.acquire(lease_value()) == Lease::Result::held) {
            log_("the lease had lapsed; taken again");
            renewed = Clock::now();
          } else {
            depose("another node holds the lease");
          }
        } else {
          // Unreachable (a NATS node lost, a leader election): keep trading. The lease may
          // lapse meanwhile and a standby take over, but then this node's next publish is
          // fenced; stepping down here instead would turn every NATS hiccup into a failover.
          if (!unreachable && Clock::now() - renewed > std::chrono::milliseconds(link_.config().lease_ms))
            log_("the lease has not been renewed for " + std::to_string(link_.config().lease_ms) +
                 " ms (NATS unreachable); still primary until a publish is fenced");
          unreachable = Clock::now() - renewed > std::chrono::milliseconds(link_.config().lease_ms);
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        break;
      }
      case Role::deposed:
        return;
    }
  }
}

}  // namespace gpux::replication
