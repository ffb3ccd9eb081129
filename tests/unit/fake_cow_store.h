// An in-memory CowStore for tests: files by path and size, loop devices
// 7:0, 7:1, ... that keep their backing file (as the snapshot holding
// them would), a record of every call, and failures on demand.
#pragma once

#include "tandem/cow_store.h"

#include <cerrno>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace tandem::testing {

class FakeCowStore : public CowStore {
public:
    std::map<std::string, std::uint64_t> files; // path -> size
    std::map<std::string, std::string> backing; // "7:<n>" -> file
    // "create_file <path>", "remove_file <path>", "attach <path>",
    // "release /dev/loop<n>", in call order, failed ones too.
    std::vector<std::string> calls;
    // Each entry makes one such call fail (with EIO), then is used up.
    std::multiset<std::string> fail;
    int loops_held = 0; // Loop handles not destroyed yet

    void create_file(const std::string& path, std::uint64_t bytes) override {
        call("create_file " + path);
        if (files.count(path))
            throw std::system_error(EEXIST, std::generic_category(), "create " + path);
        files[path] = bytes;
    }

    void remove_file(const std::string& path) override {
        call("remove_file " + path);
        files.erase(path);
    }

    std::optional<std::uint64_t> file_size(const std::string& path) override {
        auto it = files.find(path);
        if (it == files.end())
            return std::nullopt;
        return it->second;
    }

    std::unique_ptr<Loop> attach(const std::string& path) override {
        call("attach " + path);
        if (!files.count(path))
            throw std::system_error(ENOENT, std::generic_category(), "open " + path);
        const DeviceNumber number{7, next_loop_++};
        backing[to_string(number)] = path;
        return std::make_unique<FakeLoop>(*this, number);
    }

    std::optional<std::string> backing_file(DeviceNumber device) override {
        auto it = backing.find(to_string(device));
        if (it == backing.end() || !files.count(it->second))
            return std::nullopt;
        return it->second;
    }

private:
    class FakeLoop : public Loop {
    public:
        FakeLoop(FakeCowStore& store, DeviceNumber number)
            : store_(store)
            , number_(number) {
            store_.loops_held++;
        }
        ~FakeLoop() override {
            store_.loops_held--;
            store_.calls.push_back("release " + path());
        }
        std::string path() const override { return "/dev/loop" + std::to_string(number_.minor); }
        DeviceNumber number() const override { return number_; }

    private:
        FakeCowStore& store_;
        DeviceNumber number_;
    };

    std::uint32_t next_loop_ = 0;

    void call(const std::string& what) {
        calls.push_back(what);
        if (auto it = fail.find(what); it != fail.end()) {
            fail.erase(it);
            throw std::system_error(EIO, std::generic_category(), what + ": injected failure");
        }
    }
};

} // namespace tandem::testing
