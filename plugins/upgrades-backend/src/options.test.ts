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
});
