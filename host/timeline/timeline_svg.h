// The start timeline as an SVG picture, as systemd-analyze plot draws a boot: one row per
// service in the order they went on, a bar per phase (images, waiting for dependencies,
// create, start, probe), a time axis, a legend, and the critical chain outlined. Pure.
#pragma once

#include <envmgr/sdk/documents/timeline_document.h>

#include <string>

namespace envmgr::host::timeline {

std::string timeline_svg(const sdk::TimelineRun& run);

}  // namespace envmgr::host::timeline
