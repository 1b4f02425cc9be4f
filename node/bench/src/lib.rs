//! # kmcc-bench
//!
//! A load generator and reporter for a running `kmcc-node`, talking to it over JSON-RPC
//! only. It signs `balances.transfer_keep_alive` from the bench accounts of `--chain bench`
//! / `bench-local` ([`kmcc_primitives::bench_accounts`]) with correct nonces and mortality
//! (or, with `--erc20`, ERC-20 transfers as Ethereum transactions sent through the
//! Ethereum JSON-RPC adapter: [`erc20`]), submits them at a target rate or as fast as the
//! node accepts, follows the best and finalized chains, and reports:
//!
//! - submitted/s, included/s and finalized/s, sustained over a window after the warm-up;
//! - inclusion and finality latency (p50/p95/p99) of the transfers sent in the window;
//! - block fullness (weight and length % of the `Normal` class's limits);
//! - transactions the pool refused, and why;
//! - the **limit** of the runtime's weight model ([`limit`]) and achieved ÷ limit;
//! - with `--prometheus`, why the author stopped filling each block ([`metrics`]).
//!
//! Output: a table on stdout, a JSON file and a PNG chart of the per-second rates.

pub mod chain;
pub mod chart;
pub mod erc20;
pub mod follow;
pub mod limit;
pub mod load;
pub mod metrics;
pub mod report;
pub mod rpc;
pub mod stats;

pub use load::{run, Erc20Scenario, Scenario};
pub use report::Report;
