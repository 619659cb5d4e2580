# ENVMGR_SANITIZE=address,undefined builds every target (plugins included) with the
# sanitizers, so a plugin loaded by the host shares the host's runtime.
if(ENVMGR_SANITIZE)
  add_compile_options(-fsanitize=${ENVMGR_SANITIZE} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${ENVMGR_SANITIZE})
endif()

# The fuzz build instruments all code for coverage; only the fuzz targets link libFuzzer.
if(ENVMGR_BUILD_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
# GCC warns that TSan does not model std::atomic_thread_fence, which asio uses; the warning
# would fail the -Werror build of every file that includes asio.
if(ENVMGR_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wno-tsan)
endif()
