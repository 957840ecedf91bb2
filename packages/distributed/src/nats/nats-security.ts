import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '@sinkflow/core';
import { type Authenticator, credsAuthenticator } from 'nats';

/** TLS settings of a NATS connection (file paths; the nats client reads them). */
export interface NatsTlsOptions {
  /** CA certificate(s) that sign the server's certificate. */
  readonly caFile?: string | undefined;
  /** Client certificate and key, for servers that verify clients (mutual TLS). */
  readonly certFile?: string | undefined;
  readonly keyFile?: string | undefined;
}

/**
 * How to authenticate to the NATS server: at most one of a token, a user and password, or a
 * `.creds` file (JWT + nkey seed, from `nsc`), plus TLS. Read it with {@link readNatsSecurity}
 * from the environment or a file: secrets never appear on a command line (where `ps` shows them
 * to every user of the machine).
 */
export interface NatsSecurity {
  readonly token?: string | undefined;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** Path of a `.creds` file. */
  readonly credsFile?: string | undefined;
  /** Require TLS (with these files, or the system's CAs when empty). */
  readonly tls?: NatsTlsOptions | undefined;
}

/** The environment variables {@link readNatsSecurity} reads. */
export const NATS_SECURITY_VARIABLES = [
  'SINKFLOW_NATS_CONFIG',
  'SINKFLOW_NATS_TOKEN',
  'SINKFLOW_NATS_TOKEN_FILE',
  'SINKFLOW_NATS_USER',
  'SINKFLOW_NATS_PASSWORD',
  'SINKFLOW_NATS_PASSWORD_FILE',
  'SINKFLOW_NATS_CREDS',
  'SINKFLOW_NATS_TLS',
  'SINKFLOW_NATS_TLS_CA',
  'SINKFLOW_NATS_TLS_CERT',
  'SINKFLOW_NATS_TLS_KEY',
] as const;

const functionName = 'readNatsSecurity';

/**
 * Reads NATS credentials and TLS options from environment variables, or from the JSON file that
 * `SINKFLOW_NATS_CONFIG` names (`{ "token"?, "tokenFile"?, "user"?, "password"?,
 * "passwordFile"?, "credsFile"?, "tls"?: { "caFile"?, "certFile"?, "keyFile"? } }`; variables
 * override the file):
 *
 * - `SINKFLOW_NATS_TOKEN` or `SINKFLOW_NATS_TOKEN_FILE` (a file holding the token);
 * - `SINKFLOW_NATS_USER` with `SINKFLOW_NATS_PASSWORD` or `SINKFLOW_NATS_PASSWORD_FILE`;
 * - `SINKFLOW_NATS_CREDS`: a `.creds` file;
 * - `SINKFLOW_NATS_TLS=1` requires TLS; `SINKFLOW_NATS_TLS_CA`, `_CERT`, `_KEY` are PEM files
 *   (any of them implies TLS).
 *
 * @throws {@link InvalidArgumentError} naming the variable when two methods are combined, a
 * password has no user, or a file cannot be read.
 * @example
 * ```ts
 * // SINKFLOW_NATS_TOKEN_FILE=/run/secrets/nats-token
 * const security = readNatsSecurity();
 * const collective = await connectNatsCollective({ servers, workers: 2, security });
 * ```
 */
export function readNatsSecurity({
  env = process.env,
}: {
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
} = {}): NatsSecurity {
  const file = env.SINKFLOW_NATS_CONFIG ? readConfigFile(env.SINKFLOW_NATS_CONFIG) : {};
  const token =
    nonEmpty(env.SINKFLOW_NATS_TOKEN) ??
    readSecretFile(env.SINKFLOW_NATS_TOKEN_FILE, 'SINKFLOW_NATS_TOKEN_FILE') ??
    file.token ??
    readSecretFile(file.tokenFile, 'SINKFLOW_NATS_CONFIG tokenFile');
  const user = nonEmpty(env.SINKFLOW_NATS_USER) ?? file.user;
  const password =
    nonEmpty(env.SINKFLOW_NATS_PASSWORD) ??
    readSecretFile(env.SINKFLOW_NATS_PASSWORD_FILE, 'SINKFLOW_NATS_PASSWORD_FILE') ??
    file.password ??
    readSecretFile(file.passwordFile, 'SINKFLOW_NATS_CONFIG passwordFile');
  const credsFile = nonEmpty(env.SINKFLOW_NATS_CREDS) ?? file.credsFile;
  const methods = [token && 'token', user && 'user', credsFile && 'creds'].filter(Boolean);
  if (methods.length > 1) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'SINKFLOW_NATS_*',
      message: `give only one of a token, a user and password, or a creds file (got ${methods.join(', ')})`,
    });
  }
  if (password !== undefined && user === undefined) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'SINKFLOW_NATS_USER',
      message: 'a password needs a user',
    });
  }
  if (credsFile !== undefined) readSecretFile(credsFile, 'SINKFLOW_NATS_CREDS');
  const tlsFiles: NatsTlsOptions = {
    caFile: nonEmpty(env.SINKFLOW_NATS_TLS_CA) ?? file.tls?.caFile,
    certFile: nonEmpty(env.SINKFLOW_NATS_TLS_CERT) ?? file.tls?.certFile,
    keyFile: nonEmpty(env.SINKFLOW_NATS_TLS_KEY) ?? file.tls?.keyFile,
  };
  const wantsTls =
    ['1', 'true', 'yes'].includes((env.SINKFLOW_NATS_TLS ?? '').toLowerCase()) ||
    file.tls !== undefined ||
    Object.values(tlsFiles).some((value) => value !== undefined);
  return {
    token,
    user,
    password,
    credsFile,
    tls: wantsTls ? tlsFiles : undefined,
  };
}

