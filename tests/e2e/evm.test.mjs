// Ethereum contracts end to end (design §9): a dev node and the real Ethereum JSON-RPC adapter
// (`eth-rpc`), driven by ethers v6 as a dApp developer would. OpenZeppelin's ERC-20, compiled by
// npm's `solc`, is deployed from a fresh Ethereum key, transferred, read through logs, receipts
// and blocks; the same token is used from the KMCC side with `@polkadot/api` (`revive.call`),
// and both sides see the same state. The DPoS precompile leases KMCC for an Ethereum wallet and
// for a Solidity contract, visible in `DposApi`. Transactions a wallet gets wrong (another chain
// id, a stale nonce, too little balance or gas) are refused with the errors Ethereum tools
// expect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { ethers } from 'ethers';
import { startNode, connect, sendAndWait, waitFor, KMCC } from './lib/node.mjs';
import { startEthRpc, rpc, CHAIN_ID, ethAddressOf, accountOfEthAddress } from './lib/eth.mjs';
import { compileFile } from './lib/solc.mjs';

const ED = KMCC / 1000n;
let node, api, eth, provider, keyring, alice;
let deployer, holder, token, tokenAbi;

/** The spendable balance of a KMCC account: what `eth_getBalance` reports for its address. */
async function spendable(who) {
  const { data } = await api.query.system.account(who);
  const untouchable = data.frozen.toBigInt() > ED ? data.frozen.toBigInt() : ED;
  return data.free.toBigInt() - untouchable;
}

/** A fresh Ethereum key holding `amount` KMCC, paid by Alice from the KMCC side. */
async function fundedWallet(amount) {
  const wallet = ethers.Wallet.createRandom().connect(provider);
  const { dispatchError } = await sendAndWait(
    api,
    api.tx.balances.transferKeepAlive(accountOfEthAddress(wallet.address), amount),
    alice,
  );
  assert.equal(dispatchError, undefined);
  await waitFor('the funds seen by the adapter', async () => (await provider.getBalance(wallet.address)) > 0n);
  return wallet;
}

/** The error of a transaction an Ethereum tool sends, as ethers reports it. */
async function refused(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('the transaction was accepted');
}

before(async () => {
  await cryptoWaitReady();
  node = await startNode(['--dev'], { name: 'evm' });
  api = await connect(node);
  eth = await startEthRpc(node);
  provider = eth.provider;
  keyring = new Keyring({ type: 'sr25519', ss58Format: api.registry.chainSS58 });
  alice = keyring.addFromUri('//Alice');
});

after(async () => {
  provider?.destroy();
  await api?.disconnect();
  await eth?.stop();
  await node?.stop();
});

test('the chain id is 5622 and a KMCC account has its balance in wei at its Ethereum address', async () => {
  assert.equal(BigInt(await rpc(eth.url, 'eth_chainId')), CHAIN_ID);
  assert.equal((await provider.getNetwork()).chainId, CHAIN_ID);
  // Alice's address: keccak256 of her account, last 20 bytes; mapped from genesis.
  const aliceEth = ethAddressOf(alice.publicKey);
  const [wei, kmcc] = await Promise.all([provider.getBalance(aliceEth), spendable(alice.address)]);
  assert.equal(wei, kmcc);
  assert.ok(wei > 100_000n * KMCC, `1 KMCC is 10^18 wei: ${wei}`);
  // The gas price is 1 gwei times the fee multiplier (1 on an idle chain).
  assert.equal((await provider.getFeeData()).gasPrice, 1_000_000_000n);
  // The `finalized` tag names the GRANDPA-finalized block.
  await waitFor('a finalized block', async () => (await provider.getBlock('finalized')).number > 0);
  const [finalized, latest] = await Promise.all([provider.getBlock('finalized'), provider.getBlock('latest')]);
  assert.ok(finalized.number <= latest.number);
  assert.equal(finalized.hash, (await provider.getBlock(finalized.number)).hash);
  console.log(`eth: chain id ${CHAIN_ID}, Alice ${aliceEth} holds ${ethers.formatEther(wei)} KMCC; latest #${latest.number}, finalized #${finalized.number}`);
});

