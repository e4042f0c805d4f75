#include "tools/gpux/sample_log.hpp"

namespace gpux {

// A story in 40 commands: the operator turns risk checks on, deposits the owners' capacity and
// funds the labs (docs/ledger.md); makers quote three windows, labs lift offers, an iceberg
// refills, a fok fails, a market order sweeps with protection, replaces keep and lose priority,
// STP stops a self-trade, a halt refuses an order, time closes a gate and expires a gtd bid, a
// kill and unkill, a mass cancel; then a lab resells capacity it bought, and another is refused
// for selling what it does not hold and for buying beyond its cash.
std::string_view sample_log() {
  return R"log({"type":"risk","ts":1795251600000000000,"mode":"on"}
{"type":"deposit","ts":1795251600000000000,"account":"neocloud-a","instrument":"H100.MEM1@2026-12-01T00Z+720h","qty":2048}
{"type":"deposit","ts":1795251600000000000,"account":"neocloud-a","instrument":"H200.MEM1@2026-11-21T00Z+26280h","qty":512}
{"type":"deposit","ts":1795251600000000000,"account":"neocloud-b","instrument":"H100.MEM1@2026-12-01T00Z+720h","qty":1024}
{"type":"deposit","ts":1795251600000000000,"account":"neocloud-b","instrument":"GB200.MEM1@2027-01-01T00Z+720h","qty":1440}
{"type":"fund","ts":1795251600000000000,"account":"neocloud-a","amount":"10000"}
{"type":"fund","ts":1795251600000000000,"account":"lab-x","amount":"1000000"}
{"type":"fund","ts":1795251600000000000,"account":"lab-y","amount":"15000000"}
{"type":"fund","ts":1795251600000000000,"account":"lab-z","amount":"2500000"}
{"type":"fund","ts":1795251600000000000,"account":"lab-z","amount":"1.23456"}
{"type":"new","ts":1795251601000000000,"account":"neocloud-a","cl_id":"a1","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"sell","price":"2.1500","qty":512}
{"type":"new","ts":1795251602000000000,"account":"neocloud-a","cl_id":"a2","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"sell","price":"2.1800","qty":1024,"display_qty":256}
{"type":"new","ts":1795251603000000000,"account":"neocloud-b","cl_id":"b1","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"sell","price":"2.1500","qty":256}
{"type":"new","ts":1795251604000000000,"account":"lab-x","cl_id":"x1","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"buy","price":"2.1000","qty":768}
{"type":"new","ts":1795251605000000000,"account":"lab-y","cl_id":"y1","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"buy","price":"2.0900","qty":1024,"tif":"gtd","expire_ts":1795255200000000000}
{"type":"new","ts":1795251606000000000,"account":"neocloud-b","cl_id":"b2","instrument":"GB200.MEM1@2027-01-01T00Z+720h","side":"sell","price":"4.6000","qty":1440}
{"type":"new","ts":1795251607000000000,"account":"lab-z","cl_id":"z1","instrument":"GB200.MEM1@2027-01-01T00Z+720h","side":"buy","price":"4.4000","qty":720,"post_only":true}
{"type":"new","ts":1795251608000000000,"account":"neocloud-a","cl_id":"a3","instrument":"H200.MEM1@2026-11-21T10Z+4h","side":"sell","price":"3.1000","qty":64}
{"type":"new","ts":1795251638000000000,"account":"lab-x","cl_id":"x2","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"buy","price":"2.1800","qty":1024}
{"type":"new","ts":1795251639000000000,"account":"lab-y","cl_id":"y2","instrument":"GB200.MEM1@2027-01-01T00Z+720h","side":"buy","price":"4.6000","qty":2880,"tif":"fok"}
{"type":"new","ts":1795251640000000000,"account":"lab-y","cl_id":"y3","instrument":"GB200.MEM1@2027-01-01T00Z+720h","side":"buy","order_type":"market","qty":720}
{"type":"replace","ts":1795251641000000000,"account":"neocloud-b","cl_id":"b2","price":"4.5500","qty":720}
{"type":"replace","ts":1795251642000000000,"account":"lab-z","cl_id":"z1","new_cl_id":"z1-r","price":"4.4500","qty":720}
{"type":"new","ts":1795251643000000000,"account":"neocloud-a","cl_id":"a4","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"buy","price":"2.1800","qty":64,"tif":"ioc","stp":"cancel_aggressor"}
{"type":"new","ts":1795251644000000000,"account":"lab-x","cl_id":"x3","instrument":"H100.MEM1@2026-12-02T00Z+168h","side":"buy","price":"2.0500","qty":2048,"min_qty":512}
{"type":"halt","ts":1795251645000000000,"instrument":"H100.MEM1@2026-12-02T00Z+168h"}
{"type":"new","ts":1795251646000000000,"account":"neocloud-b","cl_id":"b3","instrument":"H100.MEM1@2026-12-02T00Z+168h","side":"sell","price":"2.0500","qty":512}
{"type":"resume","ts":1795251647000000000,"instrument":"H100.MEM1@2026-12-02T00Z+168h"}
{"type":"new","ts":1795251648000000000,"account":"neocloud-b","cl_id":"b3","instrument":"H100.MEM1@2026-12-02T00Z+168h","side":"sell","price":"2.0400","qty":512}
{"type":"cancel","ts":1795251649000000000,"account":"lab-x","cl_id":"x1"}
{"type":"cancel","ts":1795251650000000000,"account":"lab-x","cl_id":"nope"}
{"type":"clock","ts":1795255250000000000}
{"type":"kill","ts":1795255251000000000,"account":"neocloud-a"}
{"type":"new","ts":1795255252000000000,"account":"neocloud-a","cl_id":"a5","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"sell","price":"2.1500","qty":8}
{"type":"unkill","ts":1795255253000000000,"account":"neocloud-a"}
{"type":"new","ts":1795255254000000000,"account":"neocloud-a","cl_id":"a5","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"sell","price":"2.1600","qty":128}
{"type":"mass_cancel","ts":1795255255000000000,"account":"lab-z"}
{"type":"new","ts":1795255256000000000,"account":"lab-x","cl_id":"x4","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"sell","price":"2.2500","qty":256}
{"type":"new","ts":1795255257000000000,"account":"lab-z","cl_id":"z2","instrument":"H100.MEM1@2026-12-01T00Z+24h","side":"sell","price":"2.3000","qty":64}
{"type":"new","ts":1795255258000000000,"account":"lab-z","cl_id":"z3","instrument":"H100.MEM1@2026-12-02T00Z+168h","side":"buy","price":"2.0500","qty":8192}
)log";
}

}  // namespace gpux
