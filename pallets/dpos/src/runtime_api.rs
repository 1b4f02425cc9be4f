//! `DposApi`: candidates, the committee and its groups, and a holder's leases with pending
//! rewards, for wallets.
//!
//! From `@polkadot/api`: `api.call.dposApi.candidates()`, `api.call.dposApi.committee()`,
//! `api.call.dposApi.leasesOf(account)`.

use crate::{
	pallet::{
		Candidates, Committee, CurrentEra, EraStartSession, Groups, HolderLeases, Leases,
		SessionAuthors,
	},
	ActiveGroup, CandidateSummary, CommitteeSummary, Config, LeaseSummary, Pallet,
};
use alloc::vec::Vec;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// DPoS committees of KMCC Chain.
	pub trait DposApi<AccountId> where AccountId: codec::Codec {
		/// Every candidate with its backing and whether it sits in the committee.
		fn candidates() -> Vec<CandidateSummary<AccountId>>;
		/// The current era's committee, groups, active group and session authors.
		fn committee() -> CommitteeSummary<AccountId>;
		/// A holder's leases with the rewards it could claim now.
		fn leases_of(holder: AccountId) -> Vec<LeaseSummary<AccountId>>;
	}
}

impl<T: Config> Pallet<T> {
	/// [`DposApi::candidates`]: every candidate record (Active, Leaving and Slashed), highest
	/// backing first.
	pub fn candidate_summaries() -> Vec<CandidateSummary<T::AccountId>> {
		let committee = Committee::<T>::get();
		let mut summaries: Vec<CandidateSummary<T::AccountId>> = Candidates::<T>::iter()
			.map(|(account, c)| {
				let in_committee = committee.iter().any(|(a, _)| *a == account);
				CandidateSummary {
					deposit: c.deposit,
					leased: c.leased,
					backing: c.backing(),
					commission: c.commission,
					status: c.status,
					in_committee,
					account,
				}
			})
			.collect();
		summaries.sort_by(|x, y| y.backing.cmp(&x.backing).then_with(|| x.account.cmp(&y.account)));
		summaries
	}

	/// [`DposApi::committee`].
	pub fn committee_summary() -> CommitteeSummary<T::AccountId> {
		CommitteeSummary {
			era: CurrentEra::<T>::get(),
			era_start_session: EraStartSession::<T>::get(),
			members: Committee::<T>::get().into_inner(),
			groups: Groups::<T>::get().into_iter().map(|g| g.into_inner()).collect(),
			active_group: ActiveGroup::<T>::get(),
			session_authors: SessionAuthors::<T>::get().into_inner(),
		}
	}

	/// [`DposApi::leases_of`].
	pub fn lease_summaries(holder: &T::AccountId) -> Vec<LeaseSummary<T::AccountId>> {
		HolderLeases::<T>::get(holder)
			.into_iter()
			.filter_map(|candidate| {
				let lease = Leases::<T>::get(holder, &candidate)?;
				Some(LeaseSummary {
					amount: lease.amount,
					pending_rewards: Self::pending_rewards(holder, &candidate),
					candidate,
				})
			})
			.collect()
	}
}
