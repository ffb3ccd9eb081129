// tandemctl list and devices named by uuid: which devices are tandem
// devices (a TANDEM- uuid or a table of one tandem line), the line and the
// JSON object of each, a device whose status cannot be read, and
// "uuid:<UUID>" resolved to the device's name once for every command.
#include "cli_runner.h"
#include "tandemctl_host_runner.h"
#include "tandemctl_usage_error.h"
#include "v2_status_line.h"

#include "cli.h"
#include "list_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace tandem;
using namespace tandem::cli;
using tandem::testing::FakeDeviceMapper;
using tandem::testing::usage_error;
using tandem::testing::v2_status;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

namespace {

constexpr const char* tandem_table = "- 1024 2 8:16 8:32";

struct List : ::testing::Test, tandem::testing::CliRunner {
    void add(const std::string& name, const std::string& uuid, const std::string& status,
             const std::string& type = "tandem", const std::string& table = tandem_table) {
        dm.add(name, status, table);
        dm.devices.at(name).uuid = uuid;
        dm.devices.at(name).type = type;
    }

    // A machine with tandem devices among others: found by uuid, by table
    // (no uuid, another uuid), and neither (a linear leg, an LVM volume).
    void add_mixed() {
        add("vol", "TANDEM-vol", v2_status("Aa", {0, 37}));
        add("mirror", "", "1 2 AA 60 40 0 0 0 0 0 0 0 0 0");
        add("custom-uuid", "CUSTOM-1", v2_status("AD", {0, 12}, "idle"));
        add("lsrc", "", "", "linear", "8:16 0");
        add("vg-lv", "LVM-abc", "", "linear", "8:32 0");
    }
};

nlohmann::json parse_json(const std::string& text) {
    return nlohmann::json::parse(text);
}

// A FakeDeviceMapper whose list names a device removed before it is read.
struct RacingDm : FakeDeviceMapper {
    std::vector<DeviceEntry> list_devices() override {
        std::vector<DeviceEntry> out = FakeDeviceMapper::list_devices();
        out.insert(out.begin(), DeviceEntry{"gone", "TANDEM-gone"});
        out.insert(out.begin(), DeviceEntry{"gone-too", ""});
        return out;
    }
};

} // namespace

// --- list --------------------------------------------------------------------------

TEST(ListArguments, TakesOnlyJson) {
    EXPECT_FALSE(std::get<ListFlags>(parse_command_line({"list"})).json);
    EXPECT_TRUE(std::get<ListFlags>(parse_command_line({"list", "--json"})).json);
    EXPECT_THAT(usage_error({"list", "vol"}), StartsWith("list: takes no device\n"
                                                         "usage: tandemctl list [--json]"));
    EXPECT_THAT(usage_error({"list", "--raw"}), StartsWith("list: unrecognised option '--raw'"));
    const std::string help = std::get<Help>(parse_command_line({"list", "--help"})).text;
    EXPECT_THAT(help, StartsWith("usage: tandemctl list [--json]\n"));
    EXPECT_THAT(help, HasSubstr("--json"));
    EXPECT_THAT(std::get<Help>(parse_command_line({"--help"})).text,
                HasSubstr("  list          [--json]\n"));
}

TEST_F(List, OneLinePerTandemDeviceSortedByName) {
    add_mixed();
    EXPECT_EQ(run({"list"}), exit_ok) << err.str();
    EXPECT_EQ(out.str(),
              "custom-uuid  CUSTOM-1    legs AD  weights 100 0  leg 1 (failed) lacks 12/256 "
              "regions\n"
              "mirror       -           legs AA  weights 60 40  sync not reported (status "
              "version 1)\n"
              "vol          TANDEM-vol  legs Aa  weights 100 0  resync  85.5%, 37/256 regions "
              "left\n");
    EXPECT_EQ(err.str(), "");
}

