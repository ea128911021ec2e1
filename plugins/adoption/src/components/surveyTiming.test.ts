import { msUntilSurveyMayShow, SESSION_START_KEY } from './surveyTiming';

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
  };
}

describe('msUntilSurveyMayShow', () => {
  it('starts the visit on first use and waits the configured minutes', () => {
    const storage = memoryStorage();
    expect(msUntilSurveyMayShow(5, 1_000_000, storage)).toBe(300_000);
    expect(storage.getItem(SESSION_START_KEY)).toBe('1000000');
    expect(msUntilSurveyMayShow(5, 1_120_000, storage)).toBe(180_000);
    expect(msUntilSurveyMayShow(5, 1_400_000, storage)).toBe(0);
  });

  it('offers it at once to a visit that started long enough ago', () => {
    const storage = memoryStorage({ [SESSION_START_KEY]: '1' });
    expect(msUntilSurveyMayShow(5, 10_000_000, storage)).toBe(0);
  });
});
