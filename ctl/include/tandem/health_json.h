// The /health document tandemd serves, and that peers read to learn how
// this node is doing:
//
//   {"schema": 1,
//    "node": "a",                       // this node's name
//    "time": 1700000000.25,             // when it was made, seconds since the Unix epoch
//    "score": 93.5,                     // composite health, 0 (down) .. 100 (fully healthy)
//    "components": {"cpu": 90, ...},    // the scores it was made of, each 0..100
//    "devices": [{"name": "tandem0", "available": true,
//                 "legs": [{"index": 0, "node": "a", "state": "alive", "weight": 70}, ...]}]}
//
// (score and components as health_score.h computes them.)  `state` is alive, syncing, dead or
// unknown (to_string(LegState)); an unavailable device (its status could not be read) has no legs.
// The schema only grows: a reader accepts schema 1 and above and ignores members it does not know,
// so an older peer reads a newer node's report.
#pragma once

#include "tandem/status.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tandem {

inline constexpr int health_schema_version = 1;

struct LegHealthReport {
    unsigned index = 0;
    std::string node; // the node the leg lives on ("" when not configured)
    LegState state = LegState::alive;
    unsigned weight = 0; // read weight, percent

    bool operator==(const LegHealthReport&) const = default;
};

struct DeviceHealthReport {
    std::string name;
    bool available = false; // its status was read
    std::vector<LegHealthReport> legs;

    bool operator==(const DeviceHealthReport&) const = default;
};

// What the daemon fills for GET /health.
struct NodeHealthReport {
    std::string node;
    double time = 0;  // seconds since the Unix epoch
    double score = 0; // 0..100
    // Each 0..100, in the order of HealthScore::components.
    std::vector<std::pair<std::string, double>> components;
    std::vector<DeviceHealthReport> devices;

    bool operator==(const NodeHealthReport&) const = default;
};

// The JSON text (one line).  Raises std::invalid_argument when a number
// is outside the schema (a score or component outside 0..100, a negative or
// non-finite time, a component named twice), so a node never serves a
// report its peers refuse.
std::string encode_health_report(const NodeHealthReport& report);

// Parse a report.  Raises ParseError naming the member at fault, e.g.
// "health report: score: expected a number 0..100, got \"high\"" or
// "health report: devices[0].legs[1].weight: expected an integer 0..100,
// got 150", for text that is not JSON, a schema version below 1, a
// missing member or one of the wrong type or range.
NodeHealthReport decode_health_report(std::string_view json);

} // namespace tandem
