import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';

/** Where versitygw's admin API is and who calls it (the gateway's root account). */
export interface VersitygwAdminOptions {
  /** The admin API (`--admin-port`), without a trailing slash. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** An error versitygw's admin API answered with, e.g. `XAdminUserExists`. */
export class VersitygwAdminError extends Error {
  name = 'VersitygwAdminError';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const escapeXml = (value: string) =>
  value.replace(
    /[<>&'"]/g,
    c =>
      ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }[
        c
      ]!),
  );

const element = (xml: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

/**
 * versitygw's admin API: `PATCH /create-user`, `/update-user`, `/delete-user`,
 * `/list-users`, XML bodies, signed with SigV4 (service `s3`) by the root account, as
 * `versitygw admin` does. Only transport: what the accounts are for is
 * `VersitygwAccessKeys`'s business. Errors never carry a request body (secrets travel
 * in them).
 */
export class VersitygwAdminClient {
  private readonly signer: SignatureV4;

  constructor(private readonly options: VersitygwAdminOptions) {
    this.signer = new SignatureV4({
      credentials: {
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
      },
      region: options.region,
      service: 's3',
      sha256: Sha256,
    });
  }

  /** Makes an account of role `user`; `exists` when its access key id is taken. */
  async createUser(
    user: { access: string; secret: string },
    signal?: AbortSignal,
  ): Promise<'created' | 'exists'> {
    const body = `<Account><Access>${escapeXml(
      user.access,
    )}</Access><Secret>${escapeXml(
      user.secret,
    )}</Secret><Role>user</Role><UserID>0</UserID><GroupID>0</GroupID><ProjectID>0</ProjectID></Account>`;
    try {
      await this.call('/create-user', {}, body, signal);
      return 'created';
    } catch (error) {
      if (
        error instanceof VersitygwAdminError &&
        error.code === 'XAdminUserExists'
      ) {
        return 'exists';
      }
      throw error;
    }
  }

  /** Sets an account's secret; the old one is refused from then on. */
  async setSecret(
    access: string,
    secret: string,
    signal?: AbortSignal,
  ): Promise<'updated' | 'absent'> {
    try {
      await this.call(
        '/update-user',
        { access },
        `<MutableProps><Secret>${escapeXml(secret)}</Secret></MutableProps>`,
        signal,
      );
      return 'updated';
    } catch (error) {
      if (
        error instanceof VersitygwAdminError &&
        error.code === 'XAdminUserNotFound'
      ) {
        return 'absent';
      }
      throw error;
    }
  }

  /** Deletes an account; succeeds when there is none. */
  async deleteUser(access: string, signal?: AbortSignal): Promise<void> {
    await this.call('/delete-user', { access }, '', signal);
  }

  /** The access key ids of every account (never their secrets). */
  async listUsers(signal?: AbortSignal): Promise<string[]> {
    const xml = await this.call('/list-users', {}, '', signal);
    return [...xml.matchAll(/<Access>([^<]*)<\/Access>/g)].map(m => m[1]);
  }

  private async call(
    path: string,
    query: Record<string, string>,
    body: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const url = new URL(`${this.options.endpoint}${path}`);
    for (const [key, value] of Object.entries(query)) {
      url.searchParams.set(key, value);
    }
    const signed = await this.signer.sign({
      method: 'PATCH',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      path: url.pathname,
      query,
      headers: {
        host: url.host,
        'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      },
      body,
    });
    // fetch sets Host itself (to the same value).
    const { host: _host, ...headers } = signed.headers;
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'PATCH',
        headers,
        body: body || undefined,
        signal,
      });
    } catch (error) {
      throw new Error(
        `versitygw's admin API at ${
          this.options.endpoint
        } did not answer ${path}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    if (response.status >= 400) {
      const code = element(text, 'Code') ?? `HTTP${response.status}`;
      const message = element(text, 'Message') ?? '';
      throw new VersitygwAdminError(
        response.status,
        code,
        `versitygw's admin API refused ${path}: ${code} ${message}`.trim(),
      );
    }
    return text;
  }
}