/**
 * @internal The options of the `nats` client's `connect` for a {@link NatsSecurity}.
 */
export function natsConnectionSecurity(security: NatsSecurity): {
  token?: string;
  user?: string;
  pass?: string;
  authenticator?: Authenticator;
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
} {
  const options: ReturnType<typeof natsConnectionSecurity> = {};
  if (security.token !== undefined) options.token = security.token;
  if (security.user !== undefined) options.user = security.user;
  if (security.password !== undefined) options.pass = security.password;
  if (security.credsFile !== undefined) {
    const path = security.credsFile;
    options.authenticator = credsAuthenticator(() => new Uint8Array(readFileSync(path)));
  }
  if (security.tls !== undefined) {
    const tls: { caFile?: string; certFile?: string; keyFile?: string } = {};
    if (security.tls.caFile !== undefined) tls.caFile = security.tls.caFile;
    if (security.tls.certFile !== undefined) tls.certFile = security.tls.certFile;
    if (security.tls.keyFile !== undefined) tls.keyFile = security.tls.keyFile;
    options.tls = tls;
  }
  return options;
}

/**
 * @internal The `connect` options of the `nats` client for `servers` and `security`. A `tls://`
 * URL *requires* TLS: the client then refuses a server that offers no TLS before it sends any
 * credentials (the `nats` client alone would fall back to plaintext and send the token in clear).
 * All URLs of one list must use the same scheme.
 *
 * @throws {@link InvalidArgumentError} naming `servers` for a URL with credentials, another
 * scheme than `nats://` or `tls://`, or a list that mixes them.
 */
export function natsConnectOptions(
  servers: string | readonly string[],
  security: NatsSecurity,
  functionName: string,
): {
  serverList: string[];
  options: ReturnType<typeof natsConnectionSecurity> & { servers: string[] };
} {
  const serverList = (typeof servers === 'string' ? [servers] : [...servers]).map((url) =>
    checkServerUrl(url, functionName, 'servers'),
  );
  const secure = serverList.filter((url) => /^tls:\/\//i.test(url)).length;
  if (secure > 0 && secure < serverList.length) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'servers',
      message: 'mixes tls:// and plaintext URLs: use tls:// for every server',
      value: serverList.join(', '),
    });
  }
  const options = natsConnectionSecurity(security);
  if (secure > 0 && options.tls === undefined) options.tls = {};
  return { serverList, options: { ...options, servers: serverList } };
}

/**
 * @internal Rejects a server URL that carries credentials (`nats://user:pass@host`,
 * `nats://token@host`): they belong in the environment, not on a command line.
 */
export function checkServerUrl(url: string, context: string, argumentName: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.includes('://') ? url : `nats://${url}`);
  } catch {
    throw new InvalidArgumentError({
      functionName: context,
      argumentName,
      message: 'must be a NATS server URL such as nats://host:4222',
      value: url,
    });
  }
  if (!['nats:', 'tls:'].includes(parsed.protocol.toLowerCase())) {
    throw new InvalidArgumentError({
      functionName: context,
      argumentName,
      message: 'must be a nats:// or tls:// URL (tls:// requires TLS)',
      value: url,
    });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InvalidArgumentError({
      functionName: context,
      argumentName,
      message:
        'must not contain credentials: set SINKFLOW_NATS_TOKEN(_FILE), SINKFLOW_NATS_USER and SINKFLOW_NATS_PASSWORD(_FILE), or SINKFLOW_NATS_CREDS instead',
    });
  }
  return url;
}

interface ConfigFile {
  token?: string;
  tokenFile?: string;
  user?: string;
  password?: string;
  passwordFile?: string;
  credsFile?: string;
  tls?: NatsTlsOptions;
}

function readConfigFile(path: string): ConfigFile {
  const text = readSecretFile(path, 'SINKFLOW_NATS_CONFIG') as string;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError({
      functionName,
      argumentName: 'SINKFLOW_NATS_CONFIG',
      message: `${path} must hold a JSON object`,
    });
  }
  return value as ConfigFile;
}

function readSecretFile(path: string | undefined, argumentName: string): string | undefined {
  if (path === undefined || path === '') return undefined;
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new InvalidArgumentError({
      functionName,
      argumentName,
      message: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    });
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
