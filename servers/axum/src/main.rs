//! `rust-server`, as shipped: the system allocator. See [`rust_server::entry`].

fn main() -> anyhow::Result<()> {
    rust_server::entry::main_with(rust_server::Allocator::System)
}
