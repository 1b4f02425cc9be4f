//! `kmcc-node`: the KMCC Chain node (design §1).

#![warn(missing_docs)]
// `sc_cli::Error`, the SDK's error type for every node command, is large; the node returns it
// once per command, so boxing it would only obscure the SDK's signatures.
#![allow(clippy::result_large_err)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
