// One connection to a NATS cluster with its JetStream context, shared by the threads of
// replication (the journal thread publishes, the follower consumes, the lease thread renews):
// libnats connections and JetStream contexts are thread-safe, and one TCP connection keeps the
// publishes of a primary in the order it makes them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct __natsConnection;
struct __jsCtx;

namespace gpux::replication {

struct NatsConfig {
  std::string urls;           // nats://127.0.0.1:4222,nats://... (comma-separated)
  std::string stream = "GPUX";
  std::string subject = "gpux.commands";
  std::string lease_bucket = "gpux_lease";
  int replicas = 3;
  // A publish or a JetStream request that takes longer fails and is tried again (a publish
  // with the same Nats-Msg-Id, so never twice). Short, because a request sent to a stream
  // leader that just died is only answered by the timeout: with 5 s here, killing the leader
  // stalled publishes 4-8 s in tests and a standby's catch-up ~11 s; the election itself takes
  // about 2 s on nats-server 2.9.10.
  std::int64_t timeout_ms = 1000;
  std::int64_t lease_ms = 3000;
};

class NatsLink {
 public:
  NatsLink() = default;
  ~NatsLink();
  NatsLink(const NatsLink&) = delete;
  NatsLink& operator=(const NatsLink&) = delete;

  // Connects (retrying the list until the timeout) and makes sure the stream exists with the
  // configuration replication needs; an existing stream with another subject or fewer replicas
  // is refused rather than changed under a running market.
  bool open(const NatsConfig& config, std::string& error);

  __natsConnection* connection() const { return conn_; }
  __jsCtx* js() const { return js_; }
  const NatsConfig& config() const { return config_; }

 private:
  bool ensure_stream(std::string& error);

  NatsConfig config_;
  __natsConnection* conn_ = nullptr;
  __jsCtx* js_ = nullptr;
};

// "what (natsStatus text: the library's last error)", for log lines and errors.
std::string nats_error(std::string_view what, int status, int js_code = 0);

}  // namespace gpux::replication
