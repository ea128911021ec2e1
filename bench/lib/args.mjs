/**
 * The benches' numeric options: `--name N` from the command line, a positive whole
 * number, else the fallback; anything else stops the bench with exit code 2.
 */
export function intArg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} takes a positive whole number`);
    process.exit(2);
  }
  return value;
}
