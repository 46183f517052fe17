//! The `wenshu` binary: everything is in the library's `cli` module.

fn main() -> std::process::ExitCode {
    wenshu::render::workers::init_global_pool();
    wenshu::cli::run()
}
