// tandemd's state files on a real file system, under a temporary directory.
#include "state_files.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <stdexcept>

using namespace tandem::daemon;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "tandem-state-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

} // namespace

TEST(DiskStateFiles, WritesReadsReplacesAndRemoves) {
    TempDir tmp;
    DiskStateFiles files;
    const std::string path = (tmp.path / "state" / "tandem0.guard").string();
    EXPECT_EQ(files.read(path), std::nullopt);
    EXPECT_NO_THROW(files.remove(path));

    files.write(path, "one\n");
    EXPECT_EQ(files.read(path), "one\n");
    struct stat st {};
    ASSERT_EQ(::stat((tmp.path / "state").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    files.write(path, "two\n");
    EXPECT_EQ(files.read(path), "two\n");
    EXPECT_FALSE(fs::exists(path + ".new"));

    files.remove(path);
    EXPECT_EQ(files.read(path), std::nullopt);
}

TEST(DiskStateFiles, ErrorsSayWhatAndWhy) {
    TempDir tmp;
    DiskStateFiles files;
    // A file where the directory should be.
    const fs::path blocker = tmp.path / "blocker";
    DiskStateFiles().write(blocker.string(), "x");
    try {
        files.write((blocker / "tandem0.guard").string(), "x");
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()),
                  blocker.string() + "/tandem0.guard.new: cannot create: Not a directory");
    }
    EXPECT_THROW(files.read((blocker / "tandem0.guard").string()), std::runtime_error);
}
