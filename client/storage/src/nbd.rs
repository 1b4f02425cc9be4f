//! A Network Block Device server exporting one space as a disk.
//!
//! The fixed-newstyle protocol (<https://github.com/NetworkBlockDevice/nbd/blob/master/doc/proto.md>):
//! handshake with `NBD_OPT_EXPORT_NAME`, `NBD_OPT_INFO`, `NBD_OPT_GO`, `NBD_OPT_LIST` and
//! `NBD_OPT_ABORT`; every other option (TLS, structured replies, metadata contexts, extended
//! headers) is refused with `NBD_REP_ERR_UNSUP`, which clients take as "use simple replies".
//! Transmission: read, write, flush, trim, write-zeroes and disconnect, with simple replies,
//! many requests in flight and answers in completion order. Every write is on a quorum of
//! the copy group's disks when it is answered, so flush and FUA have nothing left to do and
//! the export is safe to open over several connections (`NBD_FLAG_CAN_MULTI_CONN`).

use crate::client::SpaceClient;
use std::{io, sync::Arc};
use tokio::{
	io::{AsyncReadExt, AsyncWriteExt, BufWriter},
	net::{TcpListener, TcpStream},
	sync::mpsc,
};

const NBDMAGIC: u64 = 0x4e42_444d_4147_4943;
const IHAVEOPT: u64 = 0x4948_4156_454f_5054;
const REPLY_MAGIC: u64 = 0x0003_e889_0455_65a9;
const REQUEST_MAGIC: u32 = 0x2560_9513;
const SIMPLE_REPLY_MAGIC: u32 = 0x6744_6698;

const FLAG_FIXED_NEWSTYLE: u16 = 1;
const FLAG_NO_ZEROES: u16 = 2;

const OPT_EXPORT_NAME: u32 = 1;
const OPT_ABORT: u32 = 2;
const OPT_LIST: u32 = 3;
const OPT_INFO: u32 = 6;
const OPT_GO: u32 = 7;

const REP_ACK: u32 = 1;
const REP_SERVER: u32 = 2;
const REP_INFO: u32 = 3;
const REP_ERR_UNSUP: u32 = 0x8000_0001;
const REP_ERR_INVALID: u32 = 0x8000_0003;
const REP_ERR_UNKNOWN: u32 = 0x8000_0006;

const INFO_EXPORT: u16 = 0;
const INFO_BLOCK_SIZE: u16 = 3;

const TFLAG_HAS_FLAGS: u16 = 1;
const TFLAG_READ_ONLY: u16 = 2;
const TFLAG_SEND_FLUSH: u16 = 4;
const TFLAG_SEND_FUA: u16 = 8;
const TFLAG_SEND_TRIM: u16 = 32;
const TFLAG_SEND_WRITE_ZEROES: u16 = 64;
const TFLAG_CAN_MULTI_CONN: u16 = 256;

const CMD_READ: u16 = 0;
const CMD_WRITE: u16 = 1;
const CMD_DISC: u16 = 2;
const CMD_FLUSH: u16 = 3;
const CMD_TRIM: u16 = 4;
const CMD_WRITE_ZEROES: u16 = 6;

const EPERM: u32 = 1;
const EIO: u32 = 5;
const EINVAL: u32 = 22;
const ENOSPC: u32 = 28;

/// The largest request payload accepted (and advertised).
pub const MAX_REQUEST: u32 = 32 << 20;
/// The largest option payload read during the handshake.
const MAX_OPTION: u32 = 64 << 10;

/// What is exported.
pub struct Export {
	/// The export's name (`NBD_OPT_LIST`); any name, the empty one included, selects it.
	pub name: String,
	/// The space.
	pub client: Arc<SpaceClient>,
	/// Refuse writes.
	pub read_only: bool,
}

/// Serves `export` to every client that connects to `listener`.
pub async fn serve(listener: TcpListener, export: Arc<Export>) -> io::Result<()> {
	loop {
		let (stream, peer) = listener.accept().await?;
		let export = export.clone();
		tokio::spawn(async move {
			log::info!("NBD client {peer} connected");
			match session(stream, export).await {
				Ok(()) => log::info!("NBD client {peer} disconnected"),
				Err(e) => log::info!("NBD client {peer}: {e}"),
			}
		});
	}
}

fn transmission_flags(export: &Export) -> u16 {
	let mut flags = TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_CAN_MULTI_CONN;
	if export.read_only {
		flags |= TFLAG_READ_ONLY;
	} else {
		flags |= TFLAG_SEND_TRIM | TFLAG_SEND_WRITE_ZEROES;
	}
	flags
}

async fn option_reply<W: AsyncWriteExt + Unpin>(
	w: &mut W,
	option: u32,
	kind: u32,
	data: &[u8],
) -> io::Result<()> {
	let mut buf = Vec::with_capacity(20 + data.len());
	buf.extend_from_slice(&REPLY_MAGIC.to_be_bytes());
	buf.extend_from_slice(&option.to_be_bytes());
	buf.extend_from_slice(&kind.to_be_bytes());
	buf.extend_from_slice(&(data.len() as u32).to_be_bytes());
	buf.extend_from_slice(data);
	w.write_all(&buf).await?;
	w.flush().await
}

