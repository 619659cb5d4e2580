# The hardening Debian builds its packages with (dpkg-buildflags, hardening=+all; PIE is the
# compiler's default here). Not in sanitizer and fuzz builds, whose runtimes check their own way.
# - Always: a read-only GOT bound at load time (-z relro -z now): link flags only.
# - With ENVMGR_HARDENING=ON: stack protector, stack clash and CET protection, and fortified
#   libc calls. They cost about 4% of the scheduler's own time in lifecycle_bench (0.747
#   against 0.721 ms per service, medians of three alternating runs). They are off by default
#   because they change every compile command, and with it every cached object and clang-tidy
#   result; a packager turns them on (README, "The Debian packages").
option(ENVMGR_HARDENING "Compile with Debian's hardening flags (stack protector, _FORTIFY_SOURCE)" OFF)
if(NOT ENVMGR_SANITIZE AND NOT ENVMGR_BUILD_FUZZ)
  add_link_options(-Wl,-z,relro -Wl,-z,now)
  if(ENVMGR_HARDENING)
    add_compile_options(-fstack-protector-strong -fstack-clash-protection -fcf-protection
                        $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-D_FORTIFY_SOURCE=2>)
  endif()
endif()
