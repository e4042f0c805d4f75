#include "gateway/replication/lease.hpp"

#include <nats/nats.h>

namespace gpux::replication {

Lease::~Lease() {
  if (kv_) kvStore_Destroy(kv_);
}

bool Lease::open(std::string& error) {
  const NatsConfig& c = link_.config();
  natsStatus s = js_KeyValue(&kv_, link_.js(), c.lease_bucket.c_str());
  if (s == NATS_OK) return true;
  kvConfig cfg;
  kvConfig_Init(&cfg);
  cfg.Bucket = c.lease_bucket.c_str();
  cfg.History = 1;
  cfg.TTL = c.lease_ms * 1'000'000;  // ns
  cfg.Replicas = c.replicas;
  cfg.StorageType = js_FileStorage;
  s = js_CreateKeyValue(&kv_, link_.js(), &cfg);
  if (s != NATS_OK) {
    error = nats_error("cannot create the lease bucket " + c.lease_bucket, s);
    return false;
  }
  return true;
}

Lease::Result Lease::acquire(const std::string& value) {
  std::uint64_t rev = 0;
  const natsStatus s = kvStore_Create(&rev, kv_, "primary", value.data(), static_cast<int>(value.size()));
  if (s == NATS_OK) {
    revision_ = rev;
    return Result::held;
  }
  // The key exists: the lease is someone's (the server's "wrong last sequence").
  return s == NATS_ERR ? Result::taken : Result::unreachable;
}

Lease::Result Lease::renew(const std::string& value) {
  std::uint64_t rev = 0;
  const natsStatus s =
      kvStore_Update(&rev, kv_, "primary", value.data(), static_cast<int>(value.size()), revision_);
  if (s == NATS_OK) {
    revision_ = rev;
    return Result::held;
  }
  return s == NATS_ERR ? Result::taken : Result::unreachable;
}

}  // namespace gpux::replication
