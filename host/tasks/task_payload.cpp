#include "host/tasks/task_payload.h"

#include "host/model/shell_words.h"

#include <array>
#include <string_view>

namespace envmgr::host::tasks {
namespace {

constexpr std::array<std::string_view, 7> kKeys{"service", "image",   "command", "shell",
                                                "env",     "workdir", "stdin"};

std::string known_keys() {
    std::string list;
    for (const auto key : kKeys) list += (list.empty() ? "" : ", ") + std::string(key);
    return list;
}

// `env`: one KEY=VALUE per line; blank lines are skipped.
std::string parse_env(const std::string& text, std::map<std::string, std::string>& env) {
    std::size_t line_number = 0;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const auto end = std::min(text.find('\n', begin), text.size());
        std::string_view line(text.data() + begin, end - begin);
        ++line_number;
        begin = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        const auto equals = line.find('=');
        if (equals == 0 || equals == std::string_view::npos) {
            return "payload.env: line " + std::to_string(line_number) + " is not KEY=VALUE";
        }
        env[std::string(line.substr(0, equals))] = std::string(line.substr(equals + 1));
    }
    return {};
}

}  // namespace

ParsedPayload parse_task_payload(const nlohmann::json& payload) {
    ParsedPayload parsed;
    auto& task = parsed.payload;
    const auto refuse = [&parsed](std::string why) {
        parsed.error = std::move(why);
        return parsed;
    };
    if (!payload.is_object()) return refuse("payload: must be an object of strings");
    std::map<std::string, std::string> fields;
    for (const auto& [key, value] : payload.items()) {
        if (!value.is_string()) return refuse("payload." + key + ": must be a string");
        bool known = false;
        for (const auto name : kKeys) known = known || key == name;
        if (!known) return refuse("payload." + key + ": unknown key (known: " + known_keys() + ")");
        fields[key] = value.get<std::string>();
    }
    const auto text = [&fields](const char* key) {
        const auto it = fields.find(key);
        return it == fields.end() ? std::string() : it->second;
    };
    task.service = text("service");
    task.image = text("image");
    if (task.service.empty() == task.image.empty()) {
        return refuse(
            "payload: name exactly one of service (run in its container) or image (a throwaway container)");
    }
    const std::string shell = text("shell");
    if (!shell.empty() && shell != "true" && shell != "false") {
        return refuse(R"(payload.shell: "true" or "false", not ")" + shell + "\"");
    }
    const std::string command = text("command");
    if (shell == "true") {
        if (command.empty()) return refuse("payload.command: required with shell = \"true\"");
        task.argv = {"/bin/sh", "-c", command};
    } else {
        auto words = model::split_shell_words(command);
        if (!words.error.empty()) return refuse("payload.command: " + words.error);
        task.argv = std::move(words.words);
    }
    if (task.argv.empty() && !task.service.empty()) {
        return refuse("payload.command: required to run in a service's container");
    }
    if (auto error = parse_env(text("env"), task.env); !error.empty()) return refuse(std::move(error));
    task.workdir = text("workdir");
    if (!task.workdir.empty() && task.workdir.front() != '/') {
        return refuse("payload.workdir: must be an absolute path, not \"" + task.workdir + "\"");
    }
    if (fields.contains("stdin")) task.stdin_data = fields["stdin"];
    return parsed;
}

}  // namespace envmgr::host::tasks
