// The only export glue of the fake backend; the logic is in fake_in_memory_backend.cpp.
#include "tests/support/fake_backend/fake_in_memory_backend.h"

ENVMGR_EXPORT_PLUGIN(envmgr::tests::FakeInMemoryBackend)
