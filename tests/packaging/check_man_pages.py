#!/usr/bin/env python3
"""The hand-written man pages keep up with the programs: every envctl command and every
connection option its --help lists, and every option env-manager --help lists, is in the page.
Usage: check_man_pages.py SOURCE_DIR ENV_MANAGER ENVCTL"""
import re
import subprocess
import sys


def help_of(program):
    return subprocess.run([program, "--help"], capture_output=True, text=True, timeout=30, check=True).stdout


def page(source_dir, name):
    with open(f"{source_dir}/packaging/man/{name}", encoding="utf-8") as handle:
        return handle.read().replace("\\-", "-")  # roff's escaped hyphens, as a reader sees them


def main():
    source_dir, daemon, envctl = sys.argv[1:]
    missing = []
    envctl_help = help_of(envctl)
    commands = re.findall(r"^  (\w[\w-]*) {2,}", envctl_help.split("Subcommands:")[1], re.M)
    options = set(re.findall(r"(--[a-z][a-z-]+)", envctl_help.split("Subcommands:")[0]))
    envctl_page = page(source_dir, "envctl.1")
    missing += [f"envctl.1: command {c}" for c in commands if not re.search(rf"^\.BI? {c}\b", envctl_page, re.M)
                and not re.search(rf'^\.BR "?{c}\b', envctl_page, re.M)]
    missing += [f"envctl.1: option {o}" for o in sorted(options - {"--help", "--version"}) if o not in envctl_page]
    daemon_page = page(source_dir, "env-manager.8")
    daemon_options = set(re.findall(r"(--[a-z][a-z-]+)", help_of(daemon)))
    missing += [f"env-manager.8: option {o}" for o in sorted(daemon_options) if o not in daemon_page]
    if missing:
        sys.exit("man pages lack what --help lists:\n  " + "\n  ".join(missing))
    print(f"man pages name all {len(commands)} envctl commands, {len(options)} envctl options "
          f"and {len(daemon_options)} env-manager options")


if __name__ == "__main__":
    main()
