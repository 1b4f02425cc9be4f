//! # kmcc-client
//!
//! The library behind the `kmcc` wallet: key formats shared with the Substrate wallets
//! (SS58 addresses, polkadot.js JSON keystore files), the encrypted wallet directory and the
//! chain through subxt. The stealth scheme itself is `kmcc-privacy`, shared with the runtime.

pub mod address;
pub use kmcc_chain as chain;
pub mod keystore;
pub mod mail;
pub mod mix;
pub mod swap;
pub mod wallet;
