// The real `kmcc` wallet and `kmcc-storage` landlord daemons, for the end-to-end files that
// need a storage network (storage-net, mail).
import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { NODE_BIN } from './node.mjs';

export const KMCC_BIN = process.env.KMCC_BIN || join(dirname(NODE_BIN), 'kmcc');
export const STORAGE_BIN = process.env.KMCC_STORAGE_BIN || join(dirname(NODE_BIN), 'kmcc-storage');
export const run = promisify(execFile);
const MIB = 1 << 20;

/**
 * `kmcc --json …` against `node` with the wallet `wallet` (password `password`): `kmcc(...args)`
 * returns the parsed output, `kmccFails(...args)` the error of a command that must fail. Each
 * command and its output (or refusal) is appended to `session`.
 */
export function kmccCli(node, wallet, password, session) {
  const kmcc = async (...args) => {
    const { stdout } = await run(KMCC_BIN, ['--url', `ws://127.0.0.1:${node.rpcPort}`, '--wallet', wallet, '--json', ...args],
      { env: { ...process.env, KMCC_PASSWORD: password }, timeout: 180_000, maxBuffer: 64 * MIB });
    const output = JSON.parse(stdout.trim().split('\n').pop());
    session.push(`$ kmcc ${args.join(' ')}\n${JSON.stringify(output).slice(0, 400)}`);
    return output;
  };
  const kmccFails = async (...args) => {
    try {
      await kmcc(...args);
    } catch (error) {
      const message = JSON.parse(error.stdout.trim().split('\n').pop()).error;
      session.push(`$ kmcc ${args.join(' ')}\n(refused) ${message}`);
      return message;
    }
    throw new Error(`kmcc ${args.join(' ')} succeeded`);
  };
  return { kmcc, kmccFails };
}

/**
 * Registers landlord `accounts[i]` (a dev SURI name such as `Bob`) with the node key
 * `//<nodeKeyPrefix><i>`, `capacityMib` of capacity and the endpoint `127.0.0.1:<firstPort + i>`.
 */
export function registerLandlords(node, accounts, nodeKeyPrefix, capacityMib, firstPort) {
  return Promise.all(accounts.map((name, i) => run(STORAGE_BIN, [
    '--url', `ws://127.0.0.1:${node.rpcPort}`, '--node-key', `//${nodeKeyPrefix}${i}`,
    'register', '--account', `//${name}`, '--capacity-mib', String(capacityMib), '--endpoint', `127.0.0.1:${firstPort + i}`,
  ], { timeout: 120_000 })));
}

/**
 * Starts the daemon of landlord `i` (registered by `registerLandlords`) with its data in
 * `<root>/landlord<i>` and its log in `<root>/landlord<i>.log`; returns the process and a
 * promise that resolves once it serves.
 */
export function startLandlord(node, root, i, { account, nodeKeyPrefix, firstPort }) {
  const log = createWriteStream(join(root, `landlord${i}.log`), { flags: 'a' });
  const proc = spawn(STORAGE_BIN, [
    '--url', `ws://127.0.0.1:${node.rpcPort}`, '--node-key', `//${nodeKeyPrefix}${i}`,
    'run', '--data-dir', join(root, `landlord${i}`), '--listen', `127.0.0.1:${firstPort + i}`,
    '--submitter', `//${account}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.pipe(log);
  proc.stderr.pipe(log);
  const ready = new Promise((resolve, reject) => {
    proc.on('exit', (code) => reject(new Error(`daemon ${i} exited with ${code}; see ${root}/landlord${i}.log`)));
    createInterface({ input: proc.stderr }).on('line', (line) => { if (line.includes('serving landlord')) resolve(); });
  });
  return { proc, ready };
}
