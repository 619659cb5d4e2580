#!/usr/bin/env python3
"""Exits 0 when every test ctest recorded as failed failed only because LeakSanitizer's own
stop-the-world tracer crashed at exit, after the test itself passed ("Tracer caught signal 11",
then "LeakSanitizer has encountered a fatal error": an intermittent fault of the sanitizer
runtime, google/sanitizers#1353, not a leak and not a test failure). Prints those tests.
Any other failure, or none: exits 1, so run-tests.sh never runs a real failure again.
Usage: lsan-tracer-crashes.py LastTest.log LastTestsFailed.log"""
import re
import sys


def outputs(log_text):
    """Each test's recorded output, by test name."""
    blocks = {}
    for match in re.finditer(r"^\d+/\d+ Test: (\S+)\n(.*?)^Test (?:Passed|Failed)", log_text, re.M | re.S):
        blocks[match.group(1)] = match.group(2)
    return blocks


def main():
    with open(sys.argv[1], encoding="utf-8", errors="replace") as handle:
        blocks = outputs(handle.read())
    with open(sys.argv[2], encoding="utf-8") as handle:
        failed = [line.strip().split(":", 1)[1] for line in handle if ":" in line]
    if not failed:
        return 1
    for name in failed:
        output = blocks.get(name, "")
        tracer_crash = "Tracer caught signal" in output and "LeakSanitizer has encountered a fatal error" in output
        if not (tracer_crash and "[  PASSED  ] 1 test" in output):
            return 1
    print("\n".join(failed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