TEST_F(List, InSync) {
    add("vol", "TANDEM-vol", v2_status("AA", {0, 0}, "idle"));
    EXPECT_EQ(run({"list"}), exit_ok);
    EXPECT_EQ(out.str(), "vol  TANDEM-vol  legs AA  weights 100 0  in sync\n");
}

TEST_F(List, NoTandemDevicePrintsNothing) {
    add("lsrc", "", "", "linear", "8:16 0");
    EXPECT_EQ(run({"list"}), exit_ok);
    EXPECT_EQ(out.str(), "");
    EXPECT_EQ(run({"list", "--json"}), exit_ok);
    EXPECT_EQ(out.str(), "[]\n");
}

TEST_F(List, JsonHasEachDevicesStatusAsStatusJsonPrintsIt) {
    add_mixed();
    EXPECT_EQ(run({"list", "--json"}), exit_ok) << err.str();
    const nlohmann::json list = parse_json(out.str());
    ASSERT_TRUE(list.is_array());
    ASSERT_EQ(list.size(), 3u);
    EXPECT_EQ(list[0]["name"], "custom-uuid");
    EXPECT_EQ(list[0]["uuid"], "CUSTOM-1");
    EXPECT_EQ(list[1]["name"], "mirror");
    EXPECT_TRUE(list[1]["uuid"].is_null());
    EXPECT_TRUE(list[1]["status"]["sync"].is_null());
    const nlohmann::json& vol = list[2];
    EXPECT_EQ(vol["name"], "vol");
    EXPECT_EQ(vol["uuid"], "TANDEM-vol");
    EXPECT_TRUE(vol["error"].is_null());
    EXPECT_EQ(vol["status"]["legs"][1]["state"], "syncing");
    EXPECT_EQ(vol["status"]["legs"][0]["weight"], 100);
    EXPECT_EQ(vol["status"]["sync"]["progress"]["percent"], 85.5);
    EXPECT_EQ(vol["status"]["sync"]["progress"]["regions_left"], 37);

    // The same object `status --json` prints for the device.
    const nlohmann::json listed = vol["status"];
    EXPECT_EQ(run({"status", "vol", "--json"}), exit_ok);
    EXPECT_EQ(listed, parse_json(out.str()));
}

TEST_F(List, ADeviceWhoseStatusCannotBeReadIsListedWithTheReason) {
    add("vol", "TANDEM-vol", v2_status("AA", {0, 0}, "idle"));
    // Its uuid makes it a tandem device, but its table was replaced.
    add("half-made", "TANDEM-half-made", "0 0", "linear", "8:16 0");
    EXPECT_EQ(run({"list"}), exit_failure);
    EXPECT_THAT(out.str(), StartsWith("half-made  TANDEM-half-made  status unavailable: "
                                      "half-made: "));
    EXPECT_THAT(out.str(), HasSubstr("\nvol        TANDEM-vol        legs AA"));

    EXPECT_EQ(run({"list", "--json"}), exit_failure);
    const nlohmann::json list = parse_json(out.str());
    ASSERT_EQ(list.size(), 2u);
    EXPECT_TRUE(list[0]["status"].is_null());
    EXPECT_THAT(list[0]["error"].get<std::string>(), HasSubstr("in '0 0'"));
    EXPECT_FALSE(list[1]["status"].is_null());
}

TEST(ListRun, ADeviceRemovedWhileListingIsLeftOut) {
    RacingDm dm;
    dm.add("vol", v2_status("AA", {0, 0}, "idle"), tandem_table);
    dm.devices.at("vol").uuid = "TANDEM-vol";
    std::ostringstream out;
    EXPECT_EQ(run_list(ListFlags{}, dm, out), exit_ok);
    EXPECT_EQ(out.str(), "vol  TANDEM-vol  legs AA  weights 100 0  in sync\n");
}

// --- uuid:<UUID> in place of a device name --------------------------------------

