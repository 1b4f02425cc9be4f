// Solidity compiled with npm's `solc` (the compiler's own JavaScript build), for contracts
// deployed by the end-to-end tests and the runtime tests' committed fixtures.
//
// `node lib/solc.mjs <file.sol> <Contract> [out.bin]` prints (or writes) the creation
// bytecode as hex.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The EVM version `Revive` executes (Cancun's opcodes: PUSH0, MCOPY, transient storage). */
export const EVM_VERSION = 'cancun';

const REPO = path.resolve(here, '../../..');

/**
 * Resolves an import: a path of this repository (source units are named by their path in it,
 * so a relative import such as `../../src/precompiles/IDpos.sol` arrives as one), or an npm
 * package (`@openzeppelin/...`) from this package's node_modules.
 */
function findImport(importPath) {
  for (const candidate of [path.join(REPO, importPath), importPath]) {
    try {
      const file = candidate === importPath ? require.resolve(importPath) : candidate;
      return { contents: readFileSync(file, 'utf8') };
    } catch {
      // the next candidate
    }
  }
  return { error: `not found: ${importPath}` };
}

/**
 * Compiles `{ name: source }` and returns `{ abi, bytecode }` of `contract` (bytecode `0x…`).
 * Optimizer on (200 runs), as Hardhat's default.
 */
export function compile(sources, contract) {
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: {
      evmVersion: EVM_VERSION,
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  for (const file of Object.values(output.contracts)) {
    if (file[contract]) return { abi: file[contract].abi, bytecode: `0x${file[contract].evm.bytecode.object}` };
  }
  throw new Error(`no contract ${contract} in the output`);
}

/** Compiles the Solidity file `file` (path relative to the repository) and returns `contract`. */
export function compileFile(file, contract) {
  return compile({ [file]: readFileSync(path.join(REPO, file), 'utf8') }, contract);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, contract, out] = process.argv.slice(2);
  const { bytecode } = compileFile(file, contract);
  if (out) writeFileSync(path.resolve(REPO, out), `${bytecode.slice(2)}\n`);
  else console.log(bytecode);
}
