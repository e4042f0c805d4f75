// One journal record: a sequenced command as the engine ran it (docs/journal.md). The journal
// holds commands, not events: replaying them through the engine gives the events back, byte
// for byte, because the engine is deterministic.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/command.hpp"

namespace gpux::storage {

// Record framing: u32 payload length, u32 reserved (0), u64 XXH3-64 of the payload, payload.
constexpr std::size_t kRecordHeader = 16;
// A payload is a few fixed fields and six strings of at most 64 bytes: anything longer is
// corruption, not a record.
constexpr std::size_t kMaxPayload = 512;

struct Record {
  Command command;  // seq and ts as sequenced
  std::uint32_t session;  // the gateway connection it came from (0: the sequencer's own clock)
};

// Appends header + payload to `out`.
void append_record(const Command& c, std::uint32_t session, std::vector<std::uint8_t>& out);

enum class Check { ok, truncated, bad_length, bad_checksum, bad_payload };
const char* to_string(Check);

// The segment format version records are written in (docs/journal.md): 2 added the
// `divisible` flag; 3 the ledger's commands (risk, deposit, withdraw, fund: types 10-13, the
// risk_on and amount_valid flags, and the amount's value and text after the strings); 4 the
// session_start flag (bit 15) and per-session disconnects (a disconnect cancels only the orders
// its session entered; before, every order of the account). Versions 1 to 3 are still read;
// their records hold none of these.
constexpr std::uint32_t kRecordVersion = 4;

// Checks the record at the front of `bytes` and decodes it; `size` is its whole length
// (header included) when the result is ok. `version`: that of the segment it is in.
Check read_record(std::span<const std::uint8_t> bytes, Record& out, std::size_t& size,
                  std::uint32_t version = kRecordVersion);
// The same, straight into a command (and its session) that a batch of them holds.
Check read_record(std::span<const std::uint8_t> bytes, Command& out, std::uint32_t& session, std::size_t& size,
                  std::uint32_t version = kRecordVersion);

}  // namespace gpux::storage
