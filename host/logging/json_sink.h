// A sink that writes each record as one JSON object per line to stderr.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <cstdio>
#include <mutex>

namespace envmgr::host::logging {

class JsonSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit JsonSink(std::FILE* out = stderr) : out_(out) {}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override { std::fflush(out_); }

private:
    std::FILE* out_;
};

}  // namespace envmgr::host::logging
