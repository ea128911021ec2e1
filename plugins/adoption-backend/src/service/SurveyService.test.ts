import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { testDatabaseIds } from '@paved/test-utils';
import { DatabaseSurveyStore } from '../database/DatabaseSurveyStore';
import { migrateDatabase } from '@paved/backend-plugin-utils';
import { readStoredSecret } from '../database/readSecret';
import { Pseudonymizer } from './Pseudonymizer';
import { SurveyService } from './SurveyService';

const databases = TestDatabases.create({ ids: testDatabaseIds() });
const DAY = 86_400_000;

describe.each(databases.eachSupportedId())('the survey on %p', databaseId => {
  let now = new Date('2026-01-01T10:00:00Z');
  let survey: SurveyService;
  let generatedSecret: string;
  let storedSecretAgain: string;

  beforeAll(async () => {
    const knex = await databases.init(databaseId);
    await migrateDatabase(
      mockServices.database({ knex }),
      '@paved/plugin-adoption-backend',
    );
    const secret = await readStoredSecret(knex);
    storedSecretAgain = await readStoredSecret(knex);
    generatedSecret = secret;
    survey = new SurveyService({
      store: DatabaseSurveyStore.create({ knex }),
      people: Pseudonymizer.withSecret(secret),
      periodMs: 90 * DAY,
      now: () => now,
    });
  });

  it('generates the pseudonymization secret once', () => {
    expect(generatedSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(storedSecretAgain).toBe(generatedSecret);
  });

  it('asks again a period after the last answer or dismissal', async () => {
    const user = 'user:default/bob';
    expect((await survey.status(user)).show).toBe(true);
    await survey.respond(user, { score: 8 });
    now = new Date(now.getTime() + 89 * DAY);
    expect((await survey.status(user)).show).toBe(false);
    await expect(survey.respond(user, { score: 9 })).rejects.toThrow(
      ConflictError,
    );
    now = new Date(now.getTime() + 1 * DAY);
    expect((await survey.status(user)).show).toBe(true);

    // a dismissal also counts as asked; it does not stop an answer
    await survey.dismiss(user);
    expect((await survey.status(user)).show).toBe(false);
    now = new Date(now.getTime() + 30 * DAY);
    expect((await survey.status(user)).show).toBe(false);
    await survey.respond(user, { score: 10, comment: 'ok' });
    await expect(survey.respond(user, { score: 10 })).rejects.toThrow(
      /already answered/,
    );
    await expect(
      survey.respond(user, { score: 5, comment: 'x'.repeat(2001) }),
    ).rejects.toThrow(/comment: /);
  });
});

describe('Pseudonymizer', () => {
  it('gives the same pseudonym for the same ref, and hides the ref', () => {
    const people = Pseudonymizer.withSecret('s3cret');
    const bob = people.of('user:default/bob');
    expect(bob).toMatch(/^hmac:[0-9a-f]{64}$/);
    expect(people.of('user:default/bob')).toBe(bob);
    expect(Pseudonymizer.withSecret('other').of('user:default/bob')).not.toBe(
      bob,
    );
    expect(Pseudonymizer.identity().of('user:default/bob')).toBe(
      'user:default/bob',
    );
  });
});