test('ether moves between two fresh Ethereum keys, as KMCC of their accounts', async () => {
  const sender = await fundedWallet(10n * KMCC);
  const receiver = ethers.Wallet.createRandom();
  const tx = await sender.sendTransaction({ to: receiver.address, value: ethers.parseEther('2.5') });
  const receipt = await tx.wait();
  assert.equal(receipt.status, 1);
  // The receiver's wallet sees the whole value: pallet-revive creates the new account with its
  // existential deposit on top, charged to the sender like a storage deposit (within the gas).
  const { data } = await api.query.system.account(accountOfEthAddress(receiver.address));
  const received = await provider.getBalance(receiver.address);
  const fee = receipt.gasUsed * receipt.gasPrice;
  const spent = 10n * KMCC - ED - (await provider.getBalance(sender.address));
  console.log(`eth: receiver free ${data.free.toBigInt()} planck, sees ${received} wei; sender spent ${spent} wei, fee ${fee} wei`);
  assert.equal(received, ethers.parseEther('2.5'));
  assert.equal(data.free.toBigInt(), 2_500_000_000_000_000_000n + ED, 'the KMCC account holds 2.5 KMCC and its ED');
  // The sender paid the value and the fee, which is the gas used at the gas price.
  assert.equal(spent, ethers.parseEther('2.5') + fee);
  console.log(`eth: 2.5 KMCC ${sender.address} -> ${receiver.address} in ${tx.hash}, gas ${receipt.gasUsed} (${ethers.formatEther(fee)} KMCC)`);
});

test('an OpenZeppelin ERC-20 is deployed, transferred and read through logs, receipts and blocks', async () => {
  const { abi, bytecode } = compileFile('tests/e2e/contracts/KmccTestToken.sol', 'KmccTestToken');
  tokenAbi = abi;
  deployer = await fundedWallet(100n * KMCC);
  holder = ethers.Wallet.createRandom().connect(provider);
  const supply = ethers.parseUnits('1000000', 18);
  const factory = new ethers.ContractFactory(abi, bytecode, deployer);
  const deployed = await factory.deploy(supply);
  const deployment = await deployed.deploymentTransaction().wait();
  assert.equal(deployment.status, 1);
  token = deployed.connect(deployer);
  const address = await token.getAddress();
  assert.equal(deployment.contractAddress, address);
  assert.equal(address, ethers.getCreateAddress({ from: deployer.address, nonce: 0 }));
  assert.equal(await token.name(), 'KMCC Test Token');
  assert.equal(await token.totalSupply(), supply);
  assert.equal(await token.balanceOf(deployer.address), supply);
  console.log(`erc20: KmccTestToken at ${address}, deployed by ${deployer.address} in ${deployment.hash}, gas ${deployment.gasUsed}`);

  // A transfer, with the gas limit `eth_estimateGas` gives.
  const amount = ethers.parseUnits('1234.5', 18);
  const estimate = await token.transfer.estimateGas(holder.address, amount);
  assert.ok(estimate > 0n);
  const tx = await token.transfer(holder.address, amount, { gasLimit: estimate });
  const receipt = await tx.wait();
  assert.equal(receipt.status, 1);
  assert.ok(receipt.gasUsed <= estimate, `used ${receipt.gasUsed} of the estimated ${estimate}`);
  assert.equal(await token.balanceOf(holder.address), amount);
  assert.equal(await token.balanceOf(deployer.address), supply - amount);

  // The receipt's Transfer log, and the same log through eth_getLogs.
  const transfer = token.interface.getEvent('Transfer');
  assert.equal(receipt.logs.length, 1);
  const parsed = token.interface.parseLog(receipt.logs[0]);
  assert.deepEqual([parsed.name, parsed.args.from, parsed.args.to, parsed.args.value], ['Transfer', deployer.address, holder.address, amount]);
  const logs = await provider.getLogs({ address, topics: [transfer.topicHash], fromBlock: deployment.blockNumber, toBlock: receipt.blockNumber });
  const transfers = logs.map((l) => token.interface.parseLog(l).args);
  // The mint (from the zero address) and the transfer.
  assert.deepEqual(transfers.map((t) => [t.from, t.to, t.value]), [
    [ethers.ZeroAddress, deployer.address, supply],
    [deployer.address, holder.address, amount],
  ]);
  assert.equal(logs[1].transactionHash, tx.hash);

  // The block by number and by hash holds the transaction; the receipt by hash is the same.
  const [byNumber, byHash] = await Promise.all([provider.getBlock(receipt.blockNumber), provider.getBlock(receipt.blockHash)]);
  assert.equal(byNumber.hash, receipt.blockHash);
  assert.equal(byHash.number, receipt.blockNumber);
  assert.ok(byNumber.transactions.includes(tx.hash));
  const again = await provider.getTransactionReceipt(tx.hash);
  assert.deepEqual([again.blockHash, again.gasUsed, again.status], [receipt.blockHash, receipt.gasUsed, 1]);
  const sent = await provider.getTransaction(tx.hash);
  assert.deepEqual([sent.from, sent.to, sent.nonce], [deployer.address, address, 1]);
  console.log(`erc20: transfer of 1234.5 KTT in ${tx.hash} (block #${receipt.blockNumber} ${receipt.blockHash}), gas ${receipt.gasUsed} of ${estimate} estimated`);
});

