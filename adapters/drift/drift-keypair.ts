import type { Keypair } from '@solana/web3.js';
import { loadKeypair } from '@drift-labs/sdk';
import { ConfigError } from '../../src/core/errors.js';

/**
 * The signer from the environment: a keypair file path (Solana CLI JSON array) or the secret itself
 * (base58, or a JSON / comma-separated byte array). Errors name the variable, never its value
 * (a JSON parse error would quote part of the secret, so the cause is not passed on).
 * @throws ConfigError naming `envName` when missing or unreadable.
 */
export function keypairFromEnv(envName: string, env: Readonly<Record<string, string | undefined>>): Keypair {
  const v = env[envName];
  if (v === undefined || v.trim() === '') throw new ConfigError(envName, 'is not set (a keypair file path or a base58 secret key); live trading needs it');
  try {
    return loadKeypair(v.trim());
  } catch {
    throw new ConfigError(envName, 'is neither a readable keypair file nor a valid secret key');
  }
}
