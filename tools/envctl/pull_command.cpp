// envctl pull: PullImages with a progress bar per image (bytes and rate) on a terminal, plain
// lines (one per status change) otherwise. Exit 1 when an image failed.
#include "tools/envctl/commands.h"
#include "tools/envctl/exit_codes.h"
#include "tools/envctl/terminal.h"

#include <fmt/format.h>

#include <iostream>
#include <map>

namespace envctl {
namespace {

struct PullLine {
    std::string status;
    std::int64_t current = 0;
    std::int64_t total = 0;
    int percent = 0;
    std::chrono::steady_clock::time_point first = std::chrono::steady_clock::now();
};

std::string bar(int percent, std::size_t width) {
    const auto filled = static_cast<std::size_t>(std::clamp(percent, 0, 100)) * width / 100;
    std::string out;
    for (std::size_t i = 0; i < width; ++i) out += i < filled ? "█" : "░";
    return out;
}

std::string render(const std::string& image, const PullLine& line, std::size_t name_width,
                   const Terminal& terminal) {
    const double seconds =
        std::max(0.001, std::chrono::duration<double>(std::chrono::steady_clock::now() - line.first).count());
    const std::string bytes = line.total > 0
                                  ? fmt::format("{} / {}", human_bytes(static_cast<double>(line.current)),
                                                human_bytes(static_cast<double>(line.total)))
                                  : human_bytes(static_cast<double>(line.current));
    const std::string rate = human_bytes(static_cast<double>(line.current) / seconds) + "/s";
    return fit(fmt::format("{:<{}} {} {:>3}% {:<11} {}  {}", image, name_width, bar(line.percent, 20),
                           line.percent, terminal.paint(line.status, state_colour(line.status)), bytes, rate),
               static_cast<std::size_t>(std::max(terminal.width() - 1, 20)) +
                   (terminal.colour() ? 9 : 0));  // the colour escapes take no columns
}

int pull(Session& session, const std::vector<std::string>& images) {
    const Terminal terminal(stdout);
    pb::PullImagesRequest request;
    for (const auto& image : images) request.add_image_names(image);
    auto context = session.context();
    auto reader = session.manager().PullImages(context.get(), request);
    std::map<std::string, PullLine> lines;
    std::size_t drawn = 0;
    std::size_t name_width = 10;
    pb::ImagePullProgress progress;
    while (reader->Read(&progress)) {
        auto& line = lines[progress.image_name()];
        name_width = std::max(name_width, progress.image_name().size());
        const bool changed = line.status != progress.status();
        line.status = progress.status();
        line.current = progress.current();
        line.total = progress.total();
        line.percent = progress.progress_percent();
        if (!terminal.interactive()) {
            if (changed) {
                std::cout << fmt::format("{} {} {}%", progress.image_name(), line.status, line.percent)
                          << std::endl;
            }
            continue;
        }
        std::string frame = drawn > 0 ? fmt::format("\033[{}A", drawn) : "";
        for (const auto& [image, each] : lines) {
            frame += "\r\033[2K" + render(image, each, name_width, terminal) + "\n";
        }
        drawn = lines.size();
        std::cout << frame << std::flush;
    }
    const auto status = reader->Finish();
    if (!status.ok()) throw session.error(status, "pull");
    std::size_t failed = 0;
    for (const auto& [image, line] : lines) failed += line.status == "error" ? 1U : 0U;
    if (failed > 0) {
        throw CommandError(kExitFailed,
                           fmt::format("{} of {} image(s) failed to pull (the daemon's log says why)", failed,
                                       lines.size()));
    }
    std::cout << fmt::format("{} image(s) pulled\n", lines.size());
    return kExitOk;
}

}  // namespace

void add_pull_command(CLI::App& app, Runner& run) {
    auto images = std::make_shared<std::vector<std::string>>();
    auto* command =
        app.add_subcommand("pull", "Pull images with progress (none named: every image the services use)");
    command->add_option("images", *images, "images to pull");
    command->callback(
        [images, &run] { run = [images](Session& session) { return pull(session, *images); }; });
}

}  // namespace envctl
