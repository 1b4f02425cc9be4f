use super::*;
use polkadot_sdk::sp_core::{
	crypto::{DeriveJunction, Pair as _},
	sr25519,
};
use proptest::prelude::*;
use schnorrkel::{ExpansionMode, Keypair, MiniSecretKey};

/// The keypair `sp_core::sr25519::Pair::from_seed` makes from a 32-byte seed.
fn keypair(seed: [u8; 32]) -> Keypair {
	MiniSecretKey::from_bytes(&seed).unwrap().expand_to_keypair(ExpansionMode::Ed25519)
}

fn meta(view: &Keypair, spend: &Keypair) -> MetaAddress {
	MetaAddress { view: view.public.to_bytes(), spend: spend.public.to_bytes() }
}

/// Everything a recipient does with one payment; returns the one-time secret.
fn receive(view: &Keypair, spend: &Keypair, announcement: &Announcement, index: u32) -> SecretKey {
	let chain_code = scan(&view.secret, &spend.public.to_bytes(), announcement, index)
		.expect("the recipient finds its payment");
	one_time_secret(spend, chain_code).unwrap()
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// The recipient finds the payment, its one-time secret is the key of the one-time account,
	/// signs what `sp_core` verifies for that account, and is the spend key's soft derivation.
	#[test]
	fn the_recipient_finds_and_can_spend_every_payment(
		view_seed in any::<[u8; 32]>(),
		spend_seed in any::<[u8; 32]>(),
		r in prop::collection::vec(any::<u8>(), 64),
		index in any::<u32>(),
		message in prop::collection::vec(any::<u8>(), 0..200),
	) {
		let (view, spend) = (keypair(view_seed), keypair(spend_seed));
		let ephemeral: [u8; 64] = r.try_into().unwrap();
		let announcement = announce(&meta(&view, &spend), &ephemeral, index).unwrap();
		prop_assert_ne!(announcement.one_time, spend.public.to_bytes());
		let secret = receive(&view, &spend, &announcement, index);
		prop_assert_eq!(secret.to_public().to_bytes(), announcement.one_time);

		let signature = secret.sign_simple(b"substrate", &message, &secret.to_public());
		prop_assert!(sr25519::Pair::verify(
			&sr25519::Signature::from_raw(signature.to_bytes()),
			&message,
			&sr25519::Public::from_raw(announcement.one_time),
		));

		let chain_code = scan(&view.secret, &spend.public.to_bytes(), &announcement, index).unwrap();
		let substrate = sr25519::Pair::from_seed(&spend_seed)
			.derive([DeriveJunction::Soft(chain_code)].into_iter(), None)
			.unwrap()
			.0;
		prop_assert_eq!(substrate.public().0, announcement.one_time);
	}

	/// Another view key, or another output index, finds nothing.
	#[test]
	fn nobody_else_finds_the_payment(
		view_seed in any::<[u8; 32]>(),
		other_seed in any::<[u8; 32]>(),
		spend_seed in any::<[u8; 32]>(),
		r in prop::collection::vec(any::<u8>(), 64),
	) {
		prop_assume!(view_seed != other_seed);
		let (view, other, spend) = (keypair(view_seed), keypair(other_seed), keypair(spend_seed));
		let ephemeral: [u8; 64] = r.try_into().unwrap();
		let announcement = announce(&meta(&view, &spend), &ephemeral, 0).unwrap();
		prop_assert_eq!(scan(&other.secret, &spend.public.to_bytes(), &announcement, 0), None);
		prop_assert_eq!(scan(&view.secret, &spend.public.to_bytes(), &announcement, 1), None);
	}

	/// Two payments to one meta-address share nothing an observer sees.
	#[test]
	fn two_payments_are_unlinkable_on_chain(
		r1 in prop::collection::vec(any::<u8>(), 64),
		r2 in prop::collection::vec(any::<u8>(), 64),
	) {
		prop_assume!(r1 != r2);
		let (view, spend) = (keypair([7; 32]), keypair([8; 32]));
		let first = announce(&meta(&view, &spend), &r1.try_into().unwrap(), 0).unwrap();
		let second = announce(&meta(&view, &spend), &r2.try_into().unwrap(), 0).unwrap();
		prop_assert_ne!(first.ephemeral, second.ephemeral);
		prop_assert_ne!(first.one_time, second.one_time);
	}
}

#[test]
fn a_wrong_view_tag_is_skipped_even_for_the_right_key() {
	let (view, spend) = (keypair([1; 32]), keypair([2; 32]));
	let mut announcement = announce(&meta(&view, &spend), &[3; 64], 0).unwrap();
	announcement.view_tag = announcement.view_tag.wrapping_add(1);
	assert_eq!(scan(&view.secret, &spend.public.to_bytes(), &announcement, 0), None);
}

