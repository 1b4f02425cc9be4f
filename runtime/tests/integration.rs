//! The runtime's integration tests: the real runtime on its genesis presets, blocks built as
//! the node builds them, one module per concern. One test binary: each module on its own would
//! link the whole runtime again (about 35 s of compile time apiece).

mod common;

mod accounts;
mod checkpoints;
mod dpos;
mod evm;
mod fees;
mod funds;
mod genesis_allocation;
mod governance;
mod grandpa_equivocation;
mod htlc;
mod issuance;
mod mail;
mod masternodes;
mod metadata;
mod migrations;
mod mixer;
mod precompiles;
mod presets;
mod stealth;
mod storage_spaces;
mod weights;
