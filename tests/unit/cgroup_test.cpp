// Cgroup ids from numbers and cgroup2 paths.
#include "cgroup2_mount.h"

#include "tandem/cgroup.h"
#include "tandem/errors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace tandem;
using tandem::testing::cgroup2_mount;
using ::testing::HasSubstr;

namespace fs = std::filesystem;

namespace {

std::string usage_error(std::string_view arg, std::string_view root = cgroup2_root) {
    try {
        return "(accepted: " + std::to_string(resolve_cgroup(arg, root)) + ")";
    } catch (const UsageError& e) {
        return e.what();
    }
}

// A directory of this test's own, removed afterwards.
struct ScratchDir {
    fs::path path = fs::temp_directory_path() / ("tandem-cgroup-test-" + std::to_string(getpid()));
    ScratchDir() { fs::create_directories(path / "sub"); }
    ~ScratchDir() { fs::remove_all(path); }
};

} // namespace

TEST(Cgroup, PlainNumbersAreIds) {
    EXPECT_EQ(resolve_cgroup("1234"), 1234u);
    EXPECT_EQ(resolve_cgroup("0"), 0u);
    EXPECT_EQ(resolve_cgroup("18446744073709551615"), UINT64_MAX);
}

TEST(Cgroup, MissingPathsAreRefused) {
    ScratchDir dir;
    EXPECT_EQ(usage_error("no/such", dir.path.string()),
              "cgroup: cannot use '" + dir.path.string() + "/no/such': No such file or directory");
    EXPECT_EQ(usage_error((dir.path / "gone").string()), "cgroup: cannot use '" +
                                                             (dir.path / "gone").string() +
                                                             "': No such file or directory");
    EXPECT_EQ(usage_error(""), "cgroup: expected a cgroup2 directory or a cgroup id, got ''");
}

TEST(Cgroup, FilesAndOtherFileSystemsAreRefused) {
    ScratchDir dir;
    std::ofstream(dir.path / "file") << "x";
    EXPECT_EQ(usage_error("file", dir.path.string()),
              "cgroup: '" + (dir.path / "file").string() +
                  "' is not a directory; a cgroup is a directory of the cgroup2 hierarchy");
    EXPECT_EQ(usage_error("sub", dir.path.string()),
              "cgroup: '" + (dir.path / "sub").string() +
                  "' is not on a cgroup2 file system (rules match cgroup2 cgroups only; is "
                  "cgroup2 mounted at /sys/fs/cgroup?)");
    // A number-like name is an id, never a path.
    EXPECT_EQ(resolve_cgroup("12", dir.path.string()), 12u);
}

TEST(Cgroup, Cgroup2DirectoriesResolveToTheirInode) {
    const std::string mount = cgroup2_mount();
    if (mount.empty())
        GTEST_SKIP() << "no cgroup2 file system mounted";
    struct stat st {};
    ASSERT_EQ(stat(mount.c_str(), &st), 0);
    EXPECT_EQ(resolve_cgroup(mount), st.st_ino);
    EXPECT_EQ(resolve_cgroup(".", mount), st.st_ino);
    EXPECT_EQ(resolve_cgroup(mount + "/"), st.st_ino);
}
