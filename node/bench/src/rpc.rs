//! A minimal blocking JSON-RPC 2.0 client over HTTP, with batches.
//!
//! The node serves HTTP and WebSocket on one port; HTTP batches let one request carry
//! hundreds of `author_submitExtrinsic` calls, and polling the best and finalized heads
//! every few tens of milliseconds is as precise as a subscription for second-scale
//! latencies.

use std::{
	sync::atomic::{AtomicU64, Ordering},
	time::Duration,
};

use anyhow::{anyhow, bail, Context, Result};
use serde::{de::DeserializeOwned, Deserialize};
use serde_json::{json, Value};

/// An error object returned by the node for one call.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct RpcError {
	/// JSON-RPC error code (e.g. 1010 invalid transaction, 1014 priority too low).
	pub code: i64,
	/// Message.
	pub message: String,
	/// Detail, e.g. the transaction validity error.
	#[serde(default)]
	pub data: Option<Value>,
}

impl std::fmt::Display for RpcError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match &self.data {
			Some(Value::String(d)) => write!(f, "{} ({}): {d}", self.message, self.code),
			Some(d) => write!(f, "{} ({}): {d}", self.message, self.code),
			None => write!(f, "{} ({})", self.message, self.code),
		}
	}
}

#[derive(Deserialize)]
struct Response {
	id: Option<u64>,
	#[serde(default)]
	result: Option<Value>,
	#[serde(default)]
	error: Option<RpcError>,
}

impl Response {
	fn into_result(self) -> std::result::Result<Value, RpcError> {
		match (self.error, self.result) {
			(Some(e), _) => Err(e),
			(None, Some(r)) => Ok(r),
			(None, None) => Ok(Value::Null),
		}
	}
}

/// A JSON-RPC client of one node. Cheap to share between threads (`ureq` pools
/// connections).
pub struct RpcClient {
	agent: ureq::Agent,
	url: String,
	next_id: AtomicU64,
}

impl RpcClient {
	/// A client of `url`: `http://host:port`, or `ws://host:port` (the same port serves
	/// HTTP).
	pub fn new(url: &str) -> Self {
		let url = if let Some(rest) = url.strip_prefix("ws://") {
			format!("http://{rest}")
		} else {
			url.to_string()
		};
		let agent = ureq::AgentBuilder::new()
			.timeout(Duration::from_secs(60))
			.max_idle_connections_per_host(32)
			.build();
		Self { agent, url, next_id: AtomicU64::new(1) }
	}

	/// The endpoint URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	fn post(&self, body: &Value) -> Result<Value> {
		let response = match self
			.agent
			.post(&self.url)
			.set("Content-Type", "application/json")
			.send_string(&body.to_string())
		{
			Ok(r) => r,
			Err(ureq::Error::Status(code, r)) => {
				let text = r.into_string().unwrap_or_default();
				bail!("HTTP {code} from {}: {text}", self.url)
			}
			Err(e) => return Err(e).with_context(|| format!("POST {}", self.url)),
		};
		let text = response.into_string().context("reading the response body")?;
		serde_json::from_str(&text).context("parsing the JSON-RPC response")
	}

	/// Calls `method` and decodes its result.
	pub fn call<T: DeserializeOwned>(&self, method: &str, params: Value) -> Result<T> {
		let id = self.next_id.fetch_add(1, Ordering::Relaxed);
		let body = json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params });
		let response: Response = serde_json::from_value(self.post(&body)?)
			.with_context(|| format!("{method}: malformed response"))?;
		let value = response.into_result().map_err(|e| anyhow!("{method}: {e}"))?;
		serde_json::from_value(value).with_context(|| format!("{method}: unexpected result"))
	}

	/// Sends `calls` as one batch; one result per call, in order.
	pub fn batch(
		&self,
		calls: &[(&str, Value)],
	) -> Result<Vec<std::result::Result<Value, RpcError>>> {
		if calls.is_empty() {
			return Ok(Vec::new());
		}
		let first = self.next_id.fetch_add(calls.len() as u64, Ordering::Relaxed);
		let body: Vec<Value> = calls
			.iter()
			.enumerate()
			.map(|(i, (method, params))| {
				json!({ "jsonrpc": "2.0", "id": first + i as u64, "method": method, "params": params })
			})
			.collect();
		let responses: Vec<Response> = match self.post(&Value::Array(body))? {
			Value::Array(items) => items
				.into_iter()
				.map(serde_json::from_value)
				.collect::<std::result::Result<_, _>>()
				.context("malformed batch response")?,
			other => bail!("batch answered with a non-array: {other}"),
		};
		let mut ordered: Vec<Option<std::result::Result<Value, RpcError>>> =
			(0..calls.len()).map(|_| None).collect();
		for r in responses {
			let slot =
				r.id.and_then(|id| id.checked_sub(first))
					.and_then(|i| ordered.get_mut(i as usize))
					.ok_or_else(|| anyhow!("batch response with an unknown id"))?;
			*slot = Some(r.into_result());
		}
		ordered
			.into_iter()
			.map(|r| r.ok_or_else(|| anyhow!("batch response missing an answer")))
			.collect()
	}
}

/// `0x…` hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// Bytes of `0x…` hex.
pub fn from_hex(s: &str) -> Result<Vec<u8>> {
	hex::decode(s.trim_start_matches("0x")).with_context(|| format!("bad hex {s}"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn responses_map_to_results() {
		let ok: Response =
			serde_json::from_value(json!({"jsonrpc":"2.0","id":1,"result":"0x01"})).expect("valid");
		assert_eq!(ok.into_result(), Ok(json!("0x01")));
		let err: Response = serde_json::from_value(json!({"jsonrpc":"2.0","id":2,
			"error":{"code":1014,"message":"Priority is too low","data":"x"}}))
		.expect("valid");
		let e = err.into_result().expect_err("an error");
		assert_eq!(e.code, 1014);
		assert_eq!(e.to_string(), "Priority is too low (1014): x");
	}

	#[test]
	fn hex_round_trip() {
		assert_eq!(to_hex(&[0xab, 0x01]), "0xab01");
		assert_eq!(from_hex("0xab01").expect("hex"), vec![0xab, 0x01]);
		assert!(from_hex("0xzz").is_err());
	}
}
