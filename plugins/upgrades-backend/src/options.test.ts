import { ConfigReader } from '@backstage/config';
import { readUpgradesOptions } from './options';

describe('readUpgradesOptions', () => {
  it('has defaults', () => {
    expect(readUpgradesOptions(new ConfigReader({}))).toEqual({
      sampleRepositories: false,
      author: { name: 'Paved', email: 'paved@paved.local' },
    });
  });

  it('names the key that is wrong', () => {
    expect(() =>
      readUpgradesOptions(
        new ConfigReader({
          paved: { upgrades: { sampleRepositories: 'yes', colour: 1 } },
        }),
      ),
    ).toThrow(
      /paved\.upgrades\.sampleRepositories: .*; paved\.upgrades\.colour: is not a setting/,
    );
  });

  it('accepts a campaign reminder schedule, refusing other campaign keys', () => {
    const reminderSchedule = {
      frequency: { minutes: 5 },
      timeout: { minutes: 1 },
    };
    expect(
      readUpgradesOptions(
        new ConfigReader({
          paved: { upgrades: { campaigns: { reminderSchedule } } },
        }),
      ).campaigns,
    ).toEqual({ reminderSchedule });
    expect(() =>
      readUpgradesOptions(
        new ConfigReader({
          paved: { upgrades: { campaigns: { reminders: true } } },
        }),
      ),
    ).toThrow(/paved\.upgrades\.campaigns\.reminders: is not a setting/);
  });
});
