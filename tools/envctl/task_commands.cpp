// envctl exec and run: ExecuteTask in a service's running container, or in a throwaway
// container from an image. The daemon answers once the task ended; its stdout and stderr go to
// envctl's own, and its exit code becomes envctl's.
#include "tools/envctl/commands.h"
#include "tools/envctl/exit_codes.h"

#include <fmt/format.h>

#include <iostream>
#include <iterator>
#include <random>

namespace envctl {
namespace {

struct TaskOptions {
    std::string service;
    std::string image;
    std::vector<std::string> command;
    std::vector<std::string> env;
    std::string workdir;
    std::string workload_class = "cpu_short";
    int timeout_seconds = 0;
    bool stdin_input = false;
};

// The words as one command line a POSIX shell (and the daemon's word splitting) reads back
// into the same words.
std::string shell_quoted(const std::vector<std::string>& words) {
    std::string line;
    for (const auto& word : words) {
        if (!line.empty()) line += ' ';
        const bool plain = !word.empty() && word.find_first_not_of(
                                                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                "0123456789@%_+=:,./-") == std::string::npos;
        if (plain) {
            line += word;
            continue;
        }
        line += '\'';
        for (const char c : word) line += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += '\'';
    }
    return line;
}

std::string task_id() {
    std::random_device random;
    return fmt::format("envctl-{:08x}", random());
}

int execute(Session& session, const TaskOptions& options) {
    pb::ExecuteTaskRequest request;
    request.set_task_id(task_id());
    request.set_workload_class(options.workload_class);
    request.set_timeout_seconds(options.timeout_seconds);
    auto& payload = *request.mutable_payload();
    if (!options.service.empty()) payload["service"] = options.service;
    if (!options.image.empty()) payload["image"] = options.image;
    payload["command"] = shell_quoted(options.command);
    if (!options.env.empty()) payload["env"] = fmt::format("{}", fmt::join(options.env, "\n"));
    if (!options.workdir.empty()) payload["workdir"] = options.workdir;
    if (options.stdin_input) {
        payload["stdin"] =
            std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    }
    pb::ExecuteTaskResponse response;
    auto context = session.context();
    const auto status = session.manager().ExecuteTask(context.get(), request, &response);
    if (!status.ok()) {
        const auto error = session.error(status, "the task");
        throw CommandError(kExitTaskNotRun, error.what());
    }
    const auto& result = response.result();
    const auto field = [&result](const char* key) {
        const auto found = result.find(key);
        return found == result.end() ? std::string() : found->second;
    };
    std::cout << field("stdout") << std::flush;
    std::cerr << field("stderr") << std::flush;
    if (field("timed_out") == "true") throw CommandError(kExitTaskTimedOut, response.error());
    const std::string code = field("exit_code");
    if (code.empty()) {
        throw CommandError(kExitTaskNotRun,
                           response.error().empty() ? "the task did not run" : response.error());
    }
    return std::stoi(code);
}

void add_task_options(CLI::App& command, TaskOptions& options) {
    command.add_option("command", options.command, "the command and its arguments (after --)")->required();
    command.add_option("-e,--env", options.env, "KEY=VALUE for the command's environment (repeatable)");
    command.add_option("-w,--workdir", options.workdir, "the working directory in the container");
    command.add_option("--class", options.workload_class, "workload class: cpu_short, cpu_long or gpu");
    command
        .add_option("--timeout", options.timeout_seconds,
                    "seconds the command may run (0: the daemon's default)")
        ->check(CLI::NonNegativeNumber);
    command.add_flag("-i,--interactive", options.stdin_input,
                     "send envctl's stdin to the command (read whole first)");
}

}  // namespace

void add_task_commands(CLI::App& app, Runner& run) {
    auto exec_options = std::make_shared<TaskOptions>();
    auto* exec_command = app.add_subcommand("exec", "Run a command in a service's running container");
    exec_command->add_option("service", exec_options->service, "the service")->required();
    add_task_options(*exec_command, *exec_options);
    exec_command->callback([exec_options, &run] {
        run = [exec_options](Session& session) { return execute(session, *exec_options); };
    });

    auto run_options = std::make_shared<TaskOptions>();
    auto* run_command = app.add_subcommand("run", "Run a command in a throwaway container from an image");
    run_command->add_option("--image", run_options->image, "the image (pulled when absent)")->required();
    add_task_options(*run_command, *run_options);
    run_command->callback([run_options, &run] {
        run = [run_options](Session& session) { return execute(session, *run_options); };
    });
}

}  // namespace envctl
