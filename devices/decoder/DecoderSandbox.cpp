// SPDX-License-Identifier: GPL-3.0-or-later
#include "DecoderSandbox.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include <seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

namespace {

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

constexpr scmp_arg_cmp equals(unsigned int arg, scmp_datum_t value)
{
    return scmp_arg_cmp{arg, SCMP_CMP_EQ, value, 0};
}

constexpr scmp_arg_cmp hasNoneOf(unsigned int arg, scmp_datum_t bits)
{
    return scmp_arg_cmp{arg, SCMP_CMP_MASKED_EQ, bits, 0};
}

// One allowed system call; with conditions, only when all of them hold. A call may have several rules (any
// of them allows it).
struct Allowed
{
    int syscall;
    std::vector<scmp_arg_cmp> conditions;
};

} // namespace

namespace DecoderSandbox {

void clearEnvironment()
{
    // clearenv() only forgets the strings; /proc/<pid>/environ reads the block the kernel copied in, so the
    // strings are wiped in place first. At the start of main() every one of them still lies in that block.
    if (environ) {
        for (char **entry = environ; *entry; ++entry)
            ::explicit_bzero(*entry, std::strlen(*entry));
    }
    ::clearenv();
}

bool closeInheritedDescriptors(int keepFd, QString *error)
{
    if (keepFd <= STDERR_FILENO) {
        *error = QStringLiteral("The frame segment's descriptor %1 is one of stdin, stdout and stderr.")
                     .arg(keepFd);
        return false;
    }
    if ((keepFd > STDERR_FILENO + 1 && ::close_range(STDERR_FILENO + 1, unsigned(keepFd) - 1, 0) != 0) ||
        ::close_range(unsigned(keepFd) + 1, ~0U, 0) != 0) {
        *error = QStringLiteral("The inherited file descriptors cannot be closed: %1.").arg(errnoText(errno));
        return false;
    }
    return true;
}

bool enter(int segmentFd, QString *error)
{
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        *error = QStringLiteral("no_new_privs cannot be set: %1.").arg(errnoText(errno));
        return false;
    }
    const std::unique_ptr<void, void (*)(scmp_filter_ctx)> filter(::seccomp_init(SCMP_ACT_KILL_PROCESS),
                                                                  ::seccomp_release);
    if (!filter) {
        *error = QStringLiteral("The seccomp filter cannot be created.");
        return false;
    }
    // Found by running the helper under strace over the decoder tests, the CLI's decode and the benchmark:
    // after set-up it reads, writes, fstats the segment, maps memory and wakes futexes, nothing else.
    const auto self = scmp_datum_t(::getpid());
    const std::vector<Allowed> allowed = {
        // The protocol: requests on stdin, replies on stdout, a sentence on stderr when something is wrong.
        {SCMP_SYS(read), {equals(0, STDIN_FILENO)}},
        {SCMP_SYS(write), {equals(0, STDOUT_FILENO)}},
        {SCMP_SYS(write), {equals(0, STDERR_FILENO)}},
        // The frame segment's size before it is (re-)mapped: the raw fstat of that one descriptor, not
        // newfstatat, which would take any path.
        {SCMP_SYS(fstat), {equals(0, scmp_datum_t(segmentFd))}},
        // Memory: the segment's mapping and glibc's malloc (brk for the heap, mmap, munmap and mremap for
        // large blocks, madvise when it gives pages back). Nothing is ever mapped executable.
        {SCMP_SYS(mmap), {hasNoneOf(2, PROT_EXEC)}},
        {SCMP_SYS(munmap), {}},
        {SCMP_SYS(mremap), {}},
        {SCMP_SYS(brk), {}},
        {SCMP_SYS(madvise), {}},
        // Thread-safe statics in ZXing, Qt and libstdc++ wake waiters through futex, even with one thread.
        {SCMP_SYS(futex), {}},
        // Normally answered by the vDSO; the system call is its fallback.
        {SCMP_SYS(clock_gettime), {}},
        // Ending: returning from main, and signals (SIGSTOP/SIGCONT restart an interrupted call).
        {SCMP_SYS(exit_group), {}},
        {SCMP_SYS(exit), {}},
        {SCMP_SYS(rt_sigreturn), {}},
        {SCMP_SYS(restart_syscall), {}},
        // A crash inside the library stays what it is, so the station reports SIGABRT and not SIGSYS:
        // glibc's heap checks and ZXing's assertions write to stderr (writev) and abort(), which unblocks
        // SIGABRT, sends it to itself, and resets its handler when that comes back.
        {SCMP_SYS(writev), {equals(0, STDERR_FILENO)}},
        {SCMP_SYS(rt_sigprocmask), {}},
        {SCMP_SYS(rt_sigaction), {}},
        {SCMP_SYS(getpid), {}},
        {SCMP_SYS(gettid), {}},
        {SCMP_SYS(tgkill), {equals(0, self), equals(2, SIGABRT)}},
    };
    int rc = ::seccomp_attr_set(filter.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    for (const Allowed &rule : allowed) {
        if (rc != 0)
            break;
        rc = ::seccomp_rule_add_array(filter.get(), SCMP_ACT_ALLOW, rule.syscall,
                                      unsigned(rule.conditions.size()), rule.conditions.data());
    }
    if (rc == 0)
        rc = ::seccomp_load(filter.get());
    if (rc != 0) {
        *error = QStringLiteral("The seccomp filter cannot be installed: %1.").arg(errnoText(-rc));
        return false;
    }
    return true;
}

} // namespace DecoderSandbox
