//! The offchain worker: heartbeats signed with the operator keys in the node's keystore.

use crate::{
	pallet::{Call, Masternodes, OperatorIndex},
	Config, Heartbeat, MasternodeStatus, Pallet,
};
use codec::Encode;
use polkadot_sdk::{
	frame_system::{
		offchain::{CreateAuthorizedTransaction, SubmitTransaction},
		pallet_prelude::BlockNumberFor,
	},
	sp_runtime::{
		offchain::storage::{MutateStorageError, StorageValueRef},
		traits::Saturating,
		RuntimeAppPublic,
	},
};

const LOG_TARGET: &str = "runtime::masternodes";

impl<T: Config> Pallet<T> {
	/// For every operator key in the local keystore that serves an enabled masternode: if
	/// half a period passed since its last heartbeat, sign and submit one (at most once per
	/// half period per masternode, remembered in offchain storage across blocks).
	pub(crate) fn send_heartbeats(now: BlockNumberFor<T>) {
		let half = Self::half_period();
		for operator in T::OperatorId::all() {
			let Some(id) = OperatorIndex::<T>::get(&operator) else { continue };
			let Some(masternode) = Masternodes::<T>::get(id) else { continue };
			if masternode.status != MasternodeStatus::Enabled
				|| now < masternode.last_heartbeat.saturating_add(half)
			{
				continue;
			}
			let key = (b"kmcc/masternodes/heartbeat-sent/", id).encode();
			let lock = StorageValueRef::persistent(&key);
			let claimed = lock.mutate(|sent: Result<Option<BlockNumberFor<T>>, _>| match sent {
				Ok(Some(sent)) if now < sent.saturating_add(half) => Err(()),
				_ => Ok(now),
			});
			match claimed {
				Ok(_) => {}
				Err(MutateStorageError::ValueFunctionFailed(())) => continue,
				Err(MutateStorageError::ConcurrentModification(_)) => continue,
			}
			let heartbeat = Heartbeat { masternode: id, block_number: now };
			let Some(signature) = operator.sign(&Self::heartbeat_payload(&heartbeat)) else {
				log::warn!(target: LOG_TARGET, "cannot sign the heartbeat of masternode {id}");
				continue;
			};
			let call = Call::<T>::heartbeat { heartbeat, signature };
			let xt = <T as CreateAuthorizedTransaction<Call<T>>>::create_authorized_transaction(
				call.into(),
			);
			match SubmitTransaction::<T, Call<T>>::submit_transaction(xt) {
				Ok(()) => {
					log::debug!(target: LOG_TARGET, "heartbeat of masternode {id} at {now:?}")
				}
				Err(()) => log::warn!(target: LOG_TARGET, "heartbeat of masternode {id} refused"),
			}
		}
	}
}
