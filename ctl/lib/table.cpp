#include "tandem/table.h"

#include "tandem/errors.h"
#include "tandem/fields.h"
#include "tandem/limits.h"

namespace tandem {

namespace {

// A value checked by one of the limits.h `*_problem` functions.
std::uint64_t next_checked(FieldReader& in, const std::string& name,
                           std::string (*problem)(std::uint64_t)) {
    std::string_view field = in.next(name);
    auto value = parse_uint(field);
    if (!value)
        in.fail(name, "expected a whole number, got '" + std::string(field) + "'");
    if (std::string bad = problem(*value); !bad.empty())
        in.fail(name, bad);
    return *value;
}

void parse_class_feature(FieldReader& in, TableConfig& t) {
    if (in.remaining() < 4)
        in.fail("feature", "class needs a name, a weight, an iops and a bw limit");
    if (t.classes.size() == max_classes)
        in.fail("feature", "more than " + std::to_string(max_classes) + " classes");
    TableClass cls;
    std::string_view name = in.next("class name");
    if (std::string problem = class_name_problem(name); !problem.empty())
        in.fail("class name", problem);
    for (const TableClass& seen : t.classes) {
        if (seen.name == name)
            in.fail("class name", "class '" + std::string(name) + "' is given twice");
    }
    cls.name = std::string(name);
    const std::string of = " of class " + cls.name;
    cls.weight = static_cast<unsigned>(next_checked(in, "weight" + of, class_weight_problem));
    cls.iops_limit =
        static_cast<std::uint32_t>(next_checked(in, "iops limit" + of, iops_limit_problem));
    cls.bw_limit = static_cast<std::uint32_t>(next_checked(in, "bw limit" + of, bw_limit_problem));
    t.classes.push_back(std::move(cls));
}

void parse_rule_feature(FieldReader& in, TableConfig& t) {
    // The class, one word per kind of match and the route.
    constexpr std::uint64_t max_words = 6;
    if (in.at_end())
        in.fail("feature", "rule needs a word count of 1.." + std::to_string(max_words));
    const std::string name = "rule " + std::to_string(t.rules.size());
    const std::uint64_t words = in.next_uint("#words of " + name, 1, max_words);
    if (in.remaining() < words)
        in.fail("#words of " + name, "says " + std::to_string(words) + " but " +
                                         std::to_string(in.remaining()) + " word(s) follow");
    if (t.rules.size() == max_rules)
        in.fail("#words of " + name, "more than " + std::to_string(max_rules) + " rules");
    // Parsed again after each word, so an error names the word at fault.
    std::vector<std::string_view> words_so_far;
    Rule rule;
    for (std::uint64_t i = 0; i < words; i++) {
        words_so_far.push_back(in.next(name));
        try {
            rule = parse_rule(words_so_far);
        } catch (const UsageError& e) {
            in.fail(name, e.what());
        }
    }
    t.rules.push_back(std::move(rule));
}

// The shadow's features; false if `feature` is none of them.
bool parse_shadow_feature(FieldReader& in, std::string_view feature, TableConfig& t) {
    auto once = [&](bool given) {
        if (given)
            in.fail("feature", "duplicate feature '" + std::string(feature) + "'");
        if (in.at_end())
            in.fail("feature", std::string(feature) + " needs a value");
    };
    if (feature == TANDEM_FEAT_SHADOW) {
        once(t.shadow_dev.has_value());
        t.shadow_dev = std::string(in.next("shadow device"));
    } else if (feature == TANDEM_FEAT_SHADOW_MODE) {
        once(t.shadow_mode.has_value());
        std::string_view mode = in.next("shadow_mode");
        if (std::string problem = shadow_mode_problem(mode); !problem.empty())
            in.fail("shadow_mode", problem);
        t.shadow_mode = shadow_mode_from_word(mode);
    } else if (feature == TANDEM_FEAT_SHADOW_SAMPLE) {
        once(t.shadow_sample.has_value());
        t.shadow_sample =
            static_cast<std::uint32_t>(next_checked(in, "shadow_sample", shadow_sample_problem));
    } else if (feature == TANDEM_FEAT_SHADOW_POOL) {
        once(t.shadow_pool.has_value());
        t.shadow_pool =
            static_cast<std::uint32_t>(next_checked(in, "shadow_pool (KiB)", shadow_pool_problem));
    } else {
        return false;
    }
    return true;
}

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
        } else if (feature == TANDEM_FEAT_QUEUE_DEPTH) {
            if (t.queue_depth)
                in.fail("feature", "duplicate feature 'queue_depth'");
            if (in.at_end())
                in.fail("feature", "queue_depth needs a depth");
            t.queue_depth =
                static_cast<std::uint32_t>(next_checked(in, "queue_depth", queue_depth_problem));
        } else if (feature == TANDEM_FEAT_CLASS) {
            parse_class_feature(in, t);
        } else if (feature == TANDEM_FEAT_RULE) {
            parse_rule_feature(in, t);
        } else if (!parse_shadow_feature(in, feature, t)) {
            in.fail("feature", "unknown feature '" + std::string(feature) + "'");
        }
    }
    if (!t.shadow_dev && (t.shadow_mode || t.shadow_sample || t.shadow_pool))
        in.fail_line("shadow_mode, shadow_sample and shadow_pool need a shadow device");
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
    if (t.queue_depth) {
        features.emplace_back(TANDEM_FEAT_QUEUE_DEPTH);
        features.push_back(std::to_string(*t.queue_depth));
    }
    for (const TableClass& c : t.classes) {
        features.emplace_back(TANDEM_FEAT_CLASS);
        features.push_back(c.name);
        features.push_back(std::to_string(c.weight));
        features.push_back(std::to_string(c.iops_limit));
        features.push_back(std::to_string(c.bw_limit));
    }
    for (const Rule& r : t.rules) {
        features.emplace_back(TANDEM_FEAT_RULE);
        features.push_back(std::to_string(rule_words(r)));
        const std::string words = format_rule(r);
        for (std::string_view word : split_fields(words))
            features.emplace_back(word);
    }
    if (t.shadow_dev) {
        features.emplace_back(TANDEM_FEAT_SHADOW);
        features.push_back(*t.shadow_dev);
    }
    if (t.shadow_mode) {
        features.emplace_back(TANDEM_FEAT_SHADOW_MODE);
        features.emplace_back(to_string(*t.shadow_mode));
    }
    if (t.shadow_sample) {
        features.emplace_back(TANDEM_FEAT_SHADOW_SAMPLE);
        features.push_back(std::to_string(*t.shadow_sample));
    }
    if (t.shadow_pool) {
        features.emplace_back(TANDEM_FEAT_SHADOW_POOL);
        features.push_back(std::to_string(*t.shadow_pool));
    }
    if (!features.empty()) {
        out += " " + std::to_string(features.size());
        for (const std::string& f : features)
            out += " " + f;
    }
    return out;
}

} // namespace tandem
