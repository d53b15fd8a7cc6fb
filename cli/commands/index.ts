import type { Command } from '../command.js';
import { decryptCommand, encryptCommand } from './encrypt.js';
import { hashPasswordCommand } from './hash-password.js';
import { jwtDecodeCommand, jwtVerifyCommand } from './jwt.js';
import { secretCommand } from './secret.js';

/** Every `bulwark` command, in the order the general help lists them. */
export const COMMANDS: readonly Command[] = [
  secretCommand,
  hashPasswordCommand,
  encryptCommand,
  decryptCommand,
  jwtDecodeCommand,
  jwtVerifyCommand,
];