/// Parses `NBD_OPT_INFO`/`NBD_OPT_GO` data: the export name and the requested info types.
fn parse_info(data: &[u8]) -> Option<(String, Vec<u16>)> {
	let name_len = u32::from_be_bytes(data.get(0..4)?.try_into().ok()?) as usize;
	let name = data.get(4..4 + name_len)?;
	let rest = data.get(4 + name_len..)?;
	let n = u16::from_be_bytes(rest.get(0..2)?.try_into().ok()?) as usize;
	let list = rest.get(2..)?;
	if list.len() != 2 * n {
		return None;
	}
	let infos = list.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
	Some((String::from_utf8(name.to_vec()).ok()?, infos))
}

async fn session(stream: TcpStream, export: Arc<Export>) -> io::Result<()> {
	stream.set_nodelay(true)?;
	let (r, w) = stream.into_split();
	let mut r = tokio::io::BufReader::with_capacity(crate::conn::BUFFER, r);
	let mut w = BufWriter::with_capacity(crate::conn::BUFFER, w);
	let size = export.client.size();
	let tflags = transmission_flags(&export);

	let mut hello = Vec::new();
	hello.extend_from_slice(&NBDMAGIC.to_be_bytes());
	hello.extend_from_slice(&IHAVEOPT.to_be_bytes());
	hello.extend_from_slice(&(FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES).to_be_bytes());
	w.write_all(&hello).await?;
	w.flush().await?;
	let client_flags = r.read_u32().await?;
	let no_zeroes = client_flags & u32::from(FLAG_NO_ZEROES) != 0;

	loop {
		if r.read_u64().await? != IHAVEOPT {
			return Err(io::Error::new(io::ErrorKind::InvalidData, "bad option magic"));
		}
		let option = r.read_u32().await?;
		let len = r.read_u32().await?;
		if len > MAX_OPTION {
			return Err(io::Error::new(io::ErrorKind::InvalidData, "option too long"));
		}
		let mut data = vec![0u8; len as usize];
		r.read_exact(&mut data).await?;
		match option {
			OPT_EXPORT_NAME => {
				// No way to refuse a name here: any name selects the space.
				let mut buf = Vec::new();
				buf.extend_from_slice(&size.to_be_bytes());
				buf.extend_from_slice(&tflags.to_be_bytes());
				if !no_zeroes {
					buf.extend_from_slice(&[0u8; 124]);
				}
				w.write_all(&buf).await?;
				w.flush().await?;
				break;
			}
			OPT_ABORT => {
				let _ = option_reply(&mut w, option, REP_ACK, &[]).await;
				return Ok(());
			}
			OPT_LIST => {
				if !data.is_empty() {
					option_reply(&mut w, option, REP_ERR_INVALID, &[]).await?;
					continue;
				}
				let mut d = (export.name.len() as u32).to_be_bytes().to_vec();
				d.extend_from_slice(export.name.as_bytes());
				option_reply(&mut w, option, REP_SERVER, &d).await?;
				option_reply(&mut w, option, REP_ACK, &[]).await?;
			}
			OPT_INFO | OPT_GO => {
				let Some((name, _requested)) = parse_info(&data) else {
					option_reply(&mut w, option, REP_ERR_INVALID, &[]).await?;
					continue;
				};
				if !name.is_empty() && name != export.name {
					option_reply(&mut w, option, REP_ERR_UNKNOWN, b"no such export").await?;
					continue;
				}
				let mut info = INFO_EXPORT.to_be_bytes().to_vec();
				info.extend_from_slice(&size.to_be_bytes());
				info.extend_from_slice(&tflags.to_be_bytes());
				option_reply(&mut w, option, REP_INFO, &info).await?;
				// Any alignment works (partial sectors are read, changed and re-encrypted);
				// 4 KiB is what is efficient.
				let mut block = INFO_BLOCK_SIZE.to_be_bytes().to_vec();
				block.extend_from_slice(&1u32.to_be_bytes());
				block.extend_from_slice(&4096u32.to_be_bytes());
				block.extend_from_slice(&MAX_REQUEST.to_be_bytes());
				option_reply(&mut w, option, REP_INFO, &block).await?;
				option_reply(&mut w, option, REP_ACK, &[]).await?;
				if option == OPT_GO {
					break;
				}
			}
			// TLS, structured replies, metadata contexts, extended headers, anything newer.
			_ => option_reply(&mut w, option, REP_ERR_UNSUP, &[]).await?,
		}
	}
	transmission(r, w, export).await
}

fn errno(e: &io::Error) -> u32 {
	match e.kind() {
		io::ErrorKind::PermissionDenied => EPERM,
		io::ErrorKind::InvalidInput => EINVAL,
		_ => EIO,
	}
}