test('a reverting call returns its revert reason, and a reverted transaction changes nothing', async () => {
  const balance = await token.balanceOf(holder.address);
  const tooMuch = balance + 1n;
  const call = await refused(token.connect(provider).transfer.staticCall(deployer.address, tooMuch, { from: holder.address }));
  assert.equal(call.code, 'CALL_EXCEPTION');
  assert.equal(call.revert?.name, 'ERC20InsufficientBalance');
  assert.deepEqual([...call.revert.args], [holder.address, balance, tooMuch]);
  // A wallet's estimate refuses it with the same reason (from the deployer, who pays the gas).
  const held = await token.balanceOf(deployer.address);
  const estimate = await refused(token.transfer.estimateGas(holder.address, held + 1n));
  // (ethers decodes a custom error for calls only; the estimate carries the same revert data.)
  assert.equal(estimate.code, 'CALL_EXCEPTION');
  const reason = token.interface.parseError(estimate.data);
  assert.equal(reason.name, 'ERC20InsufficientBalance');
  assert.deepEqual([...reason.args], [deployer.address, held, held + 1n]);
  // Sent anyway, with a gas limit of its own: included, reverted (status 0), the fee paid and
  // nothing else changed.
  const wei = await provider.getBalance(deployer.address);
  const tx = await token.transfer(holder.address, held + 1n, { gasLimit: 90_000_000n });
  const failed = await refused(tx.wait());
  assert.equal(failed.code, 'CALL_EXCEPTION');
  assert.equal(failed.receipt.status, 0);
  const fee = failed.receipt.gasUsed * failed.receipt.gasPrice;
  console.log(`erc20: reverted transfer ${tx.hash} included in #${failed.receipt.blockNumber}, gas ${failed.receipt.gasUsed}`);
  // What it paid is the receipt's gas × price to within 0.01 % (pallet-revive's receipt of a
  // reverted call reports slightly more gas than it charges).
  const paid = wei - (await provider.getBalance(deployer.address));
  console.log(`erc20: the reverted transfer paid ${paid} wei, receipt gas × price ${fee} wei`);
  assert.ok(paid > 0n && paid <= fee && fee - paid <= fee / 10_000n, `paid ${paid}, receipt ${fee}`);
  assert.equal(await token.balanceOf(deployer.address), held);
  assert.equal(await token.balanceOf(holder.address), balance);
});

