import { StepContext } from './StepContext';

/**
 * Stores the outputs whose value changed, so that a retried or repeated step writes
 * nothing it already recorded; in one write where the context can (each write is a
 * database transaction of the engine).
 *
 * @public
 */
export async function setOutputs(
  ctx: Pick<StepContext, 'outputs' | 'setOutput' | 'setOutputs'>,
  outputs: Record<string, string | number | boolean>,
): Promise<void> {
  const changed = Object.fromEntries(
    Object.entries(outputs).filter(
      ([name, value]) => ctx.outputs[name] !== value,
    ),
  );
  if (Object.keys(changed).length === 0) {
    return;
  }
  if (ctx.setOutputs) {
    await ctx.setOutputs(changed);
    return;
  }
  for (const [name, value] of Object.entries(changed)) {
    await ctx.setOutput(name, value);
  }
}
