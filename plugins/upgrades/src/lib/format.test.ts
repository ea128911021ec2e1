import { daysUntil, deadlineText, templateName } from './format';

describe('format', () => {
  const now = Date.parse('2027-01-20T23:30:00Z');

  it('counts the days to a deadline in whole UTC days', () => {
    expect(daysUntil('2027-01-31', now)).toBe(11);
    expect(deadlineText('2027-01-31', now)).toBe('11 days left');
    expect(deadlineText('2027-01-21', now)).toBe('1 day left');
    expect(deadlineText('2027-01-20', now)).toBe('due today');
    expect(deadlineText('2027-01-17', now)).toBe('3 days overdue');
    expect(deadlineText('someday', now)).toBe('someday');
  });

  it('names a template by its entity name', () => {
    expect(templateName('template:default/typescript-service')).toBe(
      'typescript-service',
    );
    expect(templateName('not a ref:')).toBe('not a ref:');
  });
});
