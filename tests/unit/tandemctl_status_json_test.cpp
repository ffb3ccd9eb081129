// tandemctl status --json: golden output for status lines of version 1
// (sections null), 2 (a resync with its progress) and a newer version
// (every section, extra fields kept), and the command's own errors.
#include "cli_runner.h"

#include "status_json.h"

#include "tandem/status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tandem;
using namespace tandem::cli;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

constexpr const char* v1 = "1 2 AD 70 30 120 40 0 0 80 40 3 1 2";
constexpr const char* v2 = "2 2 Aa 100 0 10 20 0 0 0 20 0 0 0 256 0 37 resync 65536 219 112128";
// Version 7: every section of version 6, then two fields this tandemctl
// does not know.
constexpr const char* v7 =
    "7 2 AA 100 0 10 20 0 0 0 20 0 0 0 256 0 0 idle 65536 219 112128 ok checksum 16384 164 "
    "verify 37 2 64 12 2 critical 200 0 0 1000 4000 0 7 0 256 1024 test 50 500 10240 800 "
    "3200 9 120 77 2048 65536 2 253:2 gate 10 8192 64 5 2 100 3 1 0 read 100 0 512 100 0 128 "
    "write 2048 0 1024 2049 0 256 flush 0 0 0 0 0 0 discard 7 1 64 7 0 32 11 12";

constexpr const char* v2_json = R"({
  "device": "tandem0",
  "version": 2,
  "legs": [
    {
      "index": 0,
      "role": "source",
      "state": "alive",
      "letter": "A",
      "weight": 100,
      "reads": 10,
      "writes": 20,
      "read_errors": 0,
      "write_errors": 0,
      "out_of_sync_regions": 0
    },
    {
      "index": 1,
      "role": "target",
      "state": "syncing",
      "letter": "a",
      "weight": 0,
      "reads": 0,
      "writes": 20,
      "read_errors": 0,
      "write_errors": 0,
      "out_of_sync_regions": 37
    }
  ],
  "read_retries": 0,
  "sync": {
    "regions": 256,
    "action": "resync",
    "rate_kib": 65536,
    "regions_copied": 219,
    "kib_copied": 112128,
    "progress": {
      "percent": 85.5,
      "regions_left": 37,
      "regions_total": 256
    }
  },
  "metadata": null,
  "compare": null,
  "scheduler": null,
  "shadow": null,
  "extra_fields": []
}
)";

// The sections after the legs (v2_json shows the legs' keys).
constexpr const char* v7_json_from_retries = R"(  "read_retries": 0,
  "sync": {
    "regions": 256,
    "action": "idle",
    "rate_kib": 65536,
    "regions_copied": 219,
    "kib_copied": 112128,
    "progress": null
  },
  "metadata": "ok",
  "compare": {
    "resync_mode": "checksum",
    "blocks_compared": 16384,
    "blocks_copied": 164,
    "check_action": "verify",
    "check_regions_done": 37,
    "check_mismatches": 2
  },
  "scheduler": {
    "queue_depth": 64,
    "in_flight": 12,
    "rules": 2,
    "classes": [
      {
        "name": "critical",
        "weight": 200,
        "iops_limit": 0,
        "bw_limit": 0,
        "bios": 1000,
        "kib": 4000,
        "queued": 0,
        "waited": 7,
        "throttled": 0,
        "p50_us": 256,
        "p99_us": 1024
      },
      {
        "name": "test",
        "weight": 50,
        "iops_limit": 500,
        "bw_limit": 10240,
        "bios": 800,
        "kib": 3200,
        "queued": 9,
        "waited": 120,
        "throttled": 77,
        "p50_us": 2048,
        "p99_us": 65536
      }
    ]
  },
  "shadow": {
    "device": "253:2",
    "mode": "gate",
    "sample": 10,
    "pool_kib": 8192,
    "pool_used_kib": 64,
    "dropped": 5,
    "gate_failures": 2,
    "compared": 100,
    "mismatches": 3,
    "confined": 1,
    "confined_errors": 0,
    "ops": {
      "read": {
        "production": {
          "count": 100,
          "errors": 0,
          "p99_us": 512
        },
        "shadow": {
          "count": 100,
          "errors": 0,
          "p99_us": 128
        }
      },
      "write": {
        "production": {
          "count": 2048,
          "errors": 0,
          "p99_us": 1024
        },
        "shadow": {
          "count": 2049,
          "errors": 0,
          "p99_us": 256
        }
      },
      "flush": {
        "production": {
          "count": 0,
          "errors": 0,
          "p99_us": 0
        },
        "shadow": {
          "count": 0,
          "errors": 0,
          "p99_us": 0
        }
      },
      "discard": {
        "production": {
          "count": 7,
          "errors": 1,
          "p99_us": 64
        },
        "shadow": {
          "count": 7,
          "errors": 0,
          "p99_us": 32
        }
      }
    }
  },
  "extra_fields": [
    "11",
    "12"
  ]
}
)";

