#include "host/runtime/plugin_listing.h"

#include <algorithm>
#include <array>
#include <sstream>

namespace envmgr::host::runtime {

nlohmann::json listing_json(const std::vector<loader::PluginRecord>& records) {
    auto plugins = nlohmann::json::array();
    auto refused = nlohmann::json::array();
    for (const auto& record : records) {
        if (record.accepted() && record.info) {
            const auto& info = *record.info;
            plugins.push_back(
                {{"id", info.id},
                 {"kind", loader::kind_name(info.kind)},
                 {"version", info.version},
                 {"abi_version", std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor)},
                 {"description", info.description},
                 {"file", record.file}});
            if (!record.idle.empty()) plugins.back()["idle"] = record.idle;
        } else {
            nlohmann::json entry{{"file", record.file}, {"reason", record.refusal}};
            if (record.info) entry["id"] = record.info->id;
            refused.push_back(std::move(entry));
        }
    }
    return {{"host_abi_version",
             std::to_string(ENVMGR_ABI_VERSION_MAJOR) + "." + std::to_string(ENVMGR_ABI_VERSION_MINOR)},
            {"plugins", plugins},
            {"refused", refused}};
}

std::string listing_table(const std::vector<loader::PluginRecord>& records) {
    std::vector<std::array<std::string, 5>> rows{{"ID", "KIND", "VERSION", "ABI", "FILE"}};
    for (const auto& record : records) {
        if (!record.accepted() || !record.info) continue;
        const auto& info = *record.info;
        rows.push_back({info.id,
                        std::string(loader::kind_name(info.kind)) + (record.idle.empty() ? "" : " (idle)"),
                        info.version, std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor),
                        record.file});
    }
    std::array<std::size_t, 5> width{};
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
    }
    std::ostringstream out;
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            out << row[c];
            if (c + 1 < row.size()) out << std::string(width[c] - row[c].size() + 2, ' ');
        }
        out << '\n';
    }
    bool header = false;
    for (const auto& record : records) {
        if (record.accepted()) continue;
        if (!header) {
            out << "\nrefused:\n";
            header = true;
        }
        out << "  " << record.file << ": " << record.refusal << '\n';
    }
    return out.str();
}

}  // namespace envmgr::host::runtime
