import {
  CheckDefinition,
  FactValue,
  Rule,
  TrackDefinition,
} from '@paved/plugin-scorecard-common';
import { OPERATORS, Operators } from './operators';

/** What a compiled check needs to know about the entity besides its facts. */
export interface EntityShape {
  kind: string;
  type?: string;
}

export type Facts = Record<string, FactValue>;

/** A check turned into plain functions once, then run for every entity. */
export interface CompiledCheck {
  definition: CheckDefinition;
  level: number;
  applies(entity: EntityShape): boolean;
  test(facts: Facts): boolean;
  /** Only computed for results that are shown, never in the hot loop. */
  explain(facts: Facts): string;
}

export interface CompiledTrack {
  definition: TrackDefinition;
  /** Levels in ascending order. */
  levels: { level: number; name: string; checks: CompiledCheck[] }[];
  checks: CompiledCheck[];
}

const show = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v));

function compileRule(
  rule: Rule,
  operators: Operators,
): (facts: Facts) => boolean {
  const op = operators[rule.operator];
  const { fact, value } = rule;
  return facts => op(facts[fact], value);
}

function describeRule(rule: Rule, facts: Facts): string {
  const expected =
    rule.operator === 'exists' ? '' : ` ${show(rule.value ?? null)}`;
  return `${rule.fact} is ${show(facts[rule.fact])} (expected ${
    rule.operator
  }${expected})`;
}

function compileCheck(
  definition: CheckDefinition,
  level: number,
  operators: Operators = OPERATORS,
): CompiledCheck {
  const rules = definition.rules.map(rule => compileRule(rule, operators));
  const any = definition.match === 'any';
  const kinds = (definition.appliesTo?.kinds ?? ['component']).map(k =>
    k.toLocaleLowerCase('en-US'),
  );
  const types = definition.appliesTo?.types;
  const test = any
    ? (facts: Facts) => rules.some(r => r(facts))
    : (facts: Facts) => rules.every(r => r(facts));
  return {
    definition,
    level,
    applies: entity =>
      kinds.includes(entity.kind.toLocaleLowerCase('en-US')) &&
      (!types || (entity.type !== undefined && types.includes(entity.type))),
    test,
    explain(facts) {
      const parts = definition.rules.map((rule, i) => ({
        ok: rules[i](facts),
        text: describeRule(rule, facts),
      }));
      const passed = test(facts);
      const shown = passed ? parts.filter(p => p.ok) : parts.filter(p => !p.ok);
      return shown.map(p => p.text).join(any && !passed ? ' and ' : '; ');
    },
  };
}

/** Compiles a validated track, with the operators it was validated against. */
export function compileTrack(
  definition: TrackDefinition,
  operators: Operators = OPERATORS,
): CompiledTrack {
  const levels = [...definition.levels]
    .sort((a, b) => a.level - b.level)
    .map(l => ({
      level: l.level,
      name: l.name,
      checks: l.checks.map(c => compileCheck(c, l.level, operators)),
    }));
  return { definition, levels, checks: levels.flatMap(l => l.checks) };
}

/**
 * Scores an entity: the pass/fail of each check (in track order) and its level, the
 * highest N whose checks and those of every level below pass. Checks that do not
 * apply to the entity pass.
 */
export function scoreEntity(
  track: CompiledTrack,
  entity: EntityShape,
  facts: Facts,
): { level: number; passed: boolean[] } {
  const passed: boolean[] = [];
  let level = 0;
  let capped = false;
  for (const l of track.levels) {
    let all = true;
    for (const check of l.checks) {
      const ok = !check.applies(entity) || check.test(facts);
      passed.push(ok);
      if (!ok) all = false;
    }
    if (!capped && all) {
      level = l.level;
    } else {
      capped = true;
    }
  }
  return { level, passed };
}
