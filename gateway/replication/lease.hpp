// Leadership as a lease in a JetStream key-value bucket: one key whose entry expires after the
// bucket's TTL unless its holder renews it with a revision-checked update. The lease decides
// who should write; the stream's expected-last-sequence check (publisher.hpp) decides who can,
// so two nodes that both believe they lead (a paused primary, a clock running slow) still
// append one history.
#pragma once

#include <cstdint>
#include <string>

#include "gateway/replication/nats_link.hpp"

struct __kvStore;

namespace gpux::replication {

class Lease {
 public:
  enum class Result { held, taken, unreachable };

  explicit Lease(NatsLink& link) : link_(link) {}
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  // Opens (or creates) the bucket, TTL = the config's lease_ms, one revision kept.
  bool open(std::string& error);
  // Takes the lease if nobody holds it: `held` on success, `taken` while another holds it.
  Result acquire(const std::string& value);
  // Renews a lease held: `taken` when another took it meanwhile (the holder must step down).
  Result renew(const std::string& value);

 private:
  NatsLink& link_;
  __kvStore* kv_ = nullptr;
  std::uint64_t revision_ = 0;
};

}  // namespace gpux::replication
