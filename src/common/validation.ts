import { Annotations, Duration, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Prefix of every warning ID the library raises (acknowledge with `Annotations.of(scope).acknowledgeWarning(id)`). */
export const WARNING_PREFIX = 'cdk-ecs-privatelink:';

/**
 * The one place where the library turns bad input into a synth-time error.
 *
 * Every check is token-aware: a value that is only known at deploy time is
 * skipped, never guessed at. Messages name the construct, the prop, the bad
 * value and what is allowed, so the user can fix the input without reading
 * the source.
 */
export class Validator {
  constructor(private readonly scope: IConstruct, private readonly quiet = false) {}

  /**
   * The same checks, without warnings: for input checked early and again later (the API checks
   * its first service's options before creating anything; the service warns when it is built).
   */
  public errorsOnly(): Validator {
    return new Validator(this.scope, true);
  }

  /**
   * A warning for a legal but risky choice, with an ID users can acknowledge
   * (`cdk-ecs-privatelink:<id>`).
   */
  public warn(id: string, message: string): void {
    if (!this.quiet) {
      Annotations.of(this.scope).addWarningV2(`${WARNING_PREFIX}${id}`, message);
    }
  }

  /** An informational message (nothing to acknowledge). */
  public info(message: string): void {
    if (!this.quiet) {
      Annotations.of(this.scope).addInfo(message);
    }
  }

  /** Throws `message`, prefixed with the construct's path. */
  public error(message: string): never {
    throw new Error(`${this.scope.node.path}: ${message}`);
  }

  /** Throws the library's standard error for a bad value of `prop`. */
  public fail(prop: string, value: unknown, allowed: string): never {
    return this.error(`invalid ${prop} ${show(value)}: ${allowed}`);
  }

  /** Throws unless `condition` holds. */
  public check(condition: boolean, prop: string, value: unknown, allowed: string): void {
    if (!condition) {
      this.fail(prop, value, allowed);
    }
  }

  /** An integer in [min, max], or a token. */
  public integer(prop: string, value: number | undefined, min: number, max: number): void {
    if (value === undefined || Token.isUnresolved(value)) {
      return;
    }
    this.check(Number.isInteger(value) && value >= min && value <= max, prop, value,
      `must be an integer from ${min} to ${max}`);
  }

  /** A TCP port (1-65535), or a token. */
  public port(prop: string, value: number | undefined): void {
    this.integer(prop, value, 1, 65535);
  }

  /** A whole number of seconds in [min, max], or a token. */
  public seconds(prop: string, value: Duration | undefined, min: number, max: number): void {
    if (value === undefined || value.isUnresolved()) {
      return;
    }
    const s = value.toSeconds({ integral: false });
    this.check(Number.isInteger(s) && s >= min && s <= max, prop, value,
      `must be a whole number of seconds from ${min} to ${max}`);
  }

  /** Both props set: only one of them may be. */
  public exclusive(propA: string, a: unknown, propB: string, b: unknown): void {
    if (a !== undefined && b !== undefined) {
      this.error(`${propA} and ${propB} were both given: give one of them, not both`);
    }
  }
}

/** A duration in seconds, the unit AWS documents its limits in (`4001 seconds`). */
export function showDuration(value: Duration): string {
  if (value.isUnresolved()) {
    return value.toString();
  }
  const seconds = value.toSeconds({ integral: false });
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/** Renders a bad value for an error message. */
function show(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (value instanceof Duration) {
    return showDuration(value);
  }
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/**
 * Fargate's valid task sizes: the memory values (MiB) accepted for each CPU value.
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size
 */
const FARGATE_SIZES: ReadonlyArray<{ cpu: number; memory: number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: steps(1024, 4096, 1024) },
  { cpu: 1024, memory: steps(2048, 8192, 1024) },
  { cpu: 2048, memory: steps(4096, 16384, 1024) },
  { cpu: 4096, memory: steps(8192, 30720, 1024) },
  { cpu: 8192, memory: steps(16384, 61440, 4096) },
  { cpu: 16384, memory: steps(32768, 122880, 8192) },
];

function steps(min: number, max: number, step: number): number[] {
  const out: number[] = [];
  for (let m = min; m <= max; m += step) {
    out.push(m);
  }
  return out;
}

/** Checks a Fargate cpu/memory pair against the sizes Fargate accepts. */
export function validateFargateSize(v: Validator, cpu: number, memoryLimitMiB: number): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memoryLimitMiB)) {
    return;
  }
  const size = FARGATE_SIZES.find(s => s.cpu === cpu);
  if (!size) {
    return v.fail('cpu', cpu, `Fargate accepts ${FARGATE_SIZES.map(s => s.cpu).join(', ')}`);
  }
  const memory = size.memory;
  const allowed = memory.length <= 4
    ? memory.join(', ')
    : `${memory[0]} to ${memory[memory.length - 1]} in steps of ${memory[1] - memory[0]}`;
  v.check(memory.includes(memoryLimitMiB), 'memoryLimitMiB', memoryLimitMiB,
    `with cpu ${cpu} Fargate accepts ${allowed} MiB`);
}
