// `tandemctl metadata dump|check`: the views and exit statuses over
// synthetic images, and the command end to end on an image file.
#include "metadata_image.h"

#include "cli.h"

#include "tandem/byte_size.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

using namespace tandem;
using namespace tandem::cli;
using tandem::testing::failed_legs;
using tandem::testing::MetadataImage;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

// An image as the target leaves it after a clean stop with leg 1 failed
// and regions 10, 11 and 100 written meanwhile.
MetadataImage leg1_missed_three() {
    MetadataImage img(failed_legs({false, true}));
    for (std::uint64_t r : {10, 11, 100})
        img.set_bit(1, r);
    img.write_super({0, 3});
    return img;
}

struct Outcome {
    int status = -1;
    std::string out;
};

Outcome run(MetadataFlags::Action action, MetadataImage& img, bool bits = false,
            std::vector<std::string> holders = {}) {
    std::ostringstream out;
    MetadataFlags flags{action, "/dev/mapper/meta", bits};
    Outcome r;
    r.status = run_metadata(flags, img, holders, out);
    r.out = out.str();
    return r;
}

constexpr auto dump = MetadataFlags::Action::dump;
constexpr auto check = MetadataFlags::Action::check;

} // namespace

TEST(TandemctlMetadata, Dump) {
    MetadataImage img = leg1_missed_three();
    const Outcome r = run(dump, img);
    EXPECT_EQ(r.status, exit_ok);
    EXPECT_EQ(r.out, "/dev/mapper/meta: tandem metadata version 1\n"
                     "  uuid:      00112233-4455-6677-8899-aabbccddeeff\n"
                     "  events:    7 superblock writes\n"
                     "  state:     clean (stopped with no write in flight)\n"
                     "  target:    262144 sectors (128 MiB)\n"
                     "  regions:   256 of 1024 sectors (512 KiB)\n"
                     "  legs:      2\n"
                     "  bitmaps:   1 block per leg, 3 blocks in all (12 KiB) on a device of 12 "
                     "KiB\n"
                     " leg  state    out_of_sync  bits_set\n"
                     "   0  healthy            0         0\n"
                     "   1  failed             3         3\n");
}

TEST(TandemctlMetadata, DumpBitsAndANotCleanSuperblock) {
    tandem::testing::ImageSpec spec = tandem::testing::geometry(40000 * 8, 8, 3);
    spec.clean = false;
    MetadataImage img(spec);
    for (std::uint64_t r : {0, 1, 2, 32639, 32640, 39999})
        img.set_bit(2, r);
    img.write_super({0, 0, 6});
    const Outcome r = run(dump, img, true);
    EXPECT_EQ(r.status, exit_ok);
    EXPECT_THAT(r.out, HasSubstr("  state:     not clean (in use, or stopped without a clean "
                                 "shutdown: regions with a bit set on every healthy leg are "
                                 "resynced)\n"));
    EXPECT_THAT(r.out, HasSubstr("  regions:   40000 of 8 sectors (4 KiB)\n"));
    EXPECT_THAT(r.out, HasSubstr("  bitmaps:   2 blocks per leg, 7 blocks in all (28 KiB)"));
    EXPECT_THAT(r.out, HasSubstr("   2  healthy            6         6\n"
                                 "leg 0 set regions: none\n"
                                 "leg 1 set regions: none\n"
                                 "leg 2 set regions: 0-2 32639-32640 39999\n"));
}

TEST(TandemctlMetadata, DumpShowsProblemsAfterwards) {
    MetadataImage img = leg1_missed_three();
    img.flip(2, 16 + 12); // regions 96..103 of leg 1 (100 was set), checksum left alone
    const Outcome r = run(dump, img);
    EXPECT_EQ(r.status, exit_ok);
    EXPECT_THAT(r.out, HasSubstr("   1  failed             3         9\n"
                                 "error: block 2 (bitmap block 0 of leg 1): checksum mismatch: "));
}

TEST(TandemctlMetadata, DumpOfSomethingElse) {
    MetadataImage blank = MetadataImage::blank(4);
    Outcome r = run(dump, blank);
    EXPECT_EQ(r.status, exit_ok);
    EXPECT_EQ(r.out, "/dev/mapper/meta: blank (will be formatted on first use)\n");

    MetadataImage img;
    img.super()->magic = 0;
    img.seal(0);
    r = run(dump, img);
    EXPECT_EQ(r.status, exit_failure);
    EXPECT_THAT(r.out, StartsWith("/dev/mapper/meta: not tandem metadata\n"
                                  "error: block 0 (superblock): bad magic 0x0000000000000000"));

    MetadataImage v2;
    v2.super()->version = 2;
    v2.seal(0);
    r = run(dump, v2);
    EXPECT_EQ(r.status, exit_failure);
    EXPECT_EQ(r.out, "/dev/mapper/meta: tandem metadata version 2\n"
                     "error: block 0 (superblock): unsupported metadata version 2 (this "
                     "tandemctl reads version 1)\n");
}

TEST(TandemctlMetadata, CheckValid) {
    MetadataImage img = leg1_missed_three();
    const Outcome r = run(check, img);
    EXPECT_EQ(r.status, exit_ok);
    EXPECT_EQ(r.out, "/dev/mapper/meta: valid tandem metadata: 2 legs, 256 regions, 3 blocks "
                     "checked\n");
}

