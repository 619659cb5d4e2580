// One HTTP/1.1 check with Boost.Beast: GET or HEAD host:port/path with a correct Host header and
// the spec's headers, the answer read up to a size limit and judged (http_judge.h), all within
// the check's deadline.
#pragma once

#include <envmgr/kit/probe/check_run.h>
#include "plugins/probes/http/http_judge.h"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace envmgr::plugins::probes::http {

struct HttpTarget {
    std::string host;
    std::uint16_t port = 0;
    std::string method = "GET";
    std::string path = "/";
    std::map<std::string, std::string> headers;
    std::size_t max_response_bytes = 65536;
    HttpExpectation expect;
};

void run_http_check(boost::asio::io_context& io, const kit::probe::CheckRunPtr& run, HttpTarget target);

}  // namespace envmgr::plugins::probes::http
