// envctl's exit codes, as `envctl --help` and the README list them. exec and run pass the task's
// own exit code through instead, so their own failures use codes no shell gives a command.
#pragma once

namespace envctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // the daemon answered: a service failed, an unknown name, ...
inline constexpr int kExitUsage = 2;        // the command line is wrong
inline constexpr int kExitUnreachable = 3;  // no daemon answers at the address
inline constexpr int kExitRefused = 4;      // the daemon refused the call: token, certificate, protected mode
inline constexpr int kExitTimeout = 5;      // --timeout passed first
inline constexpr int kExitTaskTimedOut = 124;  // exec/run: the task ran out of time (as timeout(1) says)
inline constexpr int kExitTaskNotRun = 125;    // exec/run: envctl or the daemon failed; the task did not run

inline constexpr const char* kExitCodesHelp =
    "Exit codes: 0 done; 1 the daemon answered that it failed (a service failed, an unknown name); "
    "2 usage; 3 no daemon answers at the address; 4 the daemon refused the call (token, certificate, "
    "protected mode); 5 --timeout passed. exec and run exit with the task's own code, 124 when it "
    "timed out, 125 when it could not run.";

}  // namespace envctl
