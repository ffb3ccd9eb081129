#include "tandem/table.h"

#include "tandem/fields.h"
#include "tandem/limits.h"

namespace tandem {

namespace {

void parse_features(FieldReader& in, TableConfig& t) {
    const std::size_t count = in.next_uint("#feature_args", 0, 1000);
    if (count != in.remaining())
        in.fail("#feature_args", "says " + std::to_string(count) + " but " +
                                     std::to_string(in.remaining()) +
                                     " feature argument(s) follow");

    while (!in.at_end()) {
        std::string_view feature = in.next("feature");
        if (feature == TANDEM_FEAT_NOSYNC) {
            if (t.nosync)
                in.fail("feature", "duplicate feature 'nosync'");
            t.nosync = true;
        } else if (feature == TANDEM_FEAT_READ_WEIGHTS) {
            if (t.read_weights)
                in.fail("feature", "duplicate feature 'read_weights'");
            if (in.remaining() < t.legs.size())
                in.fail("feature", "read_weights needs " + std::to_string(t.legs.size()) +
                                       " weights (one per leg), " + std::to_string(in.remaining()) +
                                       " given");
            std::vector<unsigned> weights;
            for (std::size_t i = 0; i < t.legs.size(); i++)
                weights.push_back(static_cast<unsigned>(
                    in.next_uint("read weight of leg " + std::to_string(i), 0, weight_total)));
            if (std::string problem = weights_problem(weights); !problem.empty())
                in.fail("read weight of leg " + std::to_string(t.legs.size() - 1), problem);
            t.read_weights = std::move(weights);
        } else if (feature == TANDEM_FEAT_SYNC_RATE) {
            if (t.sync_rate)
                in.fail("feature", "duplicate feature 'sync_rate'");
            if (in.at_end())
                in.fail("feature", "sync_rate needs a rate in KiB/s");
            t.sync_rate =
                static_cast<std::uint32_t>(in.next_uint("sync_rate (KiB/s)", 0, max_sync_rate));
        } else if (feature == TANDEM_FEAT_RESYNC_MODE) {
            if (t.resync_mode)
                in.fail("feature", "duplicate feature 'resync_mode'");
            if (in.at_end())
                in.fail("feature", "resync_mode needs copy or checksum");
            std::string_view mode = in.next("resync_mode");
            t.resync_mode = resync_mode_from_word(mode);
            if (t.resync_mode == ResyncMode::unknown)
                in.fail("resync_mode", std::string("expected ") + TANDEM_RESYNC_COPY + " or " +
                                           TANDEM_RESYNC_CHECKSUM + ", got '" + std::string(mode) +
                                           "'");
        } else {
            in.fail("feature", "unknown feature '" + std::string(feature) + "'");
        }
    }
}

} // namespace

TableConfig parse_table(std::string_view line) {
    FieldReader in("table", line);
    TableConfig t;

    std::string_view metadata = in.next("metadata_dev");
    if (metadata != "-")
        t.metadata_dev = std::string(metadata);

    std::string_view region = in.next("region_sectors");
    auto sectors = parse_uint(region, UINT32_MAX);
    if (!sectors || !valid_region_sectors(*sectors))
        in.fail("region_sectors", "expected a power of two " + std::to_string(min_region_sectors) +
                                      ".." + std::to_string(max_region_sectors) + ", got '" +
                                      std::string(region) + "'");
    t.region_sectors = static_cast<std::uint32_t>(*sectors);

    const auto nr_legs = in.next_uint("#legs", min_legs, max_legs);
    for (std::uint64_t i = 0; i < nr_legs; i++) {
        std::string_view leg = in.next("device of leg " + std::to_string(i));
        if (leg == "-")
            in.fail("device of leg " + std::to_string(i), "a leg needs a device, got '-'");
        t.legs.emplace_back(leg);
    }

    if (!in.at_end())
        parse_features(in, t);
    return t;
}

std::string format_table(const TableConfig& t) {
    std::string out = t.metadata_dev.value_or("-") + " " + std::to_string(t.region_sectors) + " " +
                      std::to_string(t.legs.size());
    for (const std::string& leg : t.legs)
        out += " " + leg;

    std::vector<std::string> features;
    if (t.nosync)
        features.emplace_back(TANDEM_FEAT_NOSYNC);
    if (t.read_weights) {
        features.emplace_back(TANDEM_FEAT_READ_WEIGHTS);
        for (unsigned w : *t.read_weights)
            features.push_back(std::to_string(w));
    }
    if (t.sync_rate) {
        features.emplace_back(TANDEM_FEAT_SYNC_RATE);
        features.push_back(std::to_string(*t.sync_rate));
    }
    if (t.resync_mode) {
        features.emplace_back(TANDEM_FEAT_RESYNC_MODE);
        features.emplace_back(to_string(*t.resync_mode));
    }
    if (!features.empty()) {
        out += " " + std::to_string(features.size());
        for (const std::string& f : features)
            out += " " + f;
    }
    return out;
}

} // namespace tandem
