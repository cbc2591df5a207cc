// dxplan CLI: SIGINT / SIGTERM stop any command within a second (issue 15 item 2).
// install_signal_watch() blocks both signals in every thread (call it first in main, before OpenMP starts its
// threads) and starts one watcher thread that sigwait()s for them: the first sets the command's CancelToken,
// which the library polls (throwing Cancelled, so every OutputSet removes its staging paths on the way out and
// main exits 128 + signal: 130 for SIGINT, 143 for SIGTERM). If the command has not returned 0.6 s later, the
// watcher removes the registered staging paths itself (core cleanup_registry) and exits with the same code.
#pragma once

#include "libsim/core/cancel.hpp"

namespace dxplan::cli {

void install_signal_watch();
// The one token of this process's command (set by the watcher).
CancelToken& cancel_token();
// main() calls this when the command has finished, so a late signal does not race its exit.
void command_finished() noexcept;

}  // namespace dxplan::cli
