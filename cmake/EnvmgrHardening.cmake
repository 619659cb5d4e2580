# The hardening Debian builds its packages with (dpkg-buildflags, hardening=+all; PIE is the
# compiler's default here): stack protector, fortified libc calls where the optimizer makes
# them checkable, and a read-only GOT bound at load time. Not in sanitizer and fuzz builds,
# whose runtimes do these checks their own way.
if(NOT ENVMGR_SANITIZE AND NOT ENVMGR_BUILD_FUZZ)
  add_compile_options(-fstack-protector-strong -fstack-clash-protection -fcf-protection
                      $<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-D_FORTIFY_SOURCE=2>)
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()
