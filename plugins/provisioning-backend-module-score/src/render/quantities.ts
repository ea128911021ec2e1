/**
 * Kubernetes resource quantities (`250m`, `0.5`, `128Mi`, `1e3`), just enough to
 * check them and compare a request with a limit before the API server would refuse
 * the Deployment with a less helpful message.
 */
const SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY =
  /^\+?(\d+(?:\.\d*)?|\.\d+)(?:(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+))?$/;

/** The quantity's value in base units, or undefined when it is not a quantity. */
export function parseQuantity(quantity: string): number | undefined {
  const match = QUANTITY.exec(quantity.trim());
  if (!match) {
    return undefined;
  }
  const [, number, suffix, exponent] = match;
  const base = Number(number);
  if (exponent !== undefined) {
    return base * 10 ** Number(exponent);
  }
  return base * SUFFIXES[suffix ?? ''];
}