test('the token is used from the KMCC side with revive.call, and both sides see the same state', async () => {
  const aliceEth = ethAddressOf(alice.publicKey);
  const bobEth = ethAddressOf(keyring.addFromUri('//Bob').publicKey);
  const address = await token.getAddress();
  // Tokens for Alice's KMCC account, sent from Ethereum to her mapped address.
  await (await token.transfer(aliceEth, ethers.parseUnits('50', 18))).wait();
  // Alice (sr25519, polkadot.js) sends 20 of them to Bob through `revive.call`.
  const data = token.interface.encodeFunctionData('transfer', [bobEth, ethers.parseUnits('20', 18)]);
  const weightLimit = { refTime: 50_000_000_000n, proofSize: 10_000_000n };
  const { dispatchError, events } = await sendAndWait(api, api.tx.revive.call(address, 0, weightLimit, 10n * KMCC, data), alice);
  assert.equal(dispatchError, undefined);
  // The contract's Transfer log is the event `Revive.ContractEmitted`, decoded with the ABI.
  const emitted = events.filter(({ event }) => event.section === 'revive' && event.method === 'ContractEmitted');
  assert.equal(emitted.length, 1);
  const { contract, data: logData, topics } = emitted[0].event.data;
  assert.equal(contract.toHex(), address.toLowerCase());
  const log = token.interface.parseLog({ topics: topics.map((t) => t.toHex()), data: logData.toHex() });
  assert.deepEqual([log.name, log.args.from, log.args.to, log.args.value], ['Transfer', aliceEth, bobEth, ethers.parseUnits('20', 18)]);
  // Ethereum tools see the state: both balances.
  await waitFor('the adapter at the KMCC-side transfer', async () => (await token.balanceOf(bobEth)) === ethers.parseUnits('20', 18));
  assert.equal(await token.balanceOf(aliceEth), ethers.parseUnits('30', 18));
  // Not the log: Ethereum receipts and `eth_getLogs` cover Ethereum transactions only, and
  // `revive.call` is a KMCC extrinsic (README, "What differs from Ethereum").
  const logs = await provider.getLogs({ address, topics: [token.interface.getEvent('Transfer').topicHash, ethers.zeroPadValue(aliceEth, 32)], fromBlock: 0 });
  assert.equal(logs.length, 0);
  // And a dry run from the KMCC side reads what Ethereum tools read.
  const read = await api.call.reviveApi.call(alice.address, address, 0, null, null, token.interface.encodeFunctionData('balanceOf', [bobEth]));
  const output = read.result.asOk.data.toU8a(true);
  assert.equal(BigInt(u8aToHex(output)), ethers.parseUnits('20', 18));
});

test('transactions with another chain id, a bad nonce, too little balance or too little gas are refused', async () => {
  const wallet = await fundedWallet(5n * KMCC);
  const to = ethers.Wallet.createRandom().address;
  const nonce = await provider.getTransactionCount(wallet.address);
  const before = await provider.getBalance(wallet.address);
  const { gasPrice } = await provider.getFeeData();
  const base = { to, value: KMCC, gasLimit: 10_000_000n, gasPrice, type: 0 };
  const send = (tx) => provider.broadcastTransaction(tx);
  // What the node's pool answers to a transaction it refuses, passed on by the adapter: JSON-RPC
  // error 1010 "Invalid Transaction" (ethers: UNKNOWN_ERROR with that error inside).
  const assertPoolRefusal = (e, what) => {
    console.log(`eth refused (${what}): ${e.shortMessage} ${JSON.stringify(e.error)}`);
    assert.deepEqual([e.code, e.error?.code, e.error?.message], ['UNKNOWN_ERROR', 1010, 'Invalid Transaction']);
  };

  // Signed for Ethereum mainnet (chain id 1): refused, nothing moves.
  assertPoolRefusal(await refused(send(await wallet.signTransaction({ ...base, nonce, chainId: 1n }))), 'chain id 1');
  assert.equal(await provider.getBalance(wallet.address), before);

  // A nonce already used.
  await (await wallet.sendTransaction({ to, value: KMCC })).wait();
  assertPoolRefusal(await refused(send(await wallet.signTransaction({ ...base, nonce, chainId: CHAIN_ID }))), 'used nonce');

  // Too little gas for a contract call: the fee it allows does not cover the call's weight.
  const transfer = token.interface.encodeFunctionData('transfer', [to, 1n]);
  const starved = { to: await token.getAddress(), data: transfer, gasLimit: 21_000n, gasPrice, type: 0, chainId: CHAIN_ID };
  assertPoolRefusal(await refused(send(await wallet.signTransaction({ ...starved, nonce: nonce + 1 }))), 'gas limit 21000');

  // More than the balance: the wallet's own estimate (a dry run) says so, in Ethereum's words.
  const poor = await refused(wallet.sendTransaction({ to, value: 100n * KMCC }));
  console.log(`eth refused (insufficient funds): ${poor.shortMessage} ${JSON.stringify(poor.info?.error)}`);
  assert.equal(poor.code, 'INSUFFICIENT_FUNDS');
  assert.match(poor.info.error.message, /insufficient funds/);

  // Only the one good transaction went through.
  assert.equal(await provider.getTransactionCount(wallet.address), nonce + 1);
});