struct StatusJson : ::testing::Test, tandem::testing::CliRunner {
    StatusJson() { dm.add("tandem0", v2, "- 1024 2 253:1 253:2"); }
};

} // namespace

TEST(StatusJsonFormat, Version2WithTheResyncProgress) {
    EXPECT_EQ(format_status_json("tandem0", parse_status(v2)), v2_json);
}

TEST(StatusJsonFormat, EverySectionOfANewerVersion) {
    const std::string json = format_status_json("tandem0", parse_status(v7));
    EXPECT_THAT(json,
                StartsWith("{\n  \"device\": \"tandem0\",\n  \"version\": 7,\n  \"legs\": [\n"));
    EXPECT_THAT(json, HasSubstr("      \"role\": \"target\",\n      \"state\": \"alive\",\n"));
    EXPECT_THAT(json, EndsWith(std::string("\n  ],\n") + v7_json_from_retries));
}

TEST(StatusJsonFormat, SectionsAVersionLacksAreNull) {
    const std::string json = format_status_json("t", parse_status(v1));
    EXPECT_THAT(json, StartsWith("{\n  \"device\": \"t\",\n  \"version\": 1,\n"));
    EXPECT_THAT(json, HasSubstr("      \"state\": \"dead\",\n      \"letter\": \"D\",\n"));
    EXPECT_THAT(json,
                HasSubstr("      \"write_errors\": 1,\n      \"out_of_sync_regions\": null\n"));
    EXPECT_THAT(json, HasSubstr("  \"read_retries\": 2,\n"
                                "  \"sync\": null,\n"
                                "  \"metadata\": null,\n"
                                "  \"compare\": null,\n"
                                "  \"scheduler\": null,\n"
                                "  \"shadow\": null,\n"
                                "  \"extra_fields\": []\n}\n"));
}

TEST(StatusJsonFormat, NoShadowDeviceIsNull) {
    std::string line = v7;
    line.replace(line.find(" 253:2 gate "), 12, " - async ");
    const std::string json = format_status_json("t", parse_status(line));
    EXPECT_THAT(json,
                HasSubstr("  \"shadow\": {\n    \"device\": null,\n    \"mode\": \"async\",\n"));
}

TEST_F(StatusJson, TheCommandPrintsIt) {
    EXPECT_EQ(run({"status", "tandem0", "--json"}), exit_ok);
    EXPECT_EQ(out.str(), v2_json);
    EXPECT_EQ(err.str(), "");
    EXPECT_TRUE(dm.messages.empty());
}

TEST_F(StatusJson, Errors) {
    EXPECT_EQ(run({"status", "tandem0", "--json", "--raw"}), exit_usage);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: status: --raw and --json exclude each other\n"));
    EXPECT_EQ(run({"table", "tandem0", "--json"}), exit_usage);
    EXPECT_THAT(err.str(), StartsWith("tandemctl: table: unrecognised option '--json'"));
    EXPECT_EQ(factory_calls, 0);
    EXPECT_EQ(run({"status", "nosuch", "--json"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: status nosuch: no such device\n");
    dm.set_status("tandem0", "2 2 Aa 100 0");
    EXPECT_EQ(run({"status", "tandem0", "--json"}), exit_failure);
    EXPECT_EQ(out.str(), "");
    EXPECT_THAT(err.str(), StartsWith("tandemctl: tandem0: status: line ends before field 6"));
}
