#include "gateway/replication/publisher.hpp"

#include <nats/nats.h>

#include <chrono>
#include <thread>

#include "gateway/storage/record.hpp"

namespace gpux::replication {

Publisher::Result Publisher::publish(std::span<const std::uint8_t> bytes, std::span<const gateway::RecordRun> runs,
                                     std::string& error) {
  for (const gateway::RecordRun& c : runs) {
    std::uint64_t seq = 0;
    const Result r = send(bytes.data() + c.begin, c.end - c.begin, c.first, c.last, false, epoch_, tip_, seq, error);
    if (r != Result::ok) return r;
    tip_ = seq;
  }
  return Result::ok;
}

Publisher::Result Publisher::publish_marker(std::uint64_t expected, Seq last_seq, std::uint64_t epoch,
                                            std::uint64_t& stream_seq, std::string& error) {
  return send(nullptr, 0, last_seq + 1, last_seq, true, epoch, expected, stream_seq, error);
}

Publisher::Result Publisher::send(const void* data, std::size_t size, Seq first, Seq last, bool marker,
                                  std::uint64_t epoch, std::uint64_t expected, std::uint64_t& stream_seq,
                                  std::string& error) {
  const std::string first_text = std::to_string(first), last_text = std::to_string(last),
                    epoch_text = std::to_string(epoch);
  // Unique per message of the history: a new epoch's messages never collide with an old
  // primary's, whose commands with the same seqs were never appended.
  const std::string msg_id = epoch_text + ":" + first_text + (marker ? ":m" : "");
  natsMsg* msg = nullptr;
  natsStatus s = natsMsg_Create(&msg, link_.config().subject.c_str(), nullptr, static_cast<const char*>(data),
                                static_cast<int>(size));
  if (s == NATS_OK) s = natsMsgHeader_Set(msg, kHeaderFirst, first_text.c_str());
  if (s == NATS_OK) s = natsMsgHeader_Set(msg, kHeaderLast, last_text.c_str());
  if (s == NATS_OK) s = natsMsgHeader_Set(msg, kHeaderEpoch, epoch_text.c_str());
  if (s == NATS_OK) s = natsMsgHeader_Set(msg, kHeaderVersion, std::to_string(storage::kRecordVersion).c_str());
  if (s == NATS_OK && marker) s = natsMsgHeader_Set(msg, kHeaderMarker, "1");
  if (s != NATS_OK) {
    natsMsg_Destroy(msg);
    error = nats_error("building a message", s);
    return Result::stopped;
  }
  jsPubOptions po;
  jsPubOptions_Init(&po);
  po.MsgId = msg_id.c_str();
  po.ExpectStream = link_.config().stream.c_str();
  po.ExpectLastSeq = expected;
  // ExpectLastSeq 0 means "no check" to the client. The first message of a new stream (the
  // first primary's marker) expects no message on the log's subject instead, which for a
  // stream of that one subject is an empty stream.
  if (expected == 0) po.ExpectNoMessage = true;
  po.MaxWait = link_.config().timeout_ms;
  const auto started = std::chrono::steady_clock::now();
  bool stalled = false;  // logged as stalled: log its end too
  const auto waited_ms = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  };
  for (int attempt = 0;; ++attempt) {
    jsPubAck* ack = nullptr;
    jsErrCode code = static_cast<jsErrCode>(0);
    s = js_PublishMsg(&ack, link_.js(), msg, &po, &code);
    if (s == NATS_OK) {
      stream_seq = ack->Sequence;
      jsPubAck_Destroy(ack);
      natsMsg_Destroy(msg);
      ++messages_;
      if (stalled) log_("publishes to the stream flow again after " + std::to_string(waited_ms()) + " ms");
      return Result::ok;
    }
    if (code == JSStreamWrongLastSequenceErr) {
      natsMsg_Destroy(msg);
      error = "the stream moved past seq " + std::to_string(expected) + ": another primary appended";
      return Result::fenced;
    }
    if (stopped_.load(std::memory_order_acquire)) {
      natsMsg_Destroy(msg);
      error = nats_error("publish abandoned", s, code);
      return Result::stopped;
    }
    ++retries_;
    if (!stalled && waited_ms() >= 1000) {
      stalled = true;
      log_(nats_error("publishes to the stream stalled for " + std::to_string(waited_ms()) + " ms, retrying", s, code));
    }
    // No responders while a stream leader is elected, a timeout while a node dies: both pass.
    std::this_thread::sleep_for(std::chrono::milliseconds(attempt < 10 ? 20 : 200));
  }
}

}  // namespace gpux::replication
