// An example probe plugin: PostgreSQL's readiness handshake, the check pg_isready makes without
// credentials. It sends the 8-byte SSLRequest every client may open with; a server that accepts
// connections answers with one byte, 'S' (TLS offered) or 'N' (plain only), and a port that
// merely accepts (Docker's proxy before the server listens) answers nothing or closes. The
// probe base (envmgr::plugin_kit) gives it the deadline, the connect step, cancel and the
// result; its own parameters are typed (`params.require_tls`).
#include <envmgr/kit/probe/async_probe.h>
#include <envmgr/kit/probe/check_connection.h>
#include <envmgr/kit/probe/reply_text.h>
#include <envmgr/sdk/sdk.h>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace {

using envmgr::kit::probe::CheckRunPtr;

struct PgParams {
    bool require_tls = false;  // only 'S' is ready: the server must offer TLS
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PgParams, require_tls)

// Length 8, then the SSLRequest code 80877103 (0x04d2162f), both big-endian.
constexpr std::array<std::uint8_t, 8> kSslRequest{0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f};

// One check, kept alive by its handlers.
struct PgSession : std::enable_shared_from_this<PgSession> {
    PgSession(boost::asio::io_context& io, CheckRunPtr check, PgParams wanted)
        : run(std::move(check)), params(wanted), connection(io) {}

    void begin(const std::string& host, std::uint16_t port) {
        connection.open(run, host, port, shared_from_this(), [self = shared_from_this()] { self->send(); });
    }

    void send() {
        run->set_phase("waiting for the SSLRequest answer");
        boost::asio::async_write(connection.socket(), boost::asio::buffer(kSslRequest),
                                 [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                                     if (self->run->finished()) return;
                                     if (error) {
                                         return self->run->unhealthy("sending failed: " + error.message());
                                     }
                                     self->receive();
                                 });
    }

    void receive() {
        boost::asio::async_read(connection.socket(), boost::asio::buffer(answer),
                                [self = shared_from_this()](boost::system::error_code error, std::size_t) {
                                    self->judge(error);
                                });
    }

    void judge(boost::system::error_code error) {
        if (run->finished()) return;
        connection.close();
        if (error == boost::asio::error::eof) return run->unhealthy("connection closed without an answer");
        if (error) return run->unhealthy("reading the answer failed: " + error.message());
        const char said = answer[0];
        if (said == 'S') return run->healthy("accepting connections (TLS offered)");
        if (said == 'N' && !params.require_tls) return run->healthy("accepting connections");
        if (said == 'N') return run->unhealthy("accepting connections, but TLS is not offered");
        run->unhealthy("not a PostgreSQL answer: " +
                       envmgr::kit::probe::reply_excerpt(std::string(1, said), 16));
    }

    CheckRunPtr run;
    PgParams params;
    envmgr::kit::probe::CheckConnection connection;
    std::array<char, 1> answer{};
};

class PgProbe : public envmgr::sdk::ProbePlugin {
public:
    static constexpr const char* id = "probe.example-pg";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "Example: PostgreSQL readiness by its SSLRequest handshake";
    static constexpr const char* probe_type = "pg";
    using Params = PgParams;

    PgProbe(const envmgr::sdk::Host& host, const nlohmann::json&) : ProbePlugin(host), probe_(host) {}

    envmgr_operation_id check(const envmgr::sdk::ProbeSpec& spec, const Params& params,
                              const envmgr::sdk::Completion& done) {
        if (spec.host.empty() || spec.port <= 0) {
            throw envmgr::sdk::Error(ENVMGR_STATUS_INVALID, "host and port: required for a pg check");
        }
        const auto port = static_cast<std::uint16_t>(spec.port);
        return probe_.start(done, std::chrono::milliseconds(spec.timeout_ms),
                            [this, params, host = spec.host, port](const CheckRunPtr& run) {
                                std::make_shared<PgSession>(probe_.io(), run, params)->begin(host, port);
                            });
    }
    void cancel(envmgr_operation_id check_id) { probe_.cancel(check_id); }
    void stop(const envmgr::sdk::Completion& done) { probe_.stop(done); }

private:
    envmgr::kit::probe::AsyncProbe probe_;
};

}  // namespace

ENVMGR_EXPORT_PLUGIN(PgProbe)