TEST(TandemctlMetadata, CheckValidWithWarnings) {
    MetadataImage img = leg1_missed_three();
    img.set_bit(1, 12);
    const Outcome r = run(check, img);
    EXPECT_EQ(r.status, exit_ok);
    EXPECT_EQ(r.out, "/dev/mapper/meta: valid tandem metadata: 2 legs, 256 regions, 3 blocks "
                     "checked, 1 warning\n"
                     "warning: superblock: leg 1 out_of_sync is 3, but its bitmap has 4 bits set "
                     "(the target updates the count only when it writes the superblock)\n");
}

TEST(TandemctlMetadata, CheckNamesTheBadBlock) {
    MetadataImage img = leg1_missed_three();
    img.flip(2, 1000);
    const Outcome r = run(check, img);
    EXPECT_EQ(r.status, exit_failure);
    EXPECT_THAT(r.out, StartsWith("/dev/mapper/meta: invalid tandem metadata: 1 error\n"
                                  "error: block 2 (bitmap block 0 of leg 1): checksum mismatch: "
                                  "stored 0x"));
}

TEST(TandemctlMetadata, CheckBlankTruncatedAndForeign) {
    MetadataImage blank = MetadataImage::blank(1);
    Outcome r = run(check, blank);
    EXPECT_EQ(r.status, exit_ok);
    EXPECT_EQ(r.out, "/dev/mapper/meta: blank (will be formatted on first use)\n");

    MetadataImage cut = leg1_missed_three();
    cut.truncate(4096 + 4095);
    r = run(check, cut);
    EXPECT_EQ(r.status, exit_failure);
    EXPECT_THAT(r.out, HasSubstr("blocks 1..2 are missing"));

    MetadataImage empty = MetadataImage::blank(0);
    r = run(check, empty);
    EXPECT_EQ(r.status, exit_failure);
    EXPECT_EQ(r.out, "/dev/mapper/meta: not tandem metadata\n"
                     "error: device: 0 bytes, too small to hold a superblock (4096 bytes)\n");
}

TEST(TandemctlMetadata, AHeldDeviceIsMentioned) {
    MetadataImage img = leg1_missed_three();
    const Outcome r = run(check, img, false, {"dm-3"});
    EXPECT_EQ(r.status, exit_ok);
    EXPECT_THAT(r.out, StartsWith("note: in use by dm-3 (a live table?): what is on disk may lag "
                                  "behind it"));
}

TEST(TandemctlMetadata, FormatBytes) {
    EXPECT_EQ(format_bytes(0), "0 bytes");
    EXPECT_EQ(format_bytes(1000), "1000 bytes");
    EXPECT_EQ(format_bytes(12288), "12 KiB");
    EXPECT_EQ(format_bytes(134217728), "128 MiB");
    EXPECT_EQ(format_bytes(1610612736), "1.5 GiB");
}

namespace {

// main_entry with a factory that must not be called.
struct EndToEnd : ::testing::Test {
    std::ostringstream out, err;
    int factory_calls = 0;
    std::filesystem::path dir;

    EndToEnd() {
        dir = std::filesystem::temp_directory_path() /
              ("tandemctl-metadata-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
    }
    ~EndToEnd() override { std::filesystem::remove_all(dir); }

    std::string write(const std::string& name, const std::vector<std::byte>& bytes) {
        const std::filesystem::path p = dir / name;
        std::ofstream f(p, std::ios::binary);
        f.write(reinterpret_cast<const char*>(bytes.data()),
                static_cast<std::streamsize>(bytes.size()));
        return p.string();
    }

    int run(std::vector<std::string> args) {
        out.str("");
        err.str("");
        return main_entry(
            args,
            [this]() -> std::unique_ptr<DeviceMapper> {
                ++factory_calls;
                return nullptr;
            },
            out, err);
    }
};

} // namespace

TEST_F(EndToEnd, DumpAndCheckAnImageFile) {
    MetadataImage img = leg1_missed_three();
    const std::string path = write("meta.img", img.bytes());
    EXPECT_EQ(run({"metadata", "check", path}), exit_ok);
    EXPECT_EQ(out.str(), path + ": valid tandem metadata: 2 legs, 256 regions, 3 blocks checked\n");
    EXPECT_EQ(run({"metadata", "dump", path, "--bits"}), exit_ok);
    EXPECT_THAT(out.str(), HasSubstr("   1  failed             3         3\n"
                                     "leg 0 set regions: none\n"
                                     "leg 1 set regions: 10-11 100\n"));

    img.flip(1, 4000);
    const std::string bad = write("bad.img", img.bytes());
    EXPECT_EQ(run({"metadata", "check", bad}), exit_failure);
    EXPECT_THAT(out.str(), HasSubstr("error: block 1 (bitmap block 0 of leg 0): checksum"));
    EXPECT_EQ(factory_calls, 0);
}

TEST_F(EndToEnd, AFileThatCannotBeRead) {
    EXPECT_EQ(run({"metadata", "check", (dir / "nosuch.img").string()}), exit_failure);
    EXPECT_EQ(err.str(),
              "tandemctl: " + (dir / "nosuch.img").string() + ": No such file or directory\n");
    EXPECT_EQ(run({"metadata", "dump", dir.string()}), exit_failure);
    EXPECT_THAT(err.str(), HasSubstr("neither a block device nor a regular file"));
    EXPECT_EQ(factory_calls, 0);
}