test('the DPoS precompile leases KMCC for an Ethereum wallet and for a Solidity contract', async () => {
  const DPOS = '0x0000000000000000000000000000000008000000';
  const { abi: dposAbi } = compileFile('runtime/src/precompiles/IDpos.sol', 'IDpos');
  const candidate = u8aToHex(alice.publicKey);
  const leasesOf = async (account) =>
    (await api.call.dposApi.leasesOf(account)).map((l) => [l.candidate.toString(), l.amount.toBigInt()]);

  // An Ethereum wallet leases 2 KMCC to Alice's candidacy, calling the precompile directly.
  const wallet = await fundedWallet(100n * KMCC);
  const dpos = new ethers.Contract(DPOS, dposAbi, wallet);
  assert.equal(await dpos.isCandidate(candidate), true);
  // Refused leases revert with the DPoS error as the reason, and lease nothing.
  const small = await refused(dpos.lease.staticCall(candidate, KMCC / 2n));
  assert.equal(small.reason, 'lease: LeaseTooSmall');
  const stranger = await refused(dpos.lease.estimateGas(u8aToHex(keyring.addFromUri('//Dave').publicKey), 2n * KMCC));
  assert.equal(stranger.reason, 'lease: NotCandidate');
  assert.deepEqual(await leasesOf(accountOfEthAddress(wallet.address)), []);
  const receipt = await (await dpos.lease(candidate, 2n * KMCC)).wait();
  assert.equal(receipt.status, 1);
  assert.deepEqual(await leasesOf(accountOfEthAddress(wallet.address)), [[alice.address, 2n * KMCC]]);
  const [amount, pending] = await dpos.leaseOf(wallet.address, candidate);
  assert.deepEqual([amount, pending], [2n * KMCC, 0n]);
  console.log(`dpos precompile: ${wallet.address} leased 2 KMCC to Alice in ${receipt.hash} (gas ${receipt.gasUsed})`);


  // A Solidity contract (fixtures/LeasingPool.sol) leases what it is sent, from its own account.
  const { abi, bytecode } = compileFile('runtime/tests/fixtures/LeasingPool.sol', 'LeasingPool');
  const pool = await new ethers.ContractFactory(abi, bytecode, wallet).deploy();
  await pool.waitForDeployment();
  const poolAddress = await pool.getAddress();
  const leased = await (await pool.leaseAll(candidate, { value: 3n * KMCC })).wait();
  assert.equal(leased.status, 1);
  assert.deepEqual(await leasesOf(accountOfEthAddress(poolAddress)), [[alice.address, 3n * KMCC]]);
  assert.equal((await pool.leased(candidate))[0], 3n * KMCC);
  // The wallet's own lease is unchanged: the contract leased its own KMCC.
  assert.deepEqual(await leasesOf(accountOfEthAddress(wallet.address)), [[alice.address, 2n * KMCC]]);
  console.log(`dpos precompile: LeasingPool ${poolAddress} leased 3 KMCC to Alice in ${leased.hash}`);
});

test('the committed fixtures are what solc compiles their sources to', () => {
  for (const name of ['Vault', 'LeasingPool']) {
    const { bytecode } = compileFile(`runtime/tests/fixtures/${name}.sol`, name);
    const committed = readFileSync(new URL(`../../runtime/tests/fixtures/${name}.bin`, import.meta.url), 'utf8').trim();
    assert.equal(bytecode.slice(2), committed, `${name}.bin is stale: node lib/solc.mjs runtime/tests/fixtures/${name}.sol ${name} runtime/tests/fixtures/${name}.bin`);
  }
});
