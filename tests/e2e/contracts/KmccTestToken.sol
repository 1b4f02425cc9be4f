// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// OpenZeppelin's ERC-20, unmodified, with the whole supply minted to the deployer: what the
/// EVM end-to-end test and `kmcc-bench erc20` deploy.
contract KmccTestToken is ERC20 {
    constructor(uint256 supply) ERC20("KMCC Test Token", "KTT") {
        _mint(msg.sender, supply);
    }
}
