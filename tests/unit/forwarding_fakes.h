// Owners that main_entry() can take and destroy while the fakes they
// forward to stay with the test, which inspects them afterwards.
#pragma once

#include "fake_cow_store.h"
#include "fake_device_mapper.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tandem::testing {

struct ForwardingDeviceMapper : DeviceMapper {
    FakeDeviceMapper& f;
    explicit ForwardingDeviceMapper(FakeDeviceMapper& fake)
        : f(fake) {}
    DeviceInfo info(const std::string& n) override { return f.info(n); }
    std::optional<std::string> find_by_uuid(const std::string& u) override {
        return f.find_by_uuid(u);
    }
    std::vector<DeviceEntry> list_devices() override { return f.list_devices(); }
    std::string status(const std::string& n) override { return f.status(n); }
    std::string table(const std::string& n) override { return f.table(n); }
    std::vector<TableLine> table_lines(const std::string& n) override { return f.table_lines(n); }
    void create(const std::string& n, const std::string& u, const TableLine& l) override {
        f.create(n, u, l);
    }
    void load(const std::string& n, const TableLine& l) override { f.load(n, l); }
    void clear(const std::string& n) override { f.clear(n); }
    void suspend(const std::string& n) override { f.suspend(n); }
    void resume(const std::string& n) override { f.resume(n); }
    void remove(const std::string& n) override { f.remove(n); }
    void rename(const std::string& n, const std::string& to) override { f.rename(n, to); }
    std::string message(const std::string& n, const std::string& t) override {
        return f.message(n, t);
    }
    std::uint32_t wait_event(const std::string& n, std::uint32_t e) override {
        return f.wait_event(n, e);
    }
    std::uint32_t wait_event_for(const std::string& n, std::uint32_t e,
                                 std::chrono::milliseconds t) override {
        return f.wait_event_for(n, e, t);
    }
};

struct ForwardingCowStore : CowStore {
    FakeCowStore& f;
    explicit ForwardingCowStore(FakeCowStore& fake)
        : f(fake) {}
    void create_file(const std::string& p, std::uint64_t b) override { f.create_file(p, b); }
    void remove_file(const std::string& p) override { f.remove_file(p); }
    std::optional<std::uint64_t> file_size(const std::string& p) override { return f.file_size(p); }
    std::unique_ptr<Loop> attach(const std::string& p) override { return f.attach(p); }
    std::optional<std::string> backing_file(DeviceNumber d) override { return f.backing_file(d); }
};

} // namespace tandem::testing
