#include "plugins/backends/docker/json_selection.h"

#include <cstddef>
#include <stdexcept>

namespace envmgr::plugins::backends::docker {
namespace {

using Json = nlohmann::json;

// Builds the selected part of the document from the parser's events. Skipped values are
// lexed but never built: no allocation, no copy.
class SelectingBuilder final : public nlohmann::json_sax<Json> {
public:
    explicit SelectingBuilder(const JsonSelection& selection)
        : root_selection_(selection.whole() ? nullptr : &selection) {}

    Json result;

    // A value is built only when it is kept.
    bool null() override { return !wanted() || add(Json(nullptr)); }
    bool boolean(bool value) override { return !wanted() || add(Json(value)); }
    bool number_integer(number_integer_t value) override { return !wanted() || add(Json(value)); }
    bool number_unsigned(number_unsigned_t value) override { return !wanted() || add(Json(value)); }
    bool number_float(number_float_t value, const string_t& /*text*/) override {
        return !wanted() || add(Json(value));
    }
    bool string(string_t& value) override { return !wanted() || add(Json(std::move(value))); }
    bool binary(binary_t& value) override { return !wanted() || add(Json(std::move(value))); }
    bool start_object(std::size_t /*size*/) override { return open(Json::value_t::object); }
    bool start_array(std::size_t /*size*/) override { return open(Json::value_t::array); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }

    bool key(string_t& name) override {
        if (skip_depth_ > 0) return true;
        const JsonSelection* selection = stack_.back().selection;
        if (selection == nullptr) {
            next_ = {true, nullptr};
        } else {
            const JsonSelection* member = selection->find(name);
            next_ = {member != nullptr, member != nullptr && !member->whole() ? member : nullptr};
        }
        if (next_.keep) key_ = std::move(name);
        return true;
    }

    bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                     const nlohmann::detail::exception& error) override {
        // As nlohmann's own parse() reports it: the parser hands out a parse_error, or an
        // out_of_range for a number too large; rethrow it as its own type.
        if (error.id / 100 == 1) throw *static_cast<const Json::parse_error*>(&error);
        if (error.id / 100 == 4) throw *static_cast<const Json::out_of_range*>(&error);
        throw std::runtime_error(error.what());
    }

private:
    struct Frame {
        Json* container;
        const JsonSelection* selection;  // nullptr: everything in it is kept
    };
    struct Next {
        bool keep = true;
        const JsonSelection* selection = nullptr;
    };

    // Puts a wanted value where it belongs; selection: what to keep inside it.
    Json* slot_for(Json&& value, const JsonSelection*& selection) {
        if (stack_.empty()) {
            result = std::move(value);
            selection = root_selection_;
            return &result;
        }
        Frame& frame = stack_.back();
        if (frame.container->is_array()) {
            frame.container->push_back(std::move(value));
            selection = frame.selection;  // each element as the array says
            return &frame.container->back();
        }
        selection = next_.selection;
        // Assignment, not emplace: of two equal keys the last wins, as in nlohmann's parse().
        Json& member = (*frame.container)[std::move(key_)];
        member = std::move(value);
        return &member;
    }

    [[nodiscard]] bool wanted() const {
        if (skip_depth_ > 0) return false;
        return stack_.empty() || stack_.back().container->is_array() || next_.keep;
    }

    bool add(Json&& value) {
        const JsonSelection* ignored = nullptr;
        slot_for(std::move(value), ignored);
        return true;
    }

    bool open(Json::value_t kind) {
        if (!wanted()) {
            ++skip_depth_;
            return true;
        }
        const JsonSelection* selection = nullptr;
        stack_.push_back({slot_for(Json(kind), selection), selection});
        return true;
    }

    bool close() {
        if (skip_depth_ > 0) {
            --skip_depth_;
            return true;
        }
        stack_.pop_back();
        return true;
    }

    const JsonSelection* root_selection_;
    std::vector<Frame> stack_;
    Next next_;
    std::string key_;
    std::size_t skip_depth_ = 0;
};

}  // namespace

const JsonSelection* JsonSelection::find(std::string_view name) const {
    for (const auto& [member, selection] : members_) {
        if (member == name) return &selection;
    }
    return nullptr;
}

Json parse_selected(std::string_view text, const JsonSelection& selection) {
    SelectingBuilder builder(selection);
    Json::sax_parse(text.begin(), text.end(), &builder);
    return std::move(builder.result);
}

}  // namespace envmgr::plugins::backends::docker
