// KernelLog: reading records from a point on (a plain file stands in for
// /dev/kmsg), and finding the target's reason for a refused message.
#include "tandem/kernel_log.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

using namespace tandem;

namespace {

constexpr const char* refusal =
    "device-mapper: tandem: cp: message 'reinstate_leg' rejected: Leg missed writes while "
    "failed and needs a resync, which this device cannot do";

struct TempFile {
    std::string path;
    TempFile() {
        char name[] = "/tmp/kernel_log_test.XXXXXX";
        int fd = ::mkstemp(name);
        if (fd >= 0)
            ::close(fd);
        path = name;
    }
    ~TempFile() { std::remove(path.c_str()); }
    void append(const std::string& text) { std::ofstream(path, std::ios::app) << text; }
};

} // namespace

TEST(KernelLog, KmsgTextDropsThePrefixAndContinuationLines) {
    EXPECT_EQ(kmsg_text("4,1234,5678,-;device-mapper: tandem: x"), "device-mapper: tandem: x");
    EXPECT_EQ(kmsg_text("6,1,2,c;a;b"), "a;b");
    EXPECT_FALSE(kmsg_text(" SUBSYSTEM=block"));
    EXPECT_FALSE(kmsg_text("no prefix"));
    EXPECT_FALSE(kmsg_text(""));
}

TEST(KernelLog, RejectionReasonMatchesDeviceAndVerb) {
    EXPECT_EQ(rejection_reason(refusal, "cp", "reinstate_leg"),
              "Leg missed writes while failed and needs a resync, which this device cannot do");
    EXPECT_EQ(rejection_reason("device-mapper: tandem: 253:2: message 'fail_leg' rejected: "
                               "Refusing to fail the last healthy leg\n",
                               "253:2", "fail_leg"),
              "Refusing to fail the last healthy leg");
    EXPECT_FALSE(rejection_reason(refusal, "c", "reinstate_leg"));
    EXPECT_FALSE(rejection_reason(refusal, "xcp", "reinstate_leg"));
    EXPECT_FALSE(rejection_reason("device-mapper: tandem: 253:12: message 'fail_leg' rejected: "
                                  "Leg is already failed",
                                  "253:2", "fail_leg"));
    EXPECT_FALSE(rejection_reason(refusal, "cp", "fail_leg"));
    EXPECT_FALSE(
        rejection_reason("device-mapper: tandem: cp: leg 1 reinstated", "cp", "reinstate_leg"));
    EXPECT_FALSE(rejection_reason("device-mapper: tandem: cp: message 'x' rejected: ", "cp", "x"));
}

TEST(KernelLog, TableErrorReasonMatchesTheDevice) {
    const std::string refused = "device-mapper: table: 253:3: tandem: Shadow device is smaller "
                                "than the target (-EINVAL)\n";
    EXPECT_EQ(table_error_reason(refused, "253:3"),
              "tandem: Shadow device is smaller than the target (-EINVAL)");
    EXPECT_EQ(table_error_reason(refused, ""),
              "tandem: Shadow device is smaller than the target (-EINVAL)");
    EXPECT_FALSE(table_error_reason(refused, "253:30"));
    EXPECT_FALSE(table_error_reason(refused, "253:"));
    EXPECT_FALSE(table_error_reason("device-mapper: ioctl: error adding target to table", ""));
    EXPECT_FALSE(table_error_reason("device-mapper: table: 253:3: ", "253:3"));
}

TEST(KernelLog, ReadsOnlyWhatWasLoggedAfterItOpened) {
    TempFile log;
    log.append("6,1,100,-;before\n");
    KernelLog reader(log.path);
    EXPECT_TRUE(reader.read_new().empty());

    log.append(std::string("4,2,200,-;") + refusal + "\n SUBSYSTEM=block\n6,3,300,-;after\n");
    log.append("6,4,400,-;half");
    EXPECT_EQ(reader.read_new(), (std::vector<std::string>{refusal, "after"}));
    log.append(" a line\n");
    EXPECT_EQ(reader.read_new(), (std::vector<std::string>{"half a line"}));
    EXPECT_TRUE(reader.read_new().empty());
}

TEST(KernelLog, AnUnreadableLogFindsNothing) {
    KernelLog reader("/nonexistent/kmsg");
    EXPECT_TRUE(reader.read_new().empty());
}