/// About one random announcement in 256 passes the tag check; the key comparison rejects it.
#[test]
fn view_tags_filter_out_other_payments() {
	let (view, spend) = (keypair([1; 32]), keypair([2; 32]));
	let (other_view, other_spend) = (keypair([5; 32]), keypair([6; 32]));
	let mut tag_matches = 0;
	for i in 0u32..4096 {
		let mut r = [0u8; 64];
		r[..4].copy_from_slice(&i.to_le_bytes());
		r[63] = 1;
		let foreign = announce(&meta(&other_view, &other_spend), &r, 0).unwrap();
		let shared = shared_point(&view.secret, &foreign.ephemeral).unwrap();
		if view_tag(&shared, 0) == foreign.view_tag {
			tag_matches += 1;
		}
		assert_eq!(scan(&view.secret, &spend.public.to_bytes(), &foreign, 0), None);
	}
	// 4096 / 256 = 16 expected; a binomial far outside [2, 40] would mean a broken tag.
	assert!((2..=40).contains(&tag_matches), "{tag_matches} tag matches in 4096");
}

#[test]
fn bad_input_is_refused() {
	let (view, spend) = (keypair([1; 32]), keypair([2; 32]));
	assert_eq!(announce(&meta(&view, &spend), &[0; 64], 0), Err(Error::ZeroScalar));
	let not_a_point = [0xff; 32];
	assert!(!is_valid_point(&not_a_point));
	assert!(!is_valid_ephemeral(&not_a_point));
	// The identity is a point, but not an ephemeral key.
	assert!(is_valid_point(&[0; 32]));
	assert!(!is_valid_ephemeral(&[0; 32]));
	assert!(is_valid_ephemeral(&announce(&meta(&view, &spend), &[3; 64], 0).unwrap().ephemeral));
	let bad_view = MetaAddress { view: not_a_point, spend: spend.public.to_bytes() };
	assert_eq!(announce(&bad_view, &[3; 64], 0), Err(Error::InvalidPoint));
	let bad_spend = MetaAddress { view: view.public.to_bytes(), spend: not_a_point };
	assert_eq!(announce(&bad_spend, &[3; 64], 0), Err(Error::InvalidPoint));
	assert_eq!(shared_point(&view.secret, &not_a_point), Err(Error::InvalidPoint));
}

#[test]
fn meta_addresses_round_trip_and_reject_corruption() {
	let address = meta(&keypair([1; 32]), &keypair([2; 32]));
	let text = address.encode();
	assert!(text.starts_with("kmst"));
	assert_eq!(MetaAddress::decode(&text), Ok(address));
	// One changed character breaks the checksum (or the base58).
	let last = text.chars().last().unwrap();
	let changed = format!("{}{}", &text[..text.len() - 1], if last == 'a' { 'b' } else { 'a' });
	assert_eq!(MetaAddress::decode(&changed), Err(Error::InvalidMetaAddress));
	assert_eq!(MetaAddress::decode(&text[4..]), Err(Error::InvalidMetaAddress));
	assert_eq!(MetaAddress::decode("kmst"), Err(Error::InvalidMetaAddress));
	let invalid = MetaAddress { view: [0xff; 32], spend: address.spend }.encode();
	assert_eq!(MetaAddress::decode(&invalid), Err(Error::InvalidMetaAddress));
}

/// Published test vectors: view seed 0x01…, spend seed 0x02… (`sr25519::Pair::from_seed`),
/// ephemeral secret bytes 0x03… (64), output index 0 and 7.
#[test]
fn test_vectors_are_stable() {
	let (view, spend) = (keypair([1; 32]), keypair([2; 32]));
	let address = meta(&view, &spend);
	let vectors = [(0u32, VECTOR_0), (7, VECTOR_7)];
	for (index, (ephemeral, one_time, tag, secret)) in vectors {
		let announcement = announce(&address, &[3; 64], index).unwrap();
		assert_eq!(hex::encode(announcement.ephemeral), ephemeral, "R, index {index}");
		assert_eq!(hex::encode(announcement.one_time), one_time, "P, index {index}");
		assert_eq!(announcement.view_tag, tag, "view tag, index {index}");
		let x = receive(&view, &spend, &announcement, index);
		assert_eq!(hex::encode(x.to_bytes()), secret, "one-time secret, index {index}");
	}
	assert_eq!(address.encode(), META_ADDRESS_VECTOR);
}

type Vector = (&'static str, &'static str, u8, &'static str);
const VECTOR_0: Vector = (
	"7ea58bc60b5832b9cb3af09a10c2e2320e332b89d0db8c69b72d0e9cad3e1370",
	"64bb23d2e86a56af70973c4873d7a4b69c7e42e8aea23d743e79840a8d768d20",
	118,
	"a98886caef4f898af4c12942b8a3eb3737ea7a03d6b11689a586166e2f6aac03\
	 8a4e98a838f938bb594c41cfe97b744a2527fb00cafa26f43eab67452a91c372",
);
const VECTOR_7: Vector = (
	"7ea58bc60b5832b9cb3af09a10c2e2320e332b89d0db8c69b72d0e9cad3e1370",
	"40eca6e019a3cde2b54086f62fd38316e52fd15e66661b5f79a6137a0dfb7a0d",
	147,
	"50cde100ee61432c700087fdc87f6af1e341d0bfaff2f9d0dcf61479455862055\
	 db0b61fc73b05b0ab259a35ab88090ebc077f773a4d824bf8e091447e03698e",
);
const META_ADDRESS_VECTOR: &str = "kmstdiL28oryVCyJHWbA2NwGoxcxHH3Wr7uLt45tDrQkm6FtjAdBnMHftpDrk6zHALkSp2m5KeAyWdFM7X3Yjq1Tn4RAzn1Fx";
