# Sanitizer and fuzzing instrumentation (README "Sanitizers and fuzzing"; presets in CMakePresets.json).
#   DXPLAN_SANITIZE=address : AddressSanitizer + UndefinedBehaviorSanitizer, the first finding aborts the test
#   DXPLAN_SANITIZE=thread  : ThreadSanitizer; OpenMP through LLVM's libomp with the Archer tool
#                             (OMP_TOOL_LIBRARIES=libarcher.so, set on every test by tests/CMakeLists.txt)
#   DXPLAN_FUZZ=ON          : coverage instrumentation for libFuzzer (clang only); the targets are in tests/fuzz/
if(DXPLAN_SANITIZE STREQUAL "address")
  set(_dxplan_san -fsanitize=address,undefined -fno-sanitize-recover=all)
elseif(DXPLAN_SANITIZE STREQUAL "thread")
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DXPLAN_SANITIZE=thread needs clang (libomp + Archer); use the 'tsan' preset")
  endif()
  set(_dxplan_san -fsanitize=thread)
elseif(NOT DXPLAN_SANITIZE STREQUAL "")
  message(FATAL_ERROR "DXPLAN_SANITIZE must be '', 'address' or 'thread', not '${DXPLAN_SANITIZE}'")
endif()
if(_dxplan_san)
  add_compile_options(${_dxplan_san} -fno-omit-frame-pointer -g)
  add_link_options(${_dxplan_san})
endif()

if(DXPLAN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DXPLAN_FUZZ=ON needs clang (libFuzzer); use the 'asan' preset or CXX=clang++")
  endif()
  # Every library object carries libFuzzer's coverage counters; only the fuzz targets link the fuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# Clang (the sanitizer and fuzzing builds) ignores `#pragma GCC target`, with which models/propagation/itm_batch.cpp
# compiles its AVX2 / AVX-512 primitives (the release build is GCC). Clang compiles that one file with the
# instruction sets enabled instead; the runtime dispatch (itm_batch_kernel()) still chooses the kernel, but the
# compiler may use AVX-512 anywhere in that file, so these builds need an AVX-512 host (checked here).
# Called from the top CMakeLists.txt after the layers are added.
function(dxplan_clang_itm_batch_flags)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    return()
  endif()
  file(READ /proc/cpuinfo _cpuinfo LIMIT 20000)
  foreach(flag avx2 fma avx512f avx512dq avx512vl avx512bw)
    if(NOT _cpuinfo MATCHES " ${flag}( |\n)")
      message(FATAL_ERROR "clang builds of dxplan (sanitizers, fuzzing) need a CPU with ${flag}: itm_batch.cpp "
                          "is compiled with -m${flag} under clang (see cmake/sanitizers.cmake)")
    endif()
  endforeach()
  set_source_files_properties(${PROJECT_SOURCE_DIR}/models/propagation/itm_batch.cpp
    DIRECTORY ${PROJECT_SOURCE_DIR}/models/propagation
    PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma;-mavx512f;-mavx512dq;-mavx512vl;-mavx512bw;-Wno-unknown-pragmas")
endfunction()

# ThreadSanitizer and target_clones: the ifunc resolvers clang generates for `target_clones` functions run while
# the dynamic loader relocates the program, before TSan's runtime starts; instrumented, they crash at start-up
# (`__tsan_func_entry` from `sample_generic [clone .resolver]`). The files holding such functions are compiled
# without TSan instrumentation: their functions are pure (they read their arguments, write their own output
# buffers), and the OpenMP loops that call them stay instrumented. Called with the function above.
function(dxplan_tsan_target_clones_files)
  if(NOT DXPLAN_SANITIZE STREQUAL "thread")
    return()
  endif()
  set_source_files_properties(${PROJECT_SOURCE_DIR}/libsim/coverage/dem_line.cpp
    DIRECTORY ${PROJECT_SOURCE_DIR}/libsim/coverage PROPERTIES COMPILE_OPTIONS "-fno-sanitize=thread")
  set_source_files_properties(${PROJECT_SOURCE_DIR}/models/propagation/itm_terrain.cpp
    DIRECTORY ${PROJECT_SOURCE_DIR}/models/propagation PROPERTIES COMPILE_OPTIONS "-fno-sanitize=thread")
endfunction()
