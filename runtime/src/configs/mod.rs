//! Pallet configurations, grouped by concern.

pub mod accounts;
pub mod assets;
pub mod checkpoints;
pub mod consensus;
pub mod cross_chain;
pub mod dpos;
pub mod evm;
pub mod mail;
pub mod masternodes;
pub mod monetary;
pub mod privacy;
pub mod storage;
pub mod system;

pub use system::{RuntimeBlockLength, RuntimeBlockWeights, SS58Prefix, SS58_PREFIX};
