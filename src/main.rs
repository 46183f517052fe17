//! The `wenshu` binary: everything is in the library's `cli` module.

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    wenshu::render::workers::init_global_pool();
    wenshu::cli::run()
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`wenshu number list | head -1`) panics.
/// A command-line tool should end quietly instead, as `cat` and `grep` do.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