TEST_F(List, StatusByUuid) {
    add("vol-renamed", "TANDEM-vol", "1 2 AA 60 40 0 0 0 0 0 0 0 0 0");
    EXPECT_EQ(run({"status", "uuid:TANDEM-vol"}), exit_ok) << err.str();
    EXPECT_THAT(out.str(), StartsWith("vol-renamed: 2 legs, status version 1\n"));
    const std::string by_uuid = out.str();
    EXPECT_EQ(run({"status", "vol-renamed"}), exit_ok);
    EXPECT_EQ(out.str(), by_uuid);
    EXPECT_EQ(factory_calls, 2);
}

TEST_F(List, ACommandByUuidActsOnTheDeviceItNames) {
    add("vol", "TANDEM-vol", "1 2 AA 60 40 0 0 0 0 0 0 0 0 0");
    add("other", "TANDEM-other", "1 2 AA 60 40 0 0 0 0 0 0 0 0 0");
    EXPECT_EQ(run({"weights", "uuid:TANDEM-other", "50", "50"}), exit_ok) << err.str();
    EXPECT_EQ(out.str(), "other: read weights set to 50 50\n");
    EXPECT_THAT(dm.messages,
                ElementsAre(std::make_pair(std::string("other"), std::string("weights 50 50"))));
}

TEST_F(List, NoDeviceWithTheUuidChangesNothing) {
    add("vol", "TANDEM-vol", "1 2 AA 60 40 0 0 0 0 0 0 0 0 0");
    EXPECT_EQ(run({"fail-leg", "uuid:TANDEM-nope", "1"}), exit_failure);
    EXPECT_EQ(err.str(), "tandemctl: no device has uuid TANDEM-nope ('tandemctl list' shows the "
                         "tandem devices' uuids)\n");
    EXPECT_EQ(out.str(), "");
    EXPECT_THAT(dm.messages, IsEmpty());
    EXPECT_THAT(dm.status_calls, IsEmpty());
}

TEST_F(List, AnEmptyUuidIsRefusedBeforeAnyDeviceIsOpened) {
    EXPECT_EQ(run({"status", "uuid:"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: status: 'uuid:': no uuid after 'uuid:'\n");
    EXPECT_EQ(factory_calls, 0);
    EXPECT_EQ(usage_error({"shadow", "uuid:", "on"}), "shadow: 'uuid:': no uuid after 'uuid:'");
    EXPECT_EQ(usage_error({"remove", "uuid:"}), "remove: 'uuid:': no uuid after 'uuid:'");
}

TEST_F(List, CreateTakesANameNotAUuid) {
    EXPECT_EQ(run({"create", "uuid:TANDEM-vol", "--legs", "/dev/a,/dev/b"}), exit_usage);
    EXPECT_EQ(err.str(), "tandemctl: create: 'uuid:TANDEM-vol': give the new device's name; its "
                         "uuid will be TANDEM-<dev>\n");
    EXPECT_EQ(factory_calls, 0);
}

TEST_F(List, UsageSaysADeviceMayBeNamedByUuid) {
    EXPECT_EQ(run({"--help"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("uuid:<UUID>"));
}

// resync --wait waits on the device the uuid names, as by its name.
TEST(ResyncByUuid, WaitsOnTheResolvedDevice) {
    tandem::testing::HostRunner host;
    const std::string failed = v2_status("AD", {0, 37}, "idle");
    const std::string syncing = v2_status("Aa", {0, 37});
    const std::string in_sync = v2_status("AA", {0, 0}, "idle");
    host.dm.add("t0-now", failed, tandem_table);
    host.dm.devices.at("t0-now").uuid = "TANDEM-t0";
    host.dm.status_after_message["reinstate_leg 1"] = syncing;
    host.dm.statuses_after_wait["t0-now"] = {in_sync};
    EXPECT_EQ(host.run({"resync", "uuid:TANDEM-t0", "1", "--wait"}), exit_ok) << host.err.str();
    EXPECT_EQ(host.out.str(), "t0-now: leg 1 reinstated; resyncing the 37/256 regions it missed\n"
                              "t0-now: resync  85.5%  37/256 regions left  ETA 1s\n"
                              "t0-now: in sync: 2 legs, 256 regions\n");
}
