// From a load factor (load_score.h) to the class scheduler's settings:
// each class's weight, and limits that hold only under high load.  Pure:
// the caller sends the messages.
//
// A class's weight at load L (0..1) is
//
//   max(floor, round(base_weight * (1 - sensitivity * L)))
//     + (critical ? critical_bonus : 0)
//
// clamped to 0..TANDEM_MAX_CLASS_WEIGHT.  With the defaults:
//
//   class       base  sensitivity  floor  critical   load 0  load 0.5  load 1
//   critical     100            0      1       yes      150       150     150
//   production   100            1     10                100        50      10
//   test          50            1      1                 50        25       1
//
// so the busier the device, the larger critical's share; sensitivity 0
// keeps a class's weight whatever the load, and a floor of at least 1
// keeps it from starving (weight 0 runs only while no weighted class
// waits).  Each class may also be limited while the load is above its
// limit_load (e.g. test to 1000 IO/s); below it, or with limits of 0,
// it is not limited.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tandem {

struct ClassPolicy {
    std::string name;
    unsigned base_weight = 100; // the weight at load 0, 0..1000
    double sensitivity = 1;     // the fraction of base_weight lost at full load, 0..1
    unsigned floor = 1;         // never below this, 0..1000
    bool critical = false;      // gets the critical bonus on top
    // Limits while the load is above limit_load; 0: none.
    double limit_load = 0.8;
    std::uint32_t iops_limit = 0; // IO/s
    std::uint32_t bw_limit = 0;   // KiB/s
};

struct WeightOptions {
    std::vector<ClassPolicy> classes = {
        {"critical", 100, 0, 1, true},
        {"production", 100, 1, 10, false},
        {"test", 50, 1, 1, false},
    };
    unsigned critical_bonus = 50;
};

// What is wrong with the options (a bad or repeated class name, a weight,
// floor or bonus over 1000, a sensitivity or limit_load outside 0..1, a
// limit over the kernel's maximum); empty when they are valid.
std::string weight_options_problem(const WeightOptions& options);

// One class's settings, for `class <name> weight` and `class <name> limit`.
struct ClassSetting {
    std::string name;
    unsigned weight = 0;
    std::uint32_t iops_limit = 0; // 0: none
    std::uint32_t bw_limit = 0;   // KiB/s, 0: none

    bool operator==(const ClassSetting&) const = default;
};

// The settings of every class of the options at `load`, in their order.
// A load outside [0, 1] is clamped, NaN taken as 0.
std::vector<ClassSetting> class_settings(double load, const WeightOptions& options = {});

} // namespace tandem
