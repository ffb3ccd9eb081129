#include "tandem/load_weights.h"

#include "tandem/limits.h"

#include <algorithm>
#include <cmath>

namespace tandem {

namespace {

bool in_unit_range(double x) {
    return x >= 0 && x <= 1; // false for NaN
}

unsigned weight_at(const ClassPolicy& c, double load, unsigned bonus) {
    const double scaled = std::round(c.base_weight * (1 - c.sensitivity * load));
    const double weight =
        std::max(static_cast<double>(c.floor), std::max(scaled, 0.0)) + (c.critical ? bonus : 0);
    return static_cast<unsigned>(std::min(weight, static_cast<double>(max_class_weight)));
}

} // namespace

std::string weight_options_problem(const WeightOptions& o) {
    if (o.critical_bonus > max_class_weight)
        return "critical_bonus " + std::to_string(o.critical_bonus) + " is over " +
               std::to_string(max_class_weight);
    for (std::size_t i = 0; i < o.classes.size(); i++) {
        const ClassPolicy& c = o.classes[i];
        const std::string what = "class '" + c.name + "': ";
        if (std::string problem = class_name_problem(c.name); !problem.empty())
            return problem;
        for (std::size_t j = 0; j < i; j++) {
            if (o.classes[j].name == c.name)
                return what + "given twice";
        }
        if (std::string problem = class_weight_problem(c.base_weight); !problem.empty())
            return what + "base " + problem;
        if (c.floor > max_class_weight)
            return what + "floor " + std::to_string(c.floor) + " is over " +
                   std::to_string(max_class_weight);
        if (!in_unit_range(c.sensitivity))
            return what + "sensitivity must be 0..1";
        if (!in_unit_range(c.limit_load))
            return what + "limit_load must be 0..1";
        if (std::string problem = iops_limit_problem(c.iops_limit); !problem.empty())
            return what + problem;
        if (std::string problem = bw_limit_problem(c.bw_limit); !problem.empty())
            return what + problem;
    }
    return {};
}

std::vector<ClassSetting> class_settings(double load, const WeightOptions& o) {
    load = std::isnan(load) ? 0 : std::clamp(load, 0.0, 1.0);
    std::vector<ClassSetting> out;
    for (const ClassPolicy& c : o.classes) {
        ClassSetting s{c.name, weight_at(c, load, o.critical_bonus), 0, 0};
        if (load > c.limit_load) {
            s.iops_limit = c.iops_limit;
            s.bw_limit = c.bw_limit;
        }
        out.push_back(std::move(s));
    }
    return out;
}

} // namespace tandem
