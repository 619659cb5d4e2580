#include "host/timeline/timeline_svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

namespace envmgr::host::timeline {
namespace {

constexpr double kLabelWidth = 190;
constexpr double kPlotWidth = 760;
constexpr double kRowHeight = 22;
constexpr double kTop = 56;  // title and legend above the rows

struct PhaseStyle {
    const char* name;
    const char* colour;
};
constexpr std::array<PhaseStyle, 5> kPhases{{{"images", "#9e9e9e"},
                                             {"waiting for dependencies", "#e3e3e3"},
                                             {"create", "#42a5f5"},
                                             {"start", "#ffa726"},
                                             {"probe until ready", "#d4e157"}}};

std::string escaped(const std::string& text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// A tick step of 1, 2 or 5 times a power of ten giving at most about ten ticks.
double tick_step(double span_ms) {
    for (double power = 1;; power *= 10) {
        for (const double factor : {1.0, 2.0, 5.0}) {
            if (span_ms / (power * factor) <= 10) return power * factor;
        }
    }
}

// Each phase's [begin, end) in the order of kPhases; a begin < 0 means the phase did not happen.
std::array<std::pair<double, double>, 5> phases_of(const sdk::TimelineService& service, double end) {
    const double settled = service.ready >= 0 ? service.ready : service.failed >= 0 ? service.failed : end;
    const auto next = [&](std::initializer_list<double> candidates) {
        for (const double at : candidates) {
            if (at >= 0) return at;
        }
        return settled;
    };
    return {{{service.images_begin, next({service.images_end})},
             {service.images_end, next({service.launched})},
             {service.create_begin, next({service.start_begin, service.probe_begin})},
             {service.start_begin, next({service.probe_begin})},
             {service.probe_begin, settled}}};
}

std::string legend() {
    std::string out;
    double x = kLabelWidth;
    for (const auto& phase : kPhases) {
        out += fmt::format(R"(<rect x="{:.1f}" y="30" width="12" height="12" fill="{}" stroke="#777"/>)"
                           R"(<text x="{:.1f}" y="40">{}</text>)",
                           x, phase.colour, x + 16, phase.name);
        x += 30 + 7.0 * static_cast<double>(std::string_view(phase.name).size());
    }
    out += fmt::format(R"(<rect x="{:.1f}" y="30" width="12" height="12" fill="none" stroke="#c62828" )"
                       R"(stroke-width="2"/><text x="{:.1f}" y="40">critical chain</text>)",
                       x, x + 16);
    return out;
}

std::string axis(double span, double scale, double bottom) {
    std::string out;
    const double step = tick_step(span);
    for (double at = 0; at <= span + step / 2; at += step) {
        const double x = kLabelWidth + at * scale;
        out += fmt::format(R"(<line x1="{0:.1f}" y1="{1:.1f}" x2="{0:.1f}" y2="{2:.1f}" stroke="#eee"/>)"
                           R"(<text x="{0:.1f}" y="{3:.1f}" text-anchor="middle">{4} ms</text>)",
                           x, kTop, bottom, bottom + 14, static_cast<long long>(at));
    }
    return out;
}

std::string row(const sdk::TimelineService& service, double y, double scale, double end, bool critical) {
    std::string out = fmt::format(R"(<text x="6" y="{:.1f}"{}>{}</text>)", y + 15,
                                  critical ? R"( font-weight="bold")" : "", escaped(service.service));
    const auto phases = phases_of(service, end);
    for (std::size_t i = 0; i < phases.size(); ++i) {
        const auto [begin, finish] = phases[i];
        if (begin < 0 || finish < begin) continue;
        out += fmt::format(
            R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="16" fill="{}"><title>{}: {} {:.0f} ms</title></rect>)",
            kLabelWidth + begin * scale, y + 3, std::max(1.0, (finish - begin) * scale), kPhases[i].colour,
            escaped(service.service), kPhases[i].name, finish - begin);
    }
    const double settled = service.ready >= 0 ? service.ready : service.failed;
    if (critical && service.launched >= 0 && settled >= 0) {
        out += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="20" fill="none" )"
                           R"(stroke="#c62828" stroke-width="2"/>)",
                           kLabelWidth + service.launched * scale, y + 1,
                           std::max(1.0, (settled - service.launched) * scale));
    }
    const std::string outcome = service.outcome == "ready" && settled >= 0
                                    ? fmt::format("ready @{:.0f} ms", settled)
                                    : service.outcome;
    out += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" fill="{}">{}</text>)",
                       kLabelWidth + std::max(0.0, settled) * scale + 6, y + 15,
                       service.outcome == "failed" ? "#c62828" : "#333", escaped(outcome));
    return out;
}

}  // namespace

std::string timeline_svg(const sdk::TimelineRun& run) {
    auto services = run.services;
    // In the order they went on; those that never did at the end, by name.
    std::stable_sort(services.begin(), services.end(), [](const auto& a, const auto& b) {
        const double x = a.launched < 0 ? 1e18 : a.launched;
        const double y = b.launched < 0 ? 1e18 : b.launched;
        return x < y;
    });
    const double end = std::max(run.total, 1.0);
    const double scale = kPlotWidth / end;
    const double bottom = kTop + kRowHeight * static_cast<double>(services.size());
    const double width = kLabelWidth + kPlotWidth + 140;
    std::set<std::string> chain;
    for (const auto& link : run.critical_chain) chain.insert(link.service);

    std::string svg = fmt::format(
        R"(<?xml version="1.0" encoding="UTF-8"?>)"
        "\n"
        R"(<svg xmlns="http://www.w3.org/2000/svg" width="{:.0f}" height="{:.0f}" font-family="sans-serif" font-size="12">)"
        R"(<rect width="100%" height="100%" fill="white"/>)"
        R"(<text x="6" y="18" font-size="14" font-weight="bold">{} of tenant '{}': {:.0f} ms</text>)",
        width, bottom + 30, escaped(run.kind), escaped(run.tenant), run.total);
    svg += legend();
    svg += axis(end, scale, bottom);
    double y = kTop;
    for (const auto& service : services) {
        svg += row(service, y, scale, end, chain.contains(service.service));
        y += kRowHeight;
    }
    svg += "</svg>\n";
    return svg;
}

}  // namespace envmgr::host::timeline
