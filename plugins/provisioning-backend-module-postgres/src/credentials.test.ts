import { scramSha256Verifier } from './credentials';
import { createHash, createHmac } from 'node:crypto';

describe('credentials', () => {
  it('makes the SCRAM-SHA-256 verifier that checks the RFC 7677 exchange, salted anew each time', () => {
    // RFC 7677, section 3: user "user", password "pencil".
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    const clientProof = Buffer.from(
      'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
      'base64',
    );
    const serverSignature = '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

    const verifier = scramSha256Verifier('pencil', salt);
    const match =
      /^SCRAM-SHA-256\$4096:W22ZaJ0SNY7soEsUEjb6gQ==\$([A-Za-z0-9+/=]{44}):([A-Za-z0-9+/=]{44})$/.exec(
        verifier,
      );
    expect(match).not.toBeNull();
    const storedKey = Buffer.from(match![1], 'base64');
    const serverKey = Buffer.from(match![2], 'base64');
    // What the server does with the verifier: check the client's proof...
    const clientSignature = createHmac('sha256', storedKey)
      .update(authMessage)
      .digest();
    const clientKey = Buffer.from(
      clientProof.map((byte, i) => byte ^ clientSignature[i]),
    );
    expect(createHash('sha256').update(clientKey).digest()).toEqual(storedKey);
    // ...and sign its answer.
    expect(
      createHmac('sha256', serverKey).update(authMessage).digest('base64'),
    ).toBe(serverSignature);

    expect(scramSha256Verifier('pencil')).not.toBe(
      scramSha256Verifier('pencil'),
    );
    expect(verifier).not.toContain('pencil');
  });
});
