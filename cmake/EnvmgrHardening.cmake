# The hardening Debian builds its packages with (dpkg-buildflags, hardening=+all; PIE is the
# compiler's default here): stack protector, fortified libc calls where the optimizer makes
# them checkable, and a read-only GOT bound at load time. Not in sanitizer and fuzz builds,
# whose runtimes do these checks their own way. ENVMGR_HARDENING=OFF leaves it out, to measure
# what it costs: about 4% of the scheduler's own time in lifecycle_bench (0.747 against
# 0.721 ms per service, medians of three alternating runs).
option(ENVMGR_HARDENING "Build with Debian's hardening flags" ON)
if(ENVMGR_HARDENING AND NOT ENVMGR_SANITIZE AND NOT ENVMGR_BUILD_FUZZ)
  add_compile_options(-fstack-protector-strong -fstack-clash-protection -fcf-protection
                      $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-D_FORTIFY_SOURCE=2>)
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()
