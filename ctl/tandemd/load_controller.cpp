#include "load_controller.h"

#include "tandem/errors.h"
#include "tandem/message.h"

#include <algorithm>
#include <cstdio>

namespace tandem::daemon {

namespace {

std::uint64_t delta(std::uint64_t before, std::uint64_t after) {
    return after >= before ? after - before : after;
}

const ClassPolicy* policy_of(const WeightOptions& options, const std::string& name) {
    for (const ClassPolicy& p : options.classes) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

// A weight moves when it changes by 5% or more: a load that wobbles
// around a value does not send a message each interval.
bool worth_changing(unsigned current, unsigned wanted) {
    const unsigned diff = current > wanted ? current - wanted : wanted - current;
    return diff * 20 >= std::max(current, wanted) && diff > 0;
}

} // namespace

LoadMetrics load_metrics(const SchedulerStatus& before, const SchedulerStatus& after,
                         double elapsed_s, double cpu) {
    LoadMetrics m;
    m.queue_depth = after.queue_depth;
    m.in_flight = after.in_flight;
    m.cpu = cpu;
    std::uint64_t bios = 0;
    double weighted_p50 = 0;
    for (const ClassStatus& c : after.classes) {
        m.queued += c.queued;
        const ClassStatus* prev = before.find_class(c.name);
        const std::uint64_t n = delta(prev ? prev->bios : 0, c.bios);
        if (n == 0)
            continue;
        bios += n;
        weighted_p50 += static_cast<double>(n) * static_cast<double>(c.p50_us);
        m.p99_latency_us = std::max(m.p99_latency_us, static_cast<double>(c.p99_us));
    }
    if (bios > 0) {
        m.mean_latency_us = weighted_p50 / static_cast<double>(bios);
        if (elapsed_s > 0)
            m.iops = static_cast<double>(bios) / elapsed_s;
    }
    return m;
}

std::string describe_load(const LoadScore& s) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "load %.2f (iops %.2f, latency %.2f, p99 %.2f, queue %.2f, cpu %.2f)", s.load,
                  s.iops, s.latency, s.p99, s.queue, s.cpu);
    return buf;
}

LoadController::LoadController(LoadOptions options, WeightOptions classes, double interval_s)
    : options_(options)
    , classes_(std::move(classes))
    , interval_s_(interval_s) {
    if (std::string p = load_options_problem(options_); !p.empty())
        throw UsageError("load: " + p);
    if (std::string p = weight_options_problem(classes_); !p.empty())
        throw UsageError("classes: " + p);
}

LoadStep LoadController::poll(double now_s, const Status& status, std::optional<double> cpu,
                              const std::vector<std::string>& held) {
    LoadStep step;
    if (!status.scheduler || status.scheduler->queue_depth == 0) {
        previous_.reset();
        return step;
    }
    if (!previous_ || !previous_->scheduler) {
        previous_ = status;
        previous_time_ = now_s;
        return step;
    }
    const double elapsed = now_s - previous_time_;
    if (elapsed < interval_s_)
        return step;

    const SchedulerStatus& now = *status.scheduler;
    step.evaluated = true;
    step.metrics = load_metrics(*previous_->scheduler, now, elapsed, cpu.value_or(0));
    step.score = score_load(step.metrics, options_);
    previous_ = status;
    previous_time_ = now_s;

    for (const ClassSetting& s : class_settings(step.score.load, classes_)) {
        const ClassStatus* current = now.find_class(s.name);
        if (!current)
            continue;
        step.settings.push_back(s);
        if (worth_changing(current->weight, s.weight))
            step.messages.push_back(message::class_weight(s.name, s.weight));
        const ClassPolicy* p = policy_of(classes_, s.name);
        const bool limited = p && (p->iops_limit || p->bw_limit);
        const bool is_held = std::find(held.begin(), held.end(), s.name) != held.end();
        if (limited && !is_held &&
            (current->iops_limit != s.iops_limit || current->bw_limit != s.bw_limit))
            step.messages.push_back(message::class_limit(s.name, s.iops_limit, s.bw_limit));
    }
    return step;
}

} // namespace tandem::daemon
