// What shadow create stands on: sizes with suffixes, device numbers, the
// COW files of HostCowStore, and a loop device's backing file in sysfs.
#include "tandem/byte_size.h"
#include "tandem/cow_store.h"
#include "tandem/device_number.h"
#include "tandem/loop_device.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

using namespace tandem;

namespace {

// A fresh directory, removed with everything in it.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "tandem-cow-test-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

} // namespace

TEST(ByteSize, NumbersAndBinarySuffixes) {
    EXPECT_EQ(parse_byte_size("0"), 0u);
    EXPECT_EQ(parse_byte_size("4096"), 4096u);
    EXPECT_EQ(parse_byte_size("4K"), 4096u);
    EXPECT_EQ(parse_byte_size("4k"), 4096u);
    EXPECT_EQ(parse_byte_size("32M"), 32u << 20);
    EXPECT_EQ(parse_byte_size("2g"), 2ull << 30);
    EXPECT_EQ(parse_byte_size("1T"), 1ull << 40);
    EXPECT_EQ(parse_byte_size("18446744073709551615"), UINT64_MAX);
    EXPECT_EQ(parse_byte_size("16777215T"), 16777215ull << 40);
}

TEST(ByteSize, AnythingElseIsRefused) {
    for (const char* text : {"", "K", "-1", "+1", "1.5G", "1 G", "1G ", "1GB", "1GiB", "1P", "0x10",
                             "16777216T", "18446744073709551616"})
        EXPECT_FALSE(parse_byte_size(text).has_value()) << text;
}

TEST(DeviceNumbers, ParseAndPrint) {
    EXPECT_EQ(parse_device_number("253:2"), (DeviceNumber{253, 2}));
    EXPECT_EQ(parse_device_number("7:0"), (DeviceNumber{7, 0}));
    EXPECT_EQ(parse_device_number("4294967295:4294967295"),
              (DeviceNumber{4294967295u, 4294967295u}));
    for (const char* text :
         {"", "253", "253:", ":2", "253:2:1", "a:b", "-1:2", "4294967296:0", "/dev/loop0"})
        EXPECT_FALSE(parse_device_number(text).has_value()) << text;
    EXPECT_EQ(to_string(DeviceNumber{253, 12}), "253:12");
}

TEST(LoopBackingFile, ReadFromSysfs) {
    TempDir sysfs;
    const auto loop = sysfs.path / "dev/block/7:3/loop";
    std::filesystem::create_directories(loop);
    std::ofstream(loop / "backing_file") << "/var/lib/tandem/t-cow.img\n";
    EXPECT_EQ(loop_backing_file(DeviceNumber{7, 3}, sysfs.path.string()),
              "/var/lib/tandem/t-cow.img");
    // Not a loop device, or no such device.
    std::filesystem::create_directories(sysfs.path / "dev/block/253:1");
    EXPECT_FALSE(loop_backing_file(DeviceNumber{253, 1}, sysfs.path.string()).has_value());
    EXPECT_FALSE(loop_backing_file(DeviceNumber{7, 9}, sysfs.path.string()).has_value());
    // A file deleted while attached is no file to delete.
    std::ofstream(loop / "backing_file") << "/var/lib/tandem/t-cow.img (deleted)\n";
    EXPECT_FALSE(loop_backing_file(DeviceNumber{7, 3}, sysfs.path.string()).has_value());
}

TEST(HostCowStore, MakesSparseFilesAndTheirDirectory) {
    TempDir dir;
    HostCowStore store;
    const std::string file = (dir.path / "a/b/cow.img").string();
    EXPECT_FALSE(store.file_size(file).has_value());
    store.create_file(file, 1ull << 30);
    EXPECT_EQ(store.file_size(file), 1ull << 30);
    // Sparse: the gigabyte takes no blocks.
    struct stat st {};
    ASSERT_EQ(::stat(file.c_str(), &st), 0);
    EXPECT_LT(st.st_blocks, 64);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // An existing file is refused and kept.
    EXPECT_THROW(store.create_file(file, 4096), std::system_error);
    EXPECT_EQ(store.file_size(file), 1ull << 30);
    store.remove_file(file);
    EXPECT_FALSE(store.file_size(file).has_value());
    EXPECT_NO_THROW(store.remove_file(file));
}

TEST(HostCowStore, FailuresNameTheFile) {
    HostCowStore store;
    try {
        store.attach("/nonexistent/cow.img");
        FAIL() << "attached a missing file";
    } catch (const std::system_error& e) {
        EXPECT_NE(std::string(e.what()).find("open /nonexistent/cow.img"), std::string::npos)
            << e.what();
    }
}