/// Why a change request is refused before it is tried: a read-only export, or beyond the end.
fn refusal(export: &Export, in_range: bool) -> Option<u32> {
	if export.read_only {
		Some(EPERM)
	} else if !in_range {
		Some(ENOSPC)
	} else {
		None
	}
}

fn simple_reply(cookie: u64, error: u32, data: &[u8]) -> Vec<u8> {
	let mut buf = Vec::with_capacity(16 + data.len());
	buf.extend_from_slice(&SIMPLE_REPLY_MAGIC.to_be_bytes());
	buf.extend_from_slice(&error.to_be_bytes());
	buf.extend_from_slice(&cookie.to_be_bytes());
	buf.extend_from_slice(data);
	buf
}

async fn transmission(
	mut r: tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>,
	mut w: BufWriter<tokio::net::tcp::OwnedWriteHalf>,
	export: Arc<Export>,
) -> io::Result<()> {
	let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
	let writer = tokio::spawn(async move {
		while let Some(first) = rx.recv().await {
			tokio::task::yield_now().await;
			w.write_all(&first).await?;
			while let Ok(more) = rx.try_recv() {
				w.write_all(&more).await?;
			}
			w.flush().await?;
		}
		io::Result::Ok(())
	});
	let size = export.client.size();
	let mut header = [0u8; 28];
	loop {
		r.read_exact(&mut header).await?;
		let magic = u32::from_be_bytes(header[0..4].try_into().unwrap_or_default());
		if magic != REQUEST_MAGIC {
			return Err(io::Error::new(io::ErrorKind::InvalidData, "bad request magic"));
		}
		let kind = u16::from_be_bytes([header[6], header[7]]);
		let cookie = u64::from_be_bytes(header[8..16].try_into().unwrap_or_default());
		let offset = u64::from_be_bytes(header[16..24].try_into().unwrap_or_default());
		let length = u32::from_be_bytes(header[24..28].try_into().unwrap_or_default());
		let in_range = offset.checked_add(u64::from(length)).is_some_and(|end| end <= size);
		let tx = tx.clone();
		let client = export.client.clone();
		match kind {
			CMD_READ => {
				if !in_range || length > MAX_REQUEST {
					let _ = tx.send(simple_reply(cookie, EINVAL, &[]));
					continue;
				}
				tokio::spawn(async move {
					let reply = match client.read(offset, length as usize).await {
						Ok(data) => simple_reply(cookie, 0, &data),
						Err(e) => {
							log::warn!("read {offset}+{length}: {e}");
							simple_reply(cookie, errno(&e), &[])
						}
					};
					let _ = tx.send(reply);
				});
			}
			CMD_WRITE => {
				if length > MAX_REQUEST {
					return Err(io::Error::new(
						io::ErrorKind::InvalidData,
						"write payload too large",
					));
				}
				let mut data = vec![0u8; length as usize];
				r.read_exact(&mut data).await?;
				if let Some(error) = refusal(&export, in_range) {
					let _ = tx.send(simple_reply(cookie, error, &[]));
					continue;
				}
				tokio::spawn(async move {
					let error = match client.write_owned(offset, data).await {
						Ok(()) => 0,
						Err(e) => {
							log::warn!("write {offset}+{length}: {e}");
							errno(&e)
						}
					};
					let _ = tx.send(simple_reply(cookie, error, &[]));
				});
			}
			CMD_TRIM | CMD_WRITE_ZEROES => {
				if let Some(error) = refusal(&export, in_range) {
					let _ = tx.send(simple_reply(cookie, error, &[]));
					continue;
				}
				tokio::spawn(async move {
					let error = match client.write_zeroes(offset, u64::from(length)).await {
						Ok(()) => 0,
						Err(e) => errno(&e),
					};
					let _ = tx.send(simple_reply(cookie, error, &[]));
				});
			}
			// Every answered write is already on a quorum of disks.
			CMD_FLUSH => {
				let _ = tx.send(simple_reply(cookie, 0, &[]));
			}
			CMD_DISC => break,
			_ => {
				let _ = tx.send(simple_reply(cookie, EINVAL, &[]));
			}
		}
	}
	// Requests still running answer before the connection closes.
	drop(tx);
	writer.await.map_err(io::Error::other)?
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn info_options_parse_and_malformed_ones_are_refused() {
		let mut d = 3u32.to_be_bytes().to_vec();
		d.extend_from_slice(b"abc");
		d.extend_from_slice(&2u16.to_be_bytes());
		d.extend_from_slice(&3u16.to_be_bytes());
		d.extend_from_slice(&1u16.to_be_bytes());
		assert_eq!(parse_info(&d), Some(("abc".to_string(), vec![3, 1])));
		let mut trailing = d.clone();
		trailing.push(0);
		assert_eq!(parse_info(&trailing), None, "a trailing byte");
		assert_eq!(parse_info(&d[..d.len() - 1]), None, "cut short");
		assert_eq!(parse_info(&[0, 0, 0, 9, b'a']), None, "name longer than the data");
	}
}
