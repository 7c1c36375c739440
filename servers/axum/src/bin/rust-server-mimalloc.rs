//! `rust-server-mimalloc`, the tuned variant: the same server with mimalloc as the global
//! allocator (cargo feature `mimalloc`; see `src/allocator.rs` for why).

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    rust_server::entry::main_with(rust_server::Allocator::Mimalloc)
}
