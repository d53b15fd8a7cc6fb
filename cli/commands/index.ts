import type { Command } from '../command.js';
import { decryptCommand, encryptCommand } from './encrypt.js';
import { hashPasswordCommand } from './hash-password.js';
import { jwtDecodeCommand, jwtVerifyCommand } from './jwt.js';
import { keypairCommand } from './keypair.js';
import { secretCommand } from './secret.js';

/** Every `bulwark` command, in the order the general help lists them. */
export const COMMANDS: readonly Command[] = [
  secretCommand,
  keypairCommand,
  hashPasswordCommand,
  encryptCommand,
  decryptCommand,
  jwtDecodeCommand,
  jwtVerifyCommand,
];
