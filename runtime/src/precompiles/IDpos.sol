// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @dev The address of the DPoS precompile on KMCC Chain.
address constant DPOS_PRECOMPILE = 0x0000000000000000000000000000000008000000;

/// @title KMCC delegated proof of stake, from Solidity and Ethereum wallets.
/// @notice Lease KMCC to a validator candidate, unlease it, claim its rewards and read a lease,
/// as `Dpos.lease`, `Dpos.unlease` and `Dpos.claimRewards` do for KMCC accounts. The caller
/// (`msg.sender`: an Ethereum key's account, or a contract's) leases its own KMCC.
/// Candidates are KMCC accounts (32 bytes). Amounts are in wei, which on KMCC Chain is planck:
/// 1 KMCC = 10^18.
/// @dev A call the chain refuses reverts with `Error(string)` naming the DPoS error, e.g.
/// "lease: LeaseTooSmall". State-changing functions revert in a static call.
interface IDpos {
    /// @notice Lease `amount` of the caller's KMCC to `candidate`. The amount stays in the
    /// caller's account, held; pending rewards of an existing lease are paid first.
    function lease(bytes32 candidate, uint256 amount) external;

    /// @notice Unlease `amount` (all of it, or leaving at least the minimum lease). It stays
    /// held for the unbonding period; pending rewards are paid.
    function unlease(bytes32 candidate, uint256 amount) external;

    /// @notice Pay the caller's pending rewards on its lease to `candidate`.
    function claimRewards(bytes32 candidate) external;

    /// @notice The lease of `holder` to `candidate`: the amount leased and the rewards accrued
    /// and not yet paid (both 0 without a lease).
    function leaseOf(address holder, bytes32 candidate)
        external
        view
        returns (uint256 amount, uint256 pendingRewards);

    /// @notice Whether `candidate` is a registered DPoS candidate.
    function isCandidate(bytes32 candidate) external view returns (bool);
}
