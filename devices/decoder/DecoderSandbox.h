// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

// The confinement of receiving-decoder. The helper feeds whatever a camera sees (anyone can hold a label up
// to it) to a library with known heap overflows, so once it is set up it keeps no secrets and no way out: no
// environment, no descriptors but its pipes and the frame segment, and a seccomp filter that lets it read
// requests, write replies, manage its memory and die, nothing else (the list is in DecoderSandbox.cpp).
namespace DecoderSandbox {

// Empties the environment, including the bytes /proc/<pid>/environ shows: the station already starts the
// helper with none, this keeps a helper started by hand from carrying the caller's credentials into the
// library. Call it first, before anything reads the environment.
void clearEnvironment();

// Closes every descriptor except stdin, stdout, stderr and `keepFd` (the frame segment, at least 3), so a
// descriptor the station leaked by mistake is gone before the first frame is read. False with `error` set.
bool closeInheritedDescriptors(int keepFd, QString *error);

// Sets no_new_privs and installs the seccomp filter; a forbidden system call kills the process (SIGSYS).
// Irreversible: call it once everything that needs opening or loading is done. `segmentFd` is the one
// descriptor the filter lets the helper fstat. False with `error` set.
bool enter(int segmentFd, QString *error);

} // namespace DecoderSandbox
