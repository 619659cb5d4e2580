// One TCP check: connect to host:port, optionally write `send` and read until the reply decides
// (tcp_reply.h), within the check's deadline.
#pragma once

#include <envmgr/kit/probe/check_run.h>

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace envmgr::plugins::probes::tcp {

struct TcpTarget {
    std::string host;
    std::uint16_t port = 0;
    std::string send;
    std::string expect;
    std::size_t max_reply_bytes = 65536;
};

void run_tcp_check(boost::asio::io_context& io, const kit::probe::CheckRunPtr& run, TcpTarget target);

}  // namespace envmgr::plugins::probes::tcp
